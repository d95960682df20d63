package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"text/tabwriter"
	"time"
)

type assetRow struct {
	Name      string `json:"name"`
	Type      string `json:"type"`
	Folder    string `json:"folder"`
	Version   int    `json:"version"`
	Published struct {
		Delivery *struct{ Version int } `json:"delivery"`
		Preview  *struct{ Version int } `json:"preview"`
	} `json:"published"`
	LastPublishedAt *time.Time `json:"last_published_at"`
}

func runAssets(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: vitrine assets ls [--folder /x] [--q text] | show NAME")
	}
	fs := flag.NewFlagSet("assets "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := clientFlags(fs)
	folder := fs.String("folder", "", "only this folder (and below)")
	q := fs.String("q", "", "name contains")
	typ := fs.String("type", "", "asset type")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseArgs(fs, args[1:])
	if err != nil {
		return err
	}
	if err := c.check(); err != nil {
		return err
	}
	switch args[0] {
	case "ls", "list":
		v := url.Values{}
		for k, val := range map[string]string{"folder": *folder, "q": *q, "type": *typ} {
			if val != "" {
				v.Set(k, val)
			}
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tTYPE\tFOLDER\tVERSION\tDELIVERY\tPREVIEW\tLAST PUBLISHED")
		for {
			var page struct {
				Assets     []assetRow `json:"assets"`
				NextCursor string     `json:"next_cursor"`
			}
			if err := c.getJSON(ctx, c.companyURL("/assets", v), &page); err != nil {
				return err
			}
			for _, a := range page.Assets {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\n", a.Name, a.Type, a.Folder, a.Version,
					liveVersion(a.Published.Delivery), liveVersion(a.Published.Preview), fmtTime(a.LastPublishedAt))
			}
			if page.NextCursor == "" {
				break
			}
			v.Set("cursor", page.NextCursor)
		}
		return tw.Flush()
	case "show":
		if len(pos) != 1 {
			return errors.New("usage: vitrine assets show NAME")
		}
		var a map[string]any
		if err := c.getJSON(ctx, c.companyURL("/assets/"+url.PathEscape(pos[0]), nil), &a); err != nil {
			return err
		}
		_ = asJSON
		return printJSON(stdout, a)
	}
	return fmt.Errorf("unknown assets subcommand %q (ls, show)", args[0])
}

func liveVersion(s *struct{ Version int }) string {
	if s == nil {
		return "-"
	}
	return fmt.Sprintf("v%d", s.Version)
}
