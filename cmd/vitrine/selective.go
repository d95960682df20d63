package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"text/tabwriter"
)

// runFolders is `vitrine folders ls|create|show|set|rm` (SEL-2).
func runFolders(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: vitrine folders ls [/under] | create /path | show /path | set /path [--sync-mode M] [--publish-mode M] [--move-to /new] | rm /path")
	}
	fs := flag.NewFlagSet("folders "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := clientFlags(fs)
	sync := fs.String("sync-mode", "", "inherit, sync or exclude")
	pub := fs.String("publish-mode", "", "inherit, immediately, on_activation or selective")
	moveTo := fs.String("move-to", "", "rename or move the folder")
	pos, err := parseArgs(fs, args[1:])
	if err != nil {
		return err
	}
	if err := c.check(); err != nil {
		return err
	}
	path := "/"
	if len(pos) > 0 {
		path = pos[0]
	}
	folderURL := c.companyURL("/folders/"+strings.TrimPrefix(path, "/"), nil)
	type folder struct {
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
	show := func(f folder) error {
		fmt.Fprintf(stdout, "%s\n  sync mode:    %s", f.Path, f.SyncMode)
		if e := f.Effective; e != nil {
			fmt.Fprintf(stdout, " (effective %s, from %s)", e.SyncMode, e.SyncFrom)
		}
		fmt.Fprintf(stdout, "\n  publish mode: %s", f.PublishMode)
		if e := f.Effective; e != nil {
			fmt.Fprintf(stdout, " (effective %s, from %s)", e.PublishMode, e.PublishFrom)
		}
		fmt.Fprintln(stdout)
		return nil
	}
	var f folder
	switch args[0] {
	case "ls", "list":
		var out struct{ Folders []folder }
		if err := c.getJSON(ctx, c.companyURL("/folders", url.Values{"under": {path}}), &out); err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "PATH\tSYNC MODE\tPUBLISH MODE")
		for _, f := range out.Folders {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", f.Path, f.SyncMode, f.PublishMode)
		}
		return tw.Flush()
	case "create":
		body := map[string]any{"path": path}
		if *sync != "" {
			body["sync_mode"] = *sync
		}
		if *pub != "" {
			body["publish_mode"] = *pub
		}
		if err := c.postJSON(ctx, c.companyURL("/folders", nil), body, &f); err != nil {
			return err
		}
		return show(f)
	case "show":
		if err := c.getJSON(ctx, folderURL, &f); err != nil {
			return err
		}
		return show(f)
	case "set":
		body := map[string]any{}
		if *sync != "" {
			body["sync_mode"] = *sync
		}
		if *pub != "" {
			body["publish_mode"] = *pub
		}
		if *moveTo != "" {
			body["path"] = *moveTo
		}
		if len(body) == 0 {
			return errors.New("say what to set: --sync-mode, --publish-mode or --move-to")
		}
		if err := c.sendJSON(ctx, http.MethodPatch, folderURL, body, &f); err != nil {
			return err
		}
		return show(f)
	case "rm":
		if err := c.do(ctx, http.MethodDelete, folderURL, "", nil, nil); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "deleted %s\n", path)
		return nil
	}
	return fmt.Errorf("unknown folders subcommand %q", args[0])
}

// planItem is one row of a Manage Publication plan.
type planItem struct {
	Name    string `json:"name"`
	Folder  string `json:"folder"`
	Target  string `json:"target"`
	Reason  string `json:"reason"`
	Blocked bool   `json:"blocked"`
}

// runPublication is Manage Publication (SEL-5): `plan` lists every affected
// asset with its publish target; `apply` applies the action, optionally to
// the plan minus --skip'ed assets, now or --at a time.
func runPublication(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "plan" && args[0] != "apply") {
		return errors.New("usage: vitrine publication plan|apply --action publish|unpublish|publish_delivery|unpublish_delivery [NAME…] [--folder /x…] [--skip NAME…] [--at TIME]")
	}
	fs := flag.NewFlagSet("publication "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := clientFlags(fs)
	action := fs.String("action", "publish", "publish, unpublish, publish_delivery or unpublish_delivery")
	var folders, skip multiFlag
	fs.Var(&folders, "folder", "every asset below this folder (repeatable)")
	fs.Var(&skip, "skip", "leave this asset out of the plan (repeatable)")
	at := fs.String("at", "", "apply at this time (RFC 3339): a scheduled job")
	pos, err := parseArgs(fs, args[1:])
	if err != nil {
		return err
	}
	if err := c.check(); err != nil {
		return err
	}
	body := map[string]any{"action": *action, "assets": pos, "folders": []string(folders)}
	var plan struct{ Items []planItem }
	if err := c.postJSON(ctx, c.companyURL("/publication/plan", nil), body, &plan); err != nil {
		return err
	}
	skipped := map[string]bool{}
	for _, s := range skip {
		skipped[s] = true
	}
	if args[0] == "plan" {
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ASSET\tFOLDER\tPUBLISH TARGET\tWHY")
		for _, it := range plan.Items {
			target := it.Target
			if skipped[it.Name] {
				target = "(skipped)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", it.Name, it.Folder, target, it.Reason)
		}
		return tw.Flush()
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
	apply := map[string]any{"action": *action, "assets": names, "folders": []string{}, "exact": true}
	if *at != "" {
		return schedulePublication(ctx, c, apply, *at, stdout)
	}
	return postPublication(ctx, c, apply, stdout)
}

// runQuickPublish publishes the selection now, with its unpublished
// references (set members, derived images) (SEL-5).
func runQuickPublish(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("quick-publish", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := clientFlags(fs)
	var folders multiFlag
	fs.Var(&folders, "folder", "every asset below this folder (repeatable)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := c.check(); err != nil {
		return err
	}
	if len(pos) == 0 && len(folders) == 0 {
		return errors.New("usage: vitrine quick-publish NAME… [--folder /x]")
	}
	return postPublication(ctx, c, map[string]any{"action": "publish", "assets": pos, "folders": []string(folders), "quick": true}, stdout)
}

func postPublication(ctx context.Context, c *client, body map[string]any, stdout io.Writer) error {
	var res struct {
		Results []struct {
			Name    string   `json:"name"`
			Changed []string `json:"changed"`
			Note    string   `json:"note"`
		} `json:"results"`
	}
	if err := c.postJSON(ctx, c.companyURL("/publication", nil), body, &res); err != nil {
		return err
	}
	for _, r := range res.Results {
		switch {
		case r.Note != "":
			fmt.Fprintf(stdout, "%s: %s\n", r.Name, r.Note)
		case len(r.Changed) == 0:
			fmt.Fprintf(stdout, "%s: unchanged\n", r.Name)
		default:
			fmt.Fprintf(stdout, "%s: %s to %v\n", r.Name, pastTense(fmt.Sprint(body["action"])), r.Changed)
		}
	}
	return nil
}

// pastTense says what an action did; the destinations say where.
func pastTense(action string) string {
	if strings.HasPrefix(action, "unpublish") {
		return "unpublished"
	}
	return "published"
}
