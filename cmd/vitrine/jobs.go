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
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
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

const jobsUsage = `usage: vitrine jobs COMMAND
  ls [--scheduled] [--type publish|upload] [--mine] [--range today|week|month] [--limit N]
  show ID [--log]     a job, its schedule and next runs, or its per-asset log
  cancel ID           stop a job at its next safe point
  pause ID | resume ID   the Active switch of a scheduled entry
  run ID              run a scheduled entry now
  rm ID               delete a scheduled entry or an ended job`

func runJobs(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(jobsUsage)
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("jobs "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := clientFlags(fs)
	scheduled := fs.Bool("scheduled", false, "the Scheduled tab instead of History")
	typ := fs.String("type", "", "publish or upload")
	mine := fs.Bool("mine", false, "only my jobs")
	rng := fs.String("range", "", "today, week or month")
	limit := fs.Int("limit", 50, "at most this many")
	withLog := fs.Bool("log", false, "show the per-asset log")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := c.check(); err != nil {
		return err
	}
	if sub == "ls" {
		q := url.Values{"limit": {strconv.Itoa(*limit)}}
		if *scheduled {
			q.Set("tab", "scheduled")
		}
		if *typ != "" {
			q.Set("type", *typ)
		}
		if *mine {
			q.Set("mine", "true")
		}
		if *rng != "" {
			q.Set("range", *rng)
		}
		var res struct{ Jobs []jobView }
		if err := c.getJSON(ctx, c.companyURL("/jobs", q), &res); err != nil {
			return err
		}
		return printJobs(stdout, res.Jobs, *scheduled)
	}
	if len(pos) != 1 {
		return errors.New(jobsUsage)
	}
	id := url.PathEscape(pos[0])
	var j jobView
	switch sub {
	case "show":
		if *withLog {
			return printJobLog(ctx, c, id, stdout)
		}
		err = c.getJSON(ctx, c.companyURL("/jobs/"+id, nil), &j)
	case "cancel":
		err = c.postJSON(ctx, c.companyURL("/jobs/"+id+"/cancel", nil), struct{}{}, &j)
	case "run":
		err = c.postJSON(ctx, c.companyURL("/jobs/"+id+"/run", nil), struct{}{}, &j)
	case "pause", "resume":
		err = c.sendJSON(ctx, http.MethodPatch, c.companyURL("/jobs/"+id, nil), map[string]bool{"active": sub == "resume"}, &j)
	case "rm":
		if err := c.do(ctx, http.MethodDelete, c.companyURL("/jobs/"+id, nil), "", nil, nil); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "deleted job %s\n", pos[0])
		return nil
	default:
		return fmt.Errorf("unknown jobs command %q\n%s", sub, jobsUsage)
	}
	if err != nil {
		return err
	}
	printJob(stdout, &j)
	return nil
}

func (c *client) sendJSON(ctx context.Context, method, u string, in, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return c.do(ctx, method, u, "application/json", bytes.NewReader(b), out)
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

func printJobLog(ctx context.Context, c *client, id string, w io.Writer) error {
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
		if err := c.getJSON(ctx, c.companyURL("/jobs/"+id+"/log", q), &res); err != nil {
			return err
		}
		for _, l := range res.Log {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", fmtTime(&l.At), l.Level, l.Asset, strings.ReplaceAll(l.Message, "\n", " "))
			after = l.ID
		}
		if len(res.Log) < 1000 {
			return tw.Flush()
		}
	}
}
