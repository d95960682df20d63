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

func runPublish(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return publication(ctx, "publish", args, stdout, stderr)
}

func runUnpublish(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return publication(ctx, "unpublish", args, stdout, stderr)
}

func publication(ctx context.Context, action string, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet(action, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := clientFlags(fs)
	var folders multiFlag
	fs.Var(&folders, "folder", "every asset below this folder (repeatable)")
	delivery := fs.Bool("delivery", false, "the delivery destination only (selective publish mode)")
	var job publishJobFlags
	if action == "publish" {
		job.register(fs)
	} else {
		fs.StringVar(&job.at, "at", "", "unpublish at this time (a one-time job)")
	}
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := c.check(); err != nil {
		return err
	}
	if job.wanted() {
		if len(pos) > 0 {
			return fmt.Errorf("a publish job covers folders (--folder) or the whole company, not named assets")
		}
		return job.submit(ctx, c, folders, stdout)
	}
	if len(pos) == 0 && len(folders) == 0 {
		return fmt.Errorf("usage: vitrine %s NAME… [--folder /x] [--at TIME], or vitrine publish --job NAME [--daily HH:MM|--rule R|--at T] [--type full] [--to image]", action)
	}
	if *delivery {
		action += "_delivery"
	}
	body := map[string]any{"action": action, "assets": pos, "folders": []string(folders)}
	if job.at != "" {
		return schedulePublication(ctx, c, body, job.at, stdout)
	}
	return postPublication(ctx, c, body, stdout)
}

type multiFlag []string

func (m *multiFlag) String() string     { return fmt.Sprint(*m) }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func runHistory(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("history", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := clientFlags(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := c.check(); err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("usage: vitrine history NAME")
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
	if err := c.getJSON(ctx, c.companyURL("/assets/"+url.PathEscape(pos[0])+"/history", nil), &res); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tACTION\tVERSION\tCONTEXT\tDESTINATION\tUSER\tJOB")
	for _, h := range res.History {
		job := "-"
		if h.JobID != nil {
			job = fmt.Sprint(*h.JobID)
		}
		fmt.Fprintf(tw, "%s\t%s\tv%d\t%s\t%s\t%s\t%s\n", fmtTime(&h.At), h.Action, h.Version, h.Context, h.Destination, h.User, job)
	}
	return tw.Flush()
}
