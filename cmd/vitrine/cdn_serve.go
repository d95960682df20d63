package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"

	"github.com/vitrine/vitrine/internal/cdn"
	"github.com/vitrine/vitrine/internal/edge"
	"github.com/vitrine/vitrine/internal/edge/varnish"
	"github.com/vitrine/vitrine/internal/envflag"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// cdnServeConfig is serve's side of the edge: which edges and CDNs to purge.
type cdnServeConfig struct {
	Edges       string
	Varnish     string
	PurgeSecret string
}

func (c *cdnServeConfig) register(s *envflag.Set) {
	s.Group("CDN and edges")
	s.String(&c.Edges, "edges", "VITRINE_EDGES", "edge base URLs to purge, comma-separated")
	s.String(&c.Varnish, "varnish", "VITRINE_VARNISH", "Varnish URLs to purge by xkey, comma-separated")
	s.String(&c.PurgeSecret, "purge-secret", "VITRINE_PURGE_SECRET", "secret shared with the edges to sign purges, at least 16 bytes")
}

// validate checks the purge targets as newInvalidator will build them.
// The secret is named, never printed.
func (c *cdnServeConfig) validate(s *envflag.Set) error {
	var errs []error
	if edges := splitList(c.Edges); len(edges) > 0 {
		switch {
		case c.PurgeSecret == "":
			errs = append(errs, fmt.Errorf("%s needs --purge-secret or VITRINE_PURGE_SECRET (the edges' shared secret)", s.Source("edges")))
		case len(c.PurgeSecret) < 16:
			errs = append(errs, fmt.Errorf("%s: the purge secret must be at least 16 bytes", s.Source("purge-secret")))
		default:
			if _, err := edge.NewPurger(edge.PurgerConfig{Edges: edges, Secret: []byte(c.PurgeSecret)}, nil); err != nil {
				errs = append(errs, s.Errorf("edges", "%w", err))
			}
		}
	}
	for _, v := range splitList(c.Varnish) {
		if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, s.Errorf("varnish", "%q is not an http or https URL", v))
		}
	}
	return errors.Join(errs...)
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
