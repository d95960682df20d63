package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"
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
		u := c.companyURL("/assets/"+url.PathEscape(pos[0]), nil)
		if *asJSON {
			var a map[string]any
			if err := c.getJSON(ctx, u, &a); err != nil {
				return err
			}
			return printJSON(stdout, a)
		}
		var a struct {
			assetRow
			Title          string     `json:"title"`
			Keywords       []string   `json:"keywords"`
			SyncMode       string     `json:"sync_mode"`
			PublishMode    string     `json:"publish_mode"`
			TrashedAt      *time.Time `json:"trashed_at"`
			CurrentVersion *struct {
				Format   string `json:"format"`
				Size     int64  `json:"size"`
				Width    int    `json:"width"`
				Height   int    `json:"height"`
				Filename string `json:"filename"`
			} `json:"current_version"`
		}
		if err := c.getJSON(ctx, u, &a); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s (%s) in %s, version %d\n", a.Name, a.Type, a.Folder, a.Version)
		if v := a.CurrentVersion; v != nil {
			fmt.Fprintf(stdout, "  file:       %s, %s, %d bytes", v.Filename, v.Format, v.Size)
			if v.Width > 0 {
				fmt.Fprintf(stdout, ", %d×%d", v.Width, v.Height)
			}
			fmt.Fprintln(stdout)
		}
		if a.Title != "" || len(a.Keywords) > 0 {
			fmt.Fprintf(stdout, "  title:      %s\n  keywords:   %s\n", a.Title, strings.Join(a.Keywords, ", "))
		}
		fmt.Fprintf(stdout, "  modes:      sync %s, publish %s\n", a.SyncMode, a.PublishMode)
		fmt.Fprintf(stdout, "  delivery:   %s\n  preview:    %s\n  published:  %s\n",
			liveVersion(a.Published.Delivery), liveVersion(a.Published.Preview), fmtTime(a.LastPublishedAt))
		if a.TrashedAt != nil {
			fmt.Fprintf(stdout, "  in the Trash since %s\n", fmtTime(a.TrashedAt))
		}
		return nil
	}
	return fmt.Errorf("unknown assets subcommand %q (ls, show)", args[0])
}

func liveVersion(s *struct{ Version int }) string {
	if s == nil {
		return "-"
	}
	return fmt.Sprintf("v%d", s.Version)
}
