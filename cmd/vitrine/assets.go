package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
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

func (a *app) assetsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "assets",
		Short:   "the asset life cycle: ls, show, rm, restore, mv, cp, rename, versions, derive, meta",
		GroupID: groupContent,
		Example: `  vitrine assets ls --folder /products
  vitrine assets show shoe
  vitrine assets rename hat sale-hat
  vitrine assets rm sale-hat`,
	}
	cmd.AddCommand(a.assetsLsCmd(), a.assetsShowCmd(), a.assetsRmCmd(), a.assetsRestoreCmd(), a.assetsMoveCmd("mv"),
		a.assetsMoveCmd("cp"), a.assetsRenameCmd(), a.assetsVersionsCmd(), a.assetsDeriveCmd(), a.assetsMetaCmd())
	return cmd
}

func (a *app) assetsLsCmd() *cobra.Command {
	var out output
	var folder, q, typ string
	var trashed bool
	cmd := &cobra.Command{
		Use:     "ls",
		Aliases: []string{"list"},
		Short:   "list assets, in a folder and below",
		Long:    "List assets, in a folder and below. With --json each page of the API's answer is printed as it comes (one JSON document per page).",
		Example: `  vitrine assets ls
  vitrine assets ls --folder /products --type image
  vitrine assets ls --trashed
  vitrine assets ls --json | jq -r '.assets[].name'`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			v := url.Values{}
			for k, val := range map[string]string{"folder": folder, "q": q, "type": typ} {
				if val != "" {
					v.Set(k, val)
				}
			}
			if trashed {
				v.Set("trashed", "true")
			}
			w := cmd.OutOrStdout()
			tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
			if !out.json {
				fmt.Fprintln(tw, "NAME\tTYPE\tFOLDER\tVERSION\tDELIVERY\tPREVIEW\tLAST PUBLISHED")
			}
			for {
				var page struct {
					Assets     []assetRow `json:"assets"`
					NextCursor string     `json:"next_cursor"`
				}
				raw, err := c.get(cmd.Context(), c.companyURL("/assets", v), &page)
				if err != nil {
					return err
				}
				if out.json {
					if err := writeRaw(w, raw); err != nil {
						return err
					}
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
			if out.json {
				return nil
			}
			return tw.Flush()
		},
	}
	f := cmd.Flags()
	f.StringVar(&folder, "folder", "", "only this folder and below")
	f.StringVar(&q, "q", "", "only names containing this text")
	f.StringVar(&typ, "type", "", "only this asset type (image, video, image_set, …)")
	f.BoolVar(&trashed, "trashed", false, "list the Trash instead")
	out.register(cmd)
	return cmd
}

type assetDetail struct {
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

func (a *app) assetsShowCmd() *cobra.Command {
	var out output
	cmd := &cobra.Command{
		Use:     "show NAME",
		Short:   "show an asset: file, modes, what is live",
		Example: "  vitrine assets show shoe\n  vitrine assets show shoe --json | jq .published",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			var d assetDetail
			raw, err := c.get(cmd.Context(), c.assetURL(args[0], ""), &d)
			if err != nil {
				return err
			}
			return out.print(cmd.OutOrStdout(), raw, func() error { printAsset(cmd.OutOrStdout(), &d); return nil })
		},
	}
	out.register(cmd)
	return cmd
}

func printAsset(w io.Writer, a *assetDetail) {
	fmt.Fprintf(w, "%s (%s) in %s, version %d\n", a.Name, a.Type, a.Folder, a.Version)
	if v := a.CurrentVersion; v != nil {
		fmt.Fprintf(w, "  file:       %s, %s, %d bytes", v.Filename, v.Format, v.Size)
		if v.Width > 0 {
			fmt.Fprintf(w, ", %d×%d", v.Width, v.Height)
		}
		fmt.Fprintln(w)
	}
	if a.Title != "" || len(a.Keywords) > 0 {
		fmt.Fprintf(w, "  title:      %s\n  keywords:   %s\n", a.Title, strings.Join(a.Keywords, ", "))
	}
	if a.SyncMode != "" {
		fmt.Fprintf(w, "  modes:      sync %s, publish %s\n", a.SyncMode, a.PublishMode)
	}
	fmt.Fprintf(w, "  delivery:   %s\n  preview:    %s\n  published:  %s\n",
		liveVersion(a.Published.Delivery), liveVersion(a.Published.Preview), fmtTime(a.LastPublishedAt))
	if a.TrashedAt != nil {
		fmt.Fprintf(w, "  in the Trash since %s\n", fmtTime(a.TrashedAt))
	}
}

// assetURL is the API URL of an asset, or of one of its actions.
func (c *client) assetURL(name, action string) string {
	return c.companyURL("/assets/"+url.PathEscape(name)+action, nil)
}

func (a *app) assetsRmCmd() *cobra.Command {
	var out output
	cmd := &cobra.Command{
		Use:     "rm NAME…",
		Aliases: []string{"delete"},
		Short:   "move assets to the Trash (unpublished; restore brings them back)",
		Example: "  vitrine assets rm draft\n  vitrine assets rm a b c",
		Args:    minArgs(1),
		RunE:    a.trashRun(&out),
	}
	out.register(cmd)
	return cmd
}

// trashRun moves each named asset (a set is an asset) to the Trash:
// assets rm and sets delete.
func (a *app) trashRun(out *output) func(cmd *cobra.Command, args []string) error {
	return func(cmd *cobra.Command, args []string) error {
		c, err := a.client()
		if err != nil {
			return err
		}
		for _, n := range args {
			raw, err := c.doRaw(cmd.Context(), http.MethodDelete, c.assetURL(n, ""), "", nil, nil)
			if err != nil {
				return fmt.Errorf("%s: %w", n, err)
			}
			if err := out.line(cmd.OutOrStdout(), raw, "%s: moved to the Trash\n", n); err != nil {
				return err
			}
		}
		return nil
	}
}

func (a *app) assetsRestoreCmd() *cobra.Command {
	var out output
	cmd := &cobra.Command{
		Use:     "restore NAME…",
		Short:   "restore assets from the Trash (unpublished)",
		Example: "  vitrine assets ls --trashed\n  vitrine assets restore draft",
		Args:    minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			for _, n := range args {
				var d assetDetail
				raw, err := c.sendJSON(cmd.Context(), http.MethodPost, c.assetURL(n, "/restore"), struct{}{}, &d)
				if err != nil {
					return fmt.Errorf("%s: %w", n, err)
				}
				if err := out.line(cmd.OutOrStdout(), raw, "%s: restored to %s\n", d.Name, d.Folder); err != nil {
					return err
				}
			}
			return nil
		},
	}
	out.register(cmd)
	return cmd
}

// assetsMoveCmd is mv (keeps the publish state; the old URL stops) or cp
// (an unpublished copy).
func (a *app) assetsMoveCmd(verb string) *cobra.Command {
	var out output
	var folder, name string
	cmd := &cobra.Command{
		Use:     verb + " NAME --folder /dest [--name NEW]",
		Short:   "move an asset to another folder (keeps its publish state; the old URL stops)",
		Example: "  vitrine assets mv hat --folder /sale\n  vitrine assets mv hat --folder /sale --name sale-hat",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			action, did := "/move", "moved"
			if verb == "cp" {
				action, did = "/copy", "copied"
			}
			var d assetDetail
			raw, err := c.sendJSON(cmd.Context(), http.MethodPost, c.assetURL(args[0], action), map[string]string{"folder": folder, "name": name}, &d)
			if err != nil {
				return err
			}
			return out.line(cmd.OutOrStdout(), raw, "%s: %s to %s as %s\n", args[0], did, d.Folder, d.Name)
		},
	}
	if verb == "cp" {
		cmd.Short = "copy an asset (the copy is unpublished; its name gets -1, -2 … if taken)"
		cmd.Example = "  vitrine assets cp shoe --folder /archive\n  vitrine assets cp shoe --folder /archive --name shoe-2024"
	}
	cmd.Flags().StringVar(&folder, "folder", "", "destination folder (default: the same folder)")
	cmd.Flags().StringVar(&name, "name", "", "new name (default: the same)")
	out.register(cmd)
	return cmd
}

func (a *app) assetsRenameCmd() *cobra.Command {
	var out output
	cmd := &cobra.Command{
		Use:     "rename NAME NEW",
		Short:   "rename an asset (keeps its publish state; the old URL stops)",
		Example: "  vitrine assets rename hat sale-hat",
		Args:    exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			var d assetDetail
			raw, err := c.sendJSON(cmd.Context(), http.MethodPatch, c.assetURL(args[0], ""), map[string]string{"name": args[1]}, &d)
			if err != nil {
				return err
			}
			return out.line(cmd.OutOrStdout(), raw, "%s: renamed to %s\n", args[0], d.Name)
		},
	}
	out.register(cmd)
	return cmd
}

func (a *app) assetsVersionsCmd() *cobra.Command {
	var out output
	cmd := &cobra.Command{
		Use:     "versions NAME",
		Short:   "list an asset's versions, newest first",
		Example: "  vitrine assets versions shoe",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			var res struct {
				Versions []struct {
					Number    int       `json:"number"`
					Filename  string    `json:"filename"`
					Format    string    `json:"format"`
					Size      int64     `json:"size"`
					Width     int       `json:"width"`
					Height    int       `json:"height"`
					CreatedAt time.Time `json:"created_at"`
				} `json:"versions"`
			}
			raw, err := c.get(cmd.Context(), c.assetURL(args[0], "/versions"), &res)
			if err != nil {
				return err
			}
			return out.print(cmd.OutOrStdout(), raw, func() error {
				tw := tabwriter.NewWriter(cmd.OutOrStdout(), 2, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "VERSION\tFILE\tFORMAT\tBYTES\tSIZE\tCREATED")
				for _, v := range res.Versions {
					fmt.Fprintf(tw, "v%d\t%s\t%s\t%d\t%d×%d\t%s\n", v.Number, v.Filename, v.Format, v.Size, v.Width, v.Height, fmtTime(&v.CreatedAt))
				}
				return tw.Flush()
			})
		},
	}
	out.register(cmd)
	return cmd
}

func (a *app) assetsDeriveCmd() *cobra.Command {
	var out output
	var name, recipe string
	var replace bool
	cmd := &cobra.Command{
		Use:   "derive NAME --recipe MODIFIERS [--name NEW | --replace-original]",
		Short: "make a derived image from an image and a recipe of modifiers",
		Example: `  vitrine assets derive shoe --recipe 'crop=0,0,500,500&rotate=90' --name shoe-square
  vitrine assets derive shoe --recipe 'op_usm=1,1,5,0' --replace-original`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			var d assetDetail
			body := map[string]any{"name": name, "recipe": recipe, "replace_original": replace}
			raw, err := c.sendJSON(cmd.Context(), http.MethodPost, c.assetURL(args[0], "/derive"), body, &d)
			if err != nil {
				return err
			}
			return out.line(cmd.OutOrStdout(), raw, "%s: derived %s, version %d\n", args[0], d.Name, d.Version)
		},
	}
	cmd.Flags().StringVar(&recipe, "recipe", "", "Image Serving modifiers, e.g. crop=0,0,500,500&rotate=90 (required)")
	cmd.Flags().StringVar(&name, "name", "", "name of the new asset")
	cmd.Flags().BoolVar(&replace, "replace-original", false, "make the result a new version of NAME instead")
	_ = cmd.MarkFlagRequired("recipe")
	out.register(cmd)
	return cmd
}

func (a *app) assetsMetaCmd() *cobra.Command {
	var out output
	var title string
	var keywords []string
	cmd := &cobra.Command{
		Use:   "meta NAME [--title T] [--keywords K1,K2]",
		Short: "show or change an asset's title and keywords",
		Example: `  vitrine assets meta shoe
  vitrine assets meta shoe --title "Red shoe" --keywords red,shoe`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			body := map[string]any{}
			if cmd.Flags().Changed("title") {
				body["title"] = title
			}
			if cmd.Flags().Changed("keywords") {
				body["keywords"] = keywords
			}
			var d assetDetail
			var raw []byte
			if len(body) == 0 {
				raw, err = c.get(cmd.Context(), c.assetURL(args[0], ""), &d)
			} else {
				raw, err = c.sendJSON(cmd.Context(), http.MethodPatch, c.assetURL(args[0], ""), body, &d)
			}
			if err != nil {
				return err
			}
			return out.line(cmd.OutOrStdout(), raw, "%s\n  title:      %s\n  keywords:   %s\n", d.Name, d.Title, strings.Join(d.Keywords, ", "))
		},
	}
	cmd.Flags().StringVar(&title, "title", "", "the new title")
	cmd.Flags().StringSliceVar(&keywords, "keywords", nil, "the new keywords, comma-separated (replaces the old ones)")
	out.register(cmd)
	return cmd
}

func liveVersion(s *struct{ Version int }) string {
	if s == nil {
		return "-"
	}
	return fmt.Sprintf("v%d", s.Version)
}
