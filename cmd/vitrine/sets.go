package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"text/tabwriter"

	"github.com/vitrine/vitrine"
)

const setsUsage = `usage:
  vitrine sets create NAME --type image_set|swatch_set|spin_set|mixed_media_set|ecatalog|video_set [--folder /x] [--rows R --columns C] [--source VIDEO] [--publish=false] MEMBER…
  vitrine sets show NAME [--json]
  vitrine sets add NAME [--publish=false] MEMBER…
  vitrine sets rm NAME [--publish=false] MEMBER…`

// runSets creates, shows and edits sets through the API. Members are asset
// ids; swatches and eCatalog search data are set through the API's JSON.
// Publish after save is on unless --publish=false (PUB-5).
func runSets(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(setsUsage)
	}
	fs := flag.NewFlagSet("sets "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := clientFlags(fs)
	typ := fs.String("type", "", "set type (create)")
	folder := fs.String("folder", "", "folder of a new set")
	rows := fs.Int("rows", 0, "spin set rows")
	columns := fs.Int("columns", 0, "spin set columns")
	source := fs.String("source", "", "video set: the primary video")
	publish := fs.Bool("publish", true, "publish the set and its members after saving")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseArgs(fs, args[1:])
	if err != nil {
		return err
	}
	if err := c.check(); err != nil {
		return err
	}
	if len(pos) == 0 {
		return errors.New(setsUsage)
	}
	name, names := pos[0], pos[1:]
	setURL := c.companyURL("/sets/"+url.PathEscape(name), nil)
	switch args[0] {
	case "create":
		spec := vitrine.SetSpec{Name: name, Type: vitrine.AssetType(*typ), Folder: *folder, Rows: *rows, Columns: *columns,
			Source: *source, Members: memberList(names), PublishAfterSave: publish}
		var res setResult
		if err := c.postJSON(ctx, c.companyURL("/sets", nil), spec, &res); err != nil {
			return err
		}
		return printSet(stdout, res.Set, res.Results, *asJSON)
	case "show":
		var s vitrine.Set
		if err := c.getJSON(ctx, setURL, &s); err != nil {
			return err
		}
		return printSet(stdout, &s, nil, *asJSON)
	case "add", "rm":
		if len(names) == 0 {
			return errors.New(setsUsage)
		}
		var s vitrine.Set
		if err := c.getJSON(ctx, setURL, &s); err != nil {
			return err
		}
		spec := vitrine.SetSpec{Name: s.Name, Type: s.Type, Rows: s.Rows, Columns: s.Columns, Source: s.Source,
			Members: s.Members, PublishAfterSave: publish}
		if args[0] == "add" {
			spec.Members = append(spec.Members, memberList(names)...)
		} else {
			spec.Members = slices.DeleteFunc(spec.Members, func(m vitrine.SetMember) bool { return slices.Contains(names, m.Name) })
		}
		for i := range spec.Members {
			spec.Members[i].Type = "" // the server fills it in
		}
		b, err := json.Marshal(spec)
		if err != nil {
			return err
		}
		var res setResult
		if err := c.do(ctx, http.MethodPut, setURL, "application/json", bytes.NewReader(b), &res); err != nil {
			return err
		}
		return printSet(stdout, res.Set, res.Results, *asJSON)
	}
	return fmt.Errorf("unknown sets subcommand %q (create, show, add, rm)", args[0])
}

// setResult is the answer of POST /sets and PUT /sets/{name}.
type setResult struct {
	Set     *vitrine.Set            `json:"set"`
	Results []vitrine.PublishResult `json:"results"`
}

func memberList(names []string) []vitrine.SetMember {
	out := make([]vitrine.SetMember, len(names))
	for i, n := range names {
		out[i] = vitrine.SetMember{Name: n}
	}
	return out
}

func printSet(w io.Writer, s *vitrine.Set, results []vitrine.PublishResult, asJSON bool) error {
	if asJSON {
		return printJSON(w, map[string]any{"set": s, "results": results})
	}
	live := "unpublished"
	if s.Published.Delivery != nil {
		live = fmt.Sprintf("published v%d", s.Published.Delivery.Version)
	}
	fmt.Fprintf(w, "%s (%s) in %s, version %d, %s\n", s.Name, s.Type, s.Folder, s.Version, live)
	if s.Rows > 0 {
		fmt.Fprintf(w, "grid: %d × %d\n", s.Rows, s.Columns)
	}
	if s.Source != "" {
		fmt.Fprintf(w, "source: %s\n", s.Source)
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tMEMBER\tTYPE\tSWATCH")
	for i, m := range s.Members {
		swatch := ""
		if sw := m.Swatch; sw != nil {
			swatch = sw.Image + sw.Crop
			if sw.Color != "" {
				swatch = "#" + sw.Color + " " + sw.Label
			}
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", i+1, m.Name, m.Type, swatch)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, r := range results {
		if len(r.Changed) > 0 {
			fmt.Fprintf(w, "published %s to %v %s\n", r.Name, r.Changed, r.Note)
		}
	}
	return nil
}
