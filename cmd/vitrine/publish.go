package main

import (
	"fmt"
	"net/http"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

// publishCmd is publish or unpublish: named assets and folders now or at
// a time, or (publish) a publish job, once or on a schedule.
func (a *app) publishCmd(action string) *cobra.Command {
	var out output
	var folders []string
	var delivery bool
	var job publishJobFlags
	cmd := &cobra.Command{
		Use:     action + " NAME… [--folder /x]",
		Short:   action + " assets and folders, now or at a time",
		GroupID: groupPublish,
		Example: fmt.Sprintf(`  vitrine %[1]s shoe hat
  vitrine %[1]s --folder /campaign
  vitrine %[1]s --delivery teaser       # the public destination only (selective folders)
  vitrine %[1]s shoe --at 2030-01-01T09:00:00Z`, action),
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if job.wanted() {
				if len(args) > 0 {
					return usagef("a publish job (--job, a schedule, --type, --to, --notify, --run-as) covers folders (--folder) or the whole company, not named assets")
				}
				if delivery {
					return usagef("--delivery publishes named assets now; a publish job cannot take it")
				}
			} else if len(args) == 0 && len(folders) == 0 {
				return usagef("name assets or --folder: %s", cmd.UseLine())
			}
			c, err := a.client()
			if err != nil {
				return err
			}
			if job.wanted() {
				return job.submit(cmd.Context(), c, folders, cmd.OutOrStdout(), &out)
			}
			act := action
			if delivery {
				act += "_delivery"
			}
			body := map[string]any{"action": act, "assets": nonNil(args), "folders": nonNil(folders)}
			if job.at != "" {
				return schedulePublication(cmd.Context(), c, body, job.at, cmd.OutOrStdout(), &out)
			}
			return postPublication(cmd.Context(), c, body, cmd.OutOrStdout(), &out)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&folders, "folder", nil, "every asset below this folder (repeatable)")
	f.BoolVar(&delivery, "delivery", false, "the delivery destination only (selective publish mode)")
	if action == "publish" {
		job.register(f)
		cmd.Example += `
  vitrine publish --job Nightly --daily 02:00 --type full
  vitrine publish --job Fridays --rule '0 15 10 ? * 6L' --folder /sale`
	} else {
		f.StringVar(&job.at, "at", "", "unpublish at this time (a one-time job): RFC 3339, or 'YYYY-MM-DD HH:MM' in the company's time zone")
	}
	out.register(cmd)
	return cmd
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (a *app) historyCmd() *cobra.Command {
	var out output
	cmd := &cobra.Command{
		Use:     "history NAME",
		Short:   "show an asset's publish history, newest first",
		GroupID: groupPublish,
		Example: "  vitrine history shoe",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			var res struct {
				History []struct {
					Version     int       `json:"version"`
					Context     string    `json:"context"`
					Destination string    `json:"destination"`
					Action      string    `json:"action"`
					JobID       *int64    `json:"job_id"`
					User        string    `json:"user"`
					At          time.Time `json:"at"`
				} `json:"history"`
			}
			raw, err := c.doRaw(cmd.Context(), http.MethodGet, c.assetURL(args[0], "/history"), "", nil, &res)
			if err != nil {
				return err
			}
			return out.print(cmd.OutOrStdout(), raw, func() error {
				tw := tabwriter.NewWriter(cmd.OutOrStdout(), 2, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "TIME\tACTION\tVERSION\tCONTEXT\tDESTINATION\tUSER\tJOB")
				for _, h := range res.History {
					job := "-"
					if h.JobID != nil {
						job = fmt.Sprint(*h.JobID)
					}
					fmt.Fprintf(tw, "%s\t%s\tv%d\t%s\t%s\t%s\t%s\n", fmtTime(&h.At), h.Action, h.Version, h.Context, h.Destination, h.User, job)
				}
				return tw.Flush()
			})
		},
	}
	out.register(cmd)
	return cmd
}
