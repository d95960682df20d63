package main

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"os"
	"strings"

	"github.com/vitrine/vitrine/internal/cdn"
	"github.com/vitrine/vitrine/internal/edge"
	"github.com/vitrine/vitrine/internal/edge/varnish"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// cdnServeConfig is serve's side of the edge: which edges and CDNs to purge.
type cdnServeConfig struct {
	Edges       string
	Varnish     string
	PurgeSecret string
}

func (c *cdnServeConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&c.Edges, "edges", envOr("VITRINE_EDGES", ""), "edge base URLs to purge, comma-separated [VITRINE_EDGES]")
	fs.StringVar(&c.Varnish, "varnish", envOr("VITRINE_VARNISH", ""), "Varnish URLs to purge by xkey, comma-separated [VITRINE_VARNISH]")
	fs.StringVar(&c.PurgeSecret, "purge-secret", envOr("VITRINE_PURGE_SECRET", ""), "secret shared with the edges to sign purges [VITRINE_PURGE_SECRET]")
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// newInvalidator builds the purge targets. The edge purger's catch-up loop
// (edges that missed a purge drop their cache when back) runs until stop.
func newInvalidator(ctx context.Context, c cdnServeConfig, db *sqlstore.DB, log *slog.Logger) (*cdn.Invalidator, func(), error) {
	var targets []edge.Purgeable
	stop := func() {}
	if edges := splitList(c.Edges); len(edges) > 0 {
		if c.PurgeSecret == "" {
			return nil, nil, errors.New("--edges needs --purge-secret (the edges' shared secret)")
		}
		p, err := edge.NewPurger(edge.PurgerConfig{Edges: edges, Secret: []byte(c.PurgeSecret)}, log)
		if err != nil {
			return nil, nil, err
		}
		if err := p.Start(ctx); err != nil {
			return nil, nil, err
		}
		stop = p.Stop
		targets = append(targets, p)
	}
	if v := splitList(c.Varnish); len(v) > 0 {
		targets = append(targets, &varnish.Client{URLs: v})
	}
	return cdn.New(db, targets, log), stop, nil
}

// readSecret returns a secret given directly or in a file.
func readSecret(value, file string) (string, error) {
	if file == "" {
		return value, nil
	}
	b, err := os.ReadFile(file)
	return strings.TrimSpace(string(b)), err
}
