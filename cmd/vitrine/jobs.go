package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

// jobView is a job as the CLI reads it.
type jobView struct {
	ID          int64      `json:"id"`
	Type        string     `json:"type"`
	Name        string     `json:"name"`
	Status      string     `json:"status"`
	User        string     `json:"user"`
	SubmittedBy string     `json:"submitted_by"`
	Total       int        `json:"total"`
	Done        int        `json:"done"`
	Published   int        `json:"published"`
	Warnings    int        `json:"warnings"`
	Errors      int        `json:"errors"`
	Message     string     `json:"message"`
	CreatedAt   time.Time  `json:"created_at"`
	StartedAt   *time.Time `json:"started_at"`
	FinishedAt  *time.Time `json:"finished_at"`
	Schedule    *struct {
		Kind     string      `json:"kind"`
		Rule     string      `json:"rule"`
		TimeZone string      `json:"time_zone"`
		Active   bool        `json:"active"`
		NextRuns []time.Time `json:"next_runs"`
	} `json:"schedule"`
}

func (a *app) jobsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "jobs",
		Short:   "list and control jobs: ls, show, cancel, pause, resume, run, rm",
		GroupID: groupPublish,
		Example: `  vitrine jobs ls
  vitrine jobs ls --scheduled
  vitrine jobs show 12 --log`,
	}
	cmd.AddCommand(a.jobsLsCmd(), a.jobsShowCmd())
	for _, c := range []struct{ verb, short string }{
		{"cancel", "stop a job at its next safe point"},
		{"pause", "switch a scheduled entry off (it keeps its rule)"},
		{"resume", "switch a paused scheduled entry back on"},
		{"run", "run a scheduled entry now"},
		{"rm", "delete a scheduled entry or an ended job"},
	} {
		cmd.AddCommand(a.jobActionCmd(c.verb, c.short))
	}
	return cmd
}

func (a *app) jobsLsCmd() *cobra.Command {
	var out output
	var scheduled, mine bool
	var typ, rng string
	var limit int
	cmd := &cobra.Command{
		Use:     "ls",
		Aliases: []string{"list"},
		Short:   "list jobs: the history, or the scheduled entries",
		Example: "  vitrine jobs ls\n  vitrine jobs ls --scheduled\n  vitrine jobs ls --type upload --mine --range today",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			q := url.Values{"limit": {strconv.Itoa(limit)}}
			if scheduled {
				q.Set("tab", "scheduled")
			}
			if typ != "" {
				q.Set("type", typ)
			}
			if mine {
				q.Set("mine", "true")
			}
			if rng != "" {
				q.Set("range", rng)
			}
			var res struct{ Jobs []jobView }
			raw, err := c.get(cmd.Context(), c.companyURL("/jobs", q), &res)
			if err != nil {
				return err
			}
			return out.print(cmd.OutOrStdout(), raw, func() error { return printJobs(cmd.OutOrStdout(), res.Jobs, scheduled) })
		},
	}
	f := cmd.Flags()
	f.BoolVar(&scheduled, "scheduled", false, "the scheduled entries instead of the history")
	f.StringVar(&typ, "type", "", "publish, upload, invalidate or maintenance")
	f.BoolVar(&mine, "mine", false, "only my jobs")
	f.StringVar(&rng, "range", "", "today, week or month")
	f.IntVar(&limit, "limit", 50, "at most this many")
	out.register(cmd)
	return cmd
}

func (a *app) jobsShowCmd() *cobra.Command {
	var out output
	var withLog bool
	cmd := &cobra.Command{
		Use:     "show ID [--log]",
		Short:   "show a job, its schedule and next runs, or its per-asset log",
		Example: "  vitrine jobs show 12\n  vitrine jobs show 12 --log",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			id := url.PathEscape(args[0])
			if withLog {
				return printJobLog(cmd.Context(), c, id, cmd.OutOrStdout(), &out)
			}
			var j jobView
			raw, err := c.get(cmd.Context(), c.companyURL("/jobs/"+id, nil), &j)
			if err != nil {
				return err
			}
			return out.print(cmd.OutOrStdout(), raw, func() error { printJob(cmd.OutOrStdout(), &j); return nil })
		},
	}
	cmd.Flags().BoolVar(&withLog, "log", false, "show the per-asset log (with --json: one JSON document per page)")
	out.register(cmd)
	return cmd
}

func (a *app) jobActionCmd(verb, short string) *cobra.Command {
	var out output
	cmd := &cobra.Command{
		Use:     verb + " ID",
		Short:   short,
		Example: fmt.Sprintf("  vitrine jobs %s 12", verb),
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.client()
			if err != nil {
				return err
			}
			ctx, id := cmd.Context(), url.PathEscape(args[0])
			var j jobView
			var raw []byte
			switch verb {
			case "cancel", "run":
				raw, err = c.sendJSON(ctx, http.MethodPost, c.companyURL("/jobs/"+id+"/"+verb, nil), struct{}{}, &j)
			case "pause", "resume":
				raw, err = c.sendJSON(ctx, http.MethodPatch, c.companyURL("/jobs/"+id, nil), map[string]bool{"active": verb == "resume"}, &j)
			case "rm":
				raw, err = c.doRaw(ctx, http.MethodDelete, c.companyURL("/jobs/"+id, nil), "", nil, nil)
				if err == nil && !out.json {
					_, err = fmt.Fprintf(cmd.OutOrStdout(), "deleted job %s\n", args[0])
					return err
				}
			}
			if err != nil {
				return err
			}
			return out.print(cmd.OutOrStdout(), raw, func() error { printJob(cmd.OutOrStdout(), &j); return nil })
		},
	}
	out.register(cmd)
	return cmd
}

func printJobs(w io.Writer, jobs []jobView, scheduled bool) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	if scheduled {
		fmt.Fprintln(tw, "ID\tTYPE\tNAME\tACTIVE\tRULE\tNEXT RUN\tRUN AS")
		for _, j := range jobs {
			active, rule, next := "-", "-", "-"
			if s := j.Schedule; s != nil {
				active, rule = map[bool]string{true: "yes", false: "paused"}[s.Active], s.Rule
				if len(s.NextRuns) > 0 {
					next = fmtTime(&s.NextRuns[0])
				}
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", j.ID, j.Type, j.Name, active, rule, next, j.User)
		}
		return tw.Flush()
	}
	fmt.Fprintln(tw, "ID\tTYPE\tNAME\tSTARTED\tTOTAL\tDONE\tW\tE\tDURATION\tSTATUS\tSUBMITTED BY")
	for _, j := range jobs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\t%s\n", j.ID, j.Type, j.Name, fmtTime(j.StartedAt), j.Total, j.Done,
			j.Warnings, j.Errors, duration(j.StartedAt, j.FinishedAt), j.Status, j.SubmittedBy)
	}
	return tw.Flush()
}

func duration(start, end *time.Time) string {
	if start == nil {
		return "-"
	}
	e := time.Now()
	if end != nil {
		e = *end
	}
	return e.Sub(*start).Round(time.Second).String()
}

func printJob(w io.Writer, j *jobView) {
	fmt.Fprintf(w, "job %d  %s  %s\n  status:   %s\n", j.ID, j.Type, j.Name, j.Status)
	if j.Message != "" {
		fmt.Fprintf(w, "  message:  %s\n", j.Message)
	}
	fmt.Fprintf(w, "  run as:   %s (submitted by %s)\n", j.User, j.SubmittedBy)
	if s := j.Schedule; s != nil && j.Status == "scheduled" {
		fmt.Fprintf(w, "  schedule: %s %q in %s, active: %v\n", s.Kind, s.Rule, s.TimeZone, s.Active)
		for i, t := range s.NextRuns {
			fmt.Fprintf(w, "  next %d:   %s\n", i+1, t.Format(time.RFC3339))
		}
		return
	}
	fmt.Fprintf(w, "  counts:   total %d, done %d, published %d, warnings %d, errors %d\n", j.Total, j.Done, j.Published, j.Warnings, j.Errors)
	fmt.Fprintf(w, "  started:  %s  duration %s\n", fmtTime(j.StartedAt), duration(j.StartedAt, j.FinishedAt))
}

func printJobLog(ctx context.Context, c *client, id string, w io.Writer, out *output) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tLEVEL\tASSET\tMESSAGE")
	after := int64(0)
	for {
		var res struct {
			Log []struct {
				ID      int64     `json:"id"`
				Asset   string    `json:"asset"`
				Level   string    `json:"level"`
				Message string    `json:"message"`
				At      time.Time `json:"at"`
			} `json:"log"`
		}
		q := url.Values{"after": {strconv.FormatInt(after, 10)}, "limit": {"1000"}}
		raw, err := c.get(ctx, c.companyURL("/jobs/"+id+"/log", q), &res)
		if err != nil {
			return err
		}
		if out.json {
			if err := writeRaw(w, raw); err != nil {
				return err
			}
		}
		for _, l := range res.Log {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", fmtTime(&l.At), l.Level, l.Asset, strings.ReplaceAll(l.Message, "\n", " "))
			after = l.ID
		}
		if len(res.Log) < 1000 {
			if out.json {
				return nil
			}
			return tw.Flush()
		}
	}
}
