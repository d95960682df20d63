package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

type folderView struct {
	Path        string `json:"path"`
	SyncMode    string `json:"sync_mode"`
	PublishMode string `json:"publish_mode"`
	Effective   *struct {
		SyncMode    string `json:"sync_mode"`
		SyncFrom    string `json:"sync_from"`
		PublishMode string `json:"publish_mode"`
		PublishFrom string `json:"publish_from"`
	} `json:"effective"`
}

func (f *folderView) print(w io.Writer) error {
	fmt.Fprintf(w, "%s\n  sync mode:    %s", f.Path, f.SyncMode)
	if e := f.Effective; e != nil {
		fmt.Fprintf(w, " (effective %s, from %s)", e.SyncMode, e.SyncFrom)
	}
	fmt.Fprintf(w, "\n  publish mode: %s", f.PublishMode)
	if e := f.Effective; e != nil {
		fmt.Fprintf(w, " (effective %s, from %s)", e.PublishMode, e.PublishFrom)
	}
	_, err := fmt.Fprintln(w)
	return err
}

func (c *client) folderURL(path string) string {
	return c.companyURL("/folders/"+strings.TrimPrefix(path, "/"), nil)
}

// foldersCmd is folders and their publish properties (Selective Publish).
func (a *app) foldersCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "folders",
		Short:   "folders and their publish properties: ls, create, show, set, rm",
		GroupID: groupContent,
		Example: `  vitrine folders ls
  vitrine folders create /campaign --publish-mode selective
  vitrine folders set /campaign --move-to /campaigns/spring`,
	}
	var out output
	ls := &cobra.Command{
		Use:     "ls [/under]",
		Aliases: []string{"list"},
		Short:   "list folders, below / or a given folder",
		Example: "  vitrine folders ls\n  vitrine folders ls /products",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			under := "/"
			if len(args) == 1 {
				under = args[0]
			}
			var res struct{ Folders []folderView }
			raw, err := c.get(cmd.Context(), c.companyURL("/folders", url.Values{"under": {under}}), &res)
			if err != nil {
				return err
			}
			return out.print(cmd.OutOrStdout(), raw, func() error {
				tw := tabwriter.NewWriter(cmd.OutOrStdout(), 2, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "PATH\tSYNC MODE\tPUBLISH MODE")
				for _, f := range res.Folders {
					fmt.Fprintf(tw, "%s\t%s\t%s\n", f.Path, f.SyncMode, f.PublishMode)
				}
				return tw.Flush()
			})
		},
	}
	out.register(ls)
	cmd.AddCommand(ls, a.folderCmd("create"), a.folderCmd("show"), a.folderCmd("set"), a.folderCmd("rm"))
	return cmd
}

// folderCmd is one of the folder commands that take a path.
func (a *app) folderCmd(verb string) *cobra.Command {
	var out output
	var syncMode, pubMode, moveTo string
	cmd := &cobra.Command{Use: verb + " /path", Args: exactArgs(1)}
	modes := func() {
		cmd.Flags().StringVar(&syncMode, "sync-mode", "", "inherit, sync or exclude")
		cmd.Flags().StringVar(&pubMode, "publish-mode", "", "inherit, immediately, on_activation or selective")
	}
	switch verb {
	case "create":
		cmd.Short, cmd.Example = "create a folder and its parents", "  vitrine folders create /campaign --publish-mode selective"
		modes()
	case "show":
		cmd.Short, cmd.Example = "show a folder's modes and where the effective ones come from", "  vitrine folders show /campaign"
	case "set":
		cmd.Use = "set /path [--sync-mode M] [--publish-mode M] [--move-to /new]"
		cmd.Short = "change a folder's modes, or rename or move it"
		cmd.Example = "  vitrine folders set /campaign --publish-mode on_activation\n  vitrine folders set /campaign --move-to /archive/campaign"
		modes()
		cmd.Flags().StringVar(&moveTo, "move-to", "", "rename or move the folder")
	case "rm":
		cmd.Short, cmd.Example = "delete an empty folder", "  vitrine folders rm /campaign"
	}
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		body := map[string]any{}
		for k, v := range map[string]string{"sync_mode": syncMode, "publish_mode": pubMode} {
			if v != "" {
				body[k] = v
			}
		}
		if verb == "set" && moveTo != "" {
			body["path"] = moveTo
		}
		if verb == "set" && len(body) == 0 {
			return usagef("say what to set: --sync-mode, --publish-mode or --move-to")
		}
		c, err := a.client()
		if err != nil {
			return err
		}
		var f folderView
		var raw []byte
		switch verb {
		case "create":
			body["path"] = args[0]
			raw, err = c.sendJSON(cmd.Context(), http.MethodPost, c.companyURL("/folders", nil), body, &f)
		case "show":
			raw, err = c.get(cmd.Context(), c.folderURL(args[0]), &f)
		case "set":
			raw, err = c.sendJSON(cmd.Context(), http.MethodPatch, c.folderURL(args[0]), body, &f)
		case "rm":
			raw, err = c.doRaw(cmd.Context(), http.MethodDelete, c.folderURL(args[0]), "", nil, nil)
			if err == nil && !out.json {
				_, err = fmt.Fprintf(cmd.OutOrStdout(), "deleted %s\n", args[0])
				return err
			}
		}
		if err != nil {
			return err
		}
		return out.print(cmd.OutOrStdout(), raw, func() error { return f.print(cmd.OutOrStdout()) })
	}
	out.register(cmd)
	return cmd
}

// planItem is one row of a Manage Publication plan.
type planItem struct {
	Name    string `json:"name"`
	Folder  string `json:"folder"`
	Target  string `json:"target"`
	Reason  string `json:"reason"`
	Blocked bool   `json:"blocked"`
}

// publicationCmd is Manage Publication: `plan` lists every affected asset
// with its publish target; `apply` applies the action, optionally to the
// plan minus --skip'ed assets, now or --at a time.
func (a *app) publicationCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "publication",
		Short:   "Manage Publication: plan (each asset's publish target) or apply",
		GroupID: groupPublish,
		Example: `  vitrine publication plan --action publish --folder /campaign
  vitrine publication apply --action publish --folder /campaign --skip teaser`,
	}
	cmd.AddCommand(a.publicationStep("plan"), a.publicationStep("apply"))
	return cmd
}

func (a *app) publicationStep(step string) *cobra.Command {
	var out output
	var action, at string
	var folders, skip []string
	cmd := &cobra.Command{
		Use:     step + " [NAME…] [--folder /x…] [--action A]",
		Short:   "list each affected asset with its publish target and why",
		Example: "  vitrine publication plan --action publish --folder /campaign\n  vitrine publication plan --action unpublish_delivery shoe",
		Args:    cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 && len(folders) == 0 {
				return usagef("name assets or --folder: %s", cmd.UseLine())
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			body := map[string]any{"action": action, "assets": nonNil(args), "folders": nonNil(folders)}
			var plan struct{ Items []planItem }
			raw, err := c.sendJSON(cmd.Context(), http.MethodPost, c.companyURL("/publication/plan", nil), body, &plan)
			if err != nil {
				return err
			}
			skipped := map[string]bool{}
			for _, s := range skip {
				skipped[s] = true
			}
			w := cmd.OutOrStdout()
			if step == "plan" {
				return out.print(w, raw, func() error {
					tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
					fmt.Fprintln(tw, "ASSET\tFOLDER\tPUBLISH TARGET\tWHY")
					for _, it := range plan.Items {
						target := it.Target
						if skipped[it.Name] {
							target = "(skipped)"
						}
						fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", it.Name, it.Folder, target, it.Reason)
					}
					return tw.Flush()
				})
			}
			var names []string
			for _, it := range plan.Items {
				if !skipped[it.Name] {
					names = append(names, it.Name)
				}
			}
			if len(names) == 0 {
				return errors.New("nothing left to apply")
			}
			// The plan listed what publishes with the selection: apply exactly it.
			apply := map[string]any{"action": action, "assets": names, "folders": []string{}, "exact": true}
			if at != "" {
				return schedulePublication(cmd.Context(), c, apply, at, w, &out)
			}
			return postPublication(cmd.Context(), c, apply, w, &out)
		},
	}
	f := cmd.Flags()
	f.StringVar(&action, "action", "publish", "publish, unpublish, publish_delivery or unpublish_delivery")
	f.StringArrayVar(&folders, "folder", nil, "every asset below this folder (repeatable)")
	f.StringArrayVar(&skip, "skip", nil, "leave this asset out of the plan (repeatable)")
	if step == "apply" {
		cmd.Short = "apply an action to exactly what its plan lists, now or --at a time"
		cmd.Example = "  vitrine publication apply --action publish --folder /campaign --skip teaser\n  vitrine publication apply --action publish --folder /campaign --at 2030-01-01T09:00:00Z"
		f.StringVar(&at, "at", "", "apply at this time (RFC 3339): a scheduled job")
	}
	out.register(cmd)
	return cmd
}

// quickPublishCmd publishes the selection now, with its unpublished
// references (set members, derived images).
func (a *app) quickPublishCmd() *cobra.Command {
	var out output
	var folders []string
	cmd := &cobra.Command{
		Use:     "quick-publish NAME… [--folder /x]",
		Short:   "publish now, with the unpublished assets they reference",
		GroupID: groupPublish,
		Example: "  vitrine quick-publish spring\n  vitrine quick-publish --folder /campaign",
		Args:    cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 && len(folders) == 0 {
				return usagef("name assets or --folder: %s", cmd.UseLine())
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			body := map[string]any{"action": "publish", "assets": nonNil(args), "folders": nonNil(folders), "quick": true}
			return postPublication(cmd.Context(), c, body, cmd.OutOrStdout(), &out)
		},
	}
	cmd.Flags().StringArrayVar(&folders, "folder", nil, "every asset below this folder (repeatable)")
	out.register(cmd)
	return cmd
}

func postPublication(ctx context.Context, c *client, body map[string]any, w io.Writer, out *output) error {
	var res struct {
		Results []struct {
			Name    string   `json:"name"`
			Changed []string `json:"changed"`
			Note    string   `json:"note"`
		} `json:"results"`
	}
	raw, err := c.sendJSON(ctx, http.MethodPost, c.companyURL("/publication", nil), body, &res)
	if err != nil {
		return err
	}
	return out.print(w, raw, func() error {
		for _, r := range res.Results {
			switch {
			case r.Note != "":
				fmt.Fprintf(w, "%s: %s\n", r.Name, r.Note)
			case len(r.Changed) == 0:
				fmt.Fprintf(w, "%s: unchanged\n", r.Name)
			default:
				fmt.Fprintf(w, "%s: %s to %v\n", r.Name, pastTense(fmt.Sprint(body["action"])), r.Changed)
			}
		}
		return nil
	})
}

// pastTense says what an action did; the destinations say where.
func pastTense(action string) string {
	if strings.HasPrefix(action, "unpublish") {
		return "unpublished"
	}
	return "published"
}
