package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vitrine/vitrine"
)

// setTypes are the asset types that hold members, in `sets ls` order.
var setTypes = []vitrine.AssetType{vitrine.TypeImageSet, vitrine.TypeSwatchSet, vitrine.TypeSpinSet,
	vitrine.TypeMixedMediaSet, vitrine.TypeECatalog, vitrine.TypeVideoSet}

// setsCmd lists, creates, shows and edits sets. Members are asset names;
// swatches and eCatalog search data are set through the API's JSON.
// Publish after save is on unless --publish=false.
func (a *app) setsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "sets",
		Short:   "sets: ls, show, create, add, rm (members), delete",
		GroupID: groupContent,
		Example: `  vitrine sets create spring --type image_set shoe hat
  vitrine sets add spring scarf
  vitrine sets show spring`,
	}
	cmd.AddCommand(a.setsLsCmd(), a.setsShowCmd(), a.setsCreateCmd(), a.setsEditCmd("add"), a.setsEditCmd("rm"), a.setsDeleteCmd())
	return cmd
}

func (a *app) setsLsCmd() *cobra.Command {
	var out output
	var typ, folder string
	cmd := &cobra.Command{
		Use:     "ls [--type T] [--folder /x]",
		Aliases: []string{"list"},
		Short:   "list sets",
		Long:    "List sets. With --json the API's asset list pages are printed as they come, one JSON document per page and set type.",
		Example: "  vitrine sets ls\n  vitrine sets ls --type spin_set",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			types := setTypes
			if typ != "" {
				types = []vitrine.AssetType{vitrine.AssetType(typ)}
			}
			w := cmd.OutOrStdout()
			tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
			if !out.json {
				fmt.Fprintln(tw, "NAME\tTYPE\tFOLDER\tVERSION\tDELIVERY\tPREVIEW")
			}
			for _, t := range types {
				q := url.Values{"type": {string(t)}}
				if folder != "" {
					q.Set("folder", folder)
				}
				for {
					var page struct {
						Assets     []assetRow `json:"assets"`
						NextCursor string     `json:"next_cursor"`
					}
					raw, err := c.get(cmd.Context(), c.companyURL("/assets", q), &page)
					if err != nil {
						return err
					}
					if out.json {
						if err := writeRaw(w, raw); err != nil {
							return err
						}
					}
					for _, s := range page.Assets {
						fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", s.Name, s.Type, s.Folder, s.Version,
							liveVersion(s.Published.Delivery), liveVersion(s.Published.Preview))
					}
					if page.NextCursor == "" {
						break
					}
					q.Set("cursor", page.NextCursor)
				}
			}
			if out.json {
				return nil
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&typ, "type", "", "only this set type")
	cmd.Flags().StringVar(&folder, "folder", "", "only this folder and below")
	out.register(cmd)
	return cmd
}

func (a *app) setsShowCmd() *cobra.Command {
	var out output
	cmd := &cobra.Command{
		Use:     "show NAME",
		Short:   "show a set and its members",
		Example: "  vitrine sets show spring\n  vitrine sets show spring --json | jq '.members[].name'",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			var s vitrine.Set
			raw, err := c.get(cmd.Context(), c.companyURL("/sets/"+url.PathEscape(args[0]), nil), &s)
			if err != nil {
				return err
			}
			return out.print(cmd.OutOrStdout(), raw, func() error { return printSet(cmd.OutOrStdout(), &s, nil) })
		},
	}
	out.register(cmd)
	return cmd
}

func (a *app) setsCreateCmd() *cobra.Command {
	var out output
	var typ, folder, source string
	var rows, columns int
	var publish bool
	cmd := &cobra.Command{
		Use:   "create NAME --type T MEMBER…",
		Short: "create a set; publishing it publishes its members (they are what the set shows)",
		Long: `Create a set of the given members. Unless --publish=false the set is published
after saving, and so are its members: a member unpublished before is published
again, and the command prints each asset the save published.`,
		Example: `  vitrine sets create spring --type image_set shoe hat
  vitrine sets create turn --type spin_set --rows 1 --columns 3 a b c
  vitrine sets create clip --type video_set --source intro`,
		Args: minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			spec := vitrine.SetSpec{Name: args[0], Type: vitrine.AssetType(typ), Folder: folder, Rows: rows, Columns: columns,
				Source: source, Members: memberList(args[1:]), PublishAfterSave: &publish}
			var res setResult
			raw, err := c.sendJSON(cmd.Context(), http.MethodPost, c.companyURL("/sets", nil), spec, &res)
			if err != nil {
				return err
			}
			return out.print(cmd.OutOrStdout(), raw, func() error { return printSet(cmd.OutOrStdout(), res.Set, res.Results) })
		},
	}
	f := cmd.Flags()
	f.StringVar(&typ, "type", "", "image_set, swatch_set, spin_set, mixed_media_set, ecatalog or video_set (required)")
	f.StringVar(&folder, "folder", "", "folder of the new set")
	f.IntVar(&rows, "rows", 0, "spin set rows")
	f.IntVar(&columns, "columns", 0, "spin set columns")
	f.StringVar(&source, "source", "", "video set: the primary video")
	f.BoolVar(&publish, "publish", true, "publish the set and its members after saving")
	_ = cmd.MarkFlagRequired("type")
	out.register(cmd)
	return cmd
}

// setsEditCmd adds members to a set or removes them.
func (a *app) setsEditCmd(verb string) *cobra.Command {
	var out output
	var publish bool
	cmd := &cobra.Command{
		Use:     verb + " NAME MEMBER…",
		Short:   "add members to a set (at the end)",
		Example: "  vitrine sets add spring scarf\n  vitrine sets add spring scarf --publish=false",
		Args:    minArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			setURL := c.companyURL("/sets/"+url.PathEscape(args[0]), nil)
			var s vitrine.Set
			if err := c.getJSON(cmd.Context(), setURL, &s); err != nil {
				return err
			}
			names := args[1:]
			spec := vitrine.SetSpec{Name: s.Name, Type: s.Type, Rows: s.Rows, Columns: s.Columns, Source: s.Source,
				Members: s.Members, PublishAfterSave: &publish}
			if verb == "add" {
				spec.Members = append(spec.Members, memberList(names)...)
			} else {
				spec.Members = slices.DeleteFunc(spec.Members, func(m vitrine.SetMember) bool { return slices.Contains(names, m.Name) })
			}
			for i := range spec.Members {
				spec.Members[i].Type = "" // the server fills it in
			}
			var res setResult
			raw, err := c.sendJSON(cmd.Context(), http.MethodPut, setURL, spec, &res)
			if err != nil {
				return err
			}
			return out.print(cmd.OutOrStdout(), raw, func() error { return printSet(cmd.OutOrStdout(), res.Set, res.Results) })
		},
	}
	if verb == "rm" {
		cmd.Short = "remove members from a set (the assets stay)"
		cmd.Example = "  vitrine sets rm spring hat"
	}
	cmd.Flags().BoolVar(&publish, "publish", true, "publish the set (and its members) after saving")
	out.register(cmd)
	return cmd
}

func (a *app) setsDeleteCmd() *cobra.Command {
	var out output
	cmd := &cobra.Command{
		Use:     "delete NAME…",
		Short:   "move sets to the Trash (their members stay)",
		Example: "  vitrine sets delete spring",
		Args:    minArgs(1),
		RunE:    a.trashRun(&out),
	}
	out.register(cmd)
	return cmd
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

// printSet prints a set and, after a save, every asset the save published
// (the set and the members it published with it).
func printSet(w io.Writer, s *vitrine.Set, results []vitrine.PublishResult) error {
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
			fmt.Fprintln(w, strings.TrimSpace(fmt.Sprintf("published %s to %v %s", r.Name, r.Changed, r.Note)))
		}
	}
	return nil
}
