package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
)

// runInvalidate is Invalidate CDN from the command line (CDN-3).
func runInvalidate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("invalidate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := clientFlagsNamed(fs, "server") // --url names URLs to purge here
	var urls multiFlag
	fs.Var(&urls, "url", "a delivery URL to purge (repeatable)")
	all := fs.Bool("all-renditions", false, "also purge every rendition of each asset")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := c.check(); err != nil {
		return err
	}
	if len(pos) == 0 && len(urls) == 0 {
		return errors.New("usage: vitrine invalidate NAME… [--url URL…] [--all-renditions]")
	}
	var res struct {
		ID     int64    `json:"id"`
		Status string   `json:"status"`
		URLs   []string `json:"urls"`
		Purge  struct {
			Confirmed   bool     `json:"confirmed"`
			Unconfirmed []string `json:"unconfirmed"`
			Edges       []struct {
				Edge string `json:"edge"`
				OK   bool   `json:"ok"`
			} `json:"edges"`
		} `json:"purge"`
	}
	body := map[string]any{"assets": pos, "urls": []string(urls), "all_renditions": *all}
	if err := c.postJSON(ctx, c.companyURL("/invalidations", nil), body, &res); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "invalidation %d: %s; %d URL(s), %d edge(s)\n", res.ID, res.Status, len(res.URLs), len(res.Purge.Edges))
	for _, u := range res.Purge.Unconfirmed {
		fmt.Fprintf(stdout, "  not confirmed: %s\n", u)
	}
	return nil
}
