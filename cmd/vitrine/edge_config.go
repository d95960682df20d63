package main

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/vitrine/vitrine/internal/edge"
	"github.com/vitrine/vitrine/internal/envflag"
)

// edgeServeConfig is vitrine edge's configuration: the node's edge.Config
// plus what the command itself serves.
type edgeServeConfig struct {
	Node        edge.Config
	Addr        string
	MetricsAddr string
	LogFormat   string
	HitLoop     bool // memory-tier hits on the front's hit loop
	tlsFlags
	// The flags that parseEdge turns into Node's fields.
	origin, secret, secretFile, forward string
}

// parseEdge reads edge's flags and variables and checks them, naming the
// variable or flag and the bad value, before the node touches its disk
// directory.
func parseEdge(args []string, stderr io.Writer) (*edgeServeConfig, error) {
	c, s := newEdgeFlags(os.LookupEnv, stderr)
	if err := s.Parse(args); err != nil {
		return nil, err
	}
	if err := c.validate(s); err != nil {
		return nil, err
	}
	return c, nil
}

// newEdgeFlags registers edge's flags, by topic, with their defaults.
func newEdgeFlags(lookup func(string) (string, bool), stderr io.Writer) (*edgeServeConfig, *envflag.Set) {
	c := &edgeServeConfig{Node: edge.DefaultConfig(), Addr: "127.0.0.1:8081", LogFormat: "text", HitLoop: runtime.GOOS == "linux"}
	d := &c.Node
	c.forward = strings.Join(d.ForwardHeaders, ",")
	s := envflag.New("vitrine edge", lookup, stderr)
	s.Summary("usage: vitrine edge --origin URL [flags]\n\nRun a caching edge node in front of a server. Each flag's default comes from the variable in brackets.")
	s.Group("Edge")
	s.String(&c.origin, "origin", "VITRINE_EDGE_ORIGIN", "origin base URL, e.g. http://127.0.0.1:8080 (required)")
	s.String(&c.Addr, "addr", "VITRINE_EDGE_ADDR", "listen address")
	s.Duration(&d.OriginTimeout, "origin-timeout", "VITRINE_EDGE_ORIGIN_TIMEOUT", "one origin fetch, body included", envflag.Positive[time.Duration]())
	s.String(&c.forward, "forward-headers", "VITRINE_EDGE_FORWARD_HEADERS", "request headers sent to the origin (and the only ones Vary keys on)")
	s.Bool(&c.HitLoop, "hit-loop", "VITRINE_EDGE_HIT_LOOP", "answer memory-tier hits of plain HTTP/1.1 on one event loop instead of a goroutine per request (Linux only; not with TLS)")
	c.tlsFlags.register(s)
	s.Group("Cache")
	s.Bytes(&d.MemoryBytes, "memory-bytes", "VITRINE_EDGE_MEMORY_BYTES", "memory tier bound", envflag.Min(int64(1)))
	s.String(&d.DiskDir, "disk-dir", "VITRINE_EDGE_DISK_DIR", "disk tier directory (empty: memory only)")
	s.Bytes(&d.DiskBytes, "disk-bytes", "VITRINE_EDGE_DISK_BYTES", "disk tier bound", envflag.Min(int64(1)))
	s.Bytes(&d.MaxObjectBytes, "max-object-bytes", "VITRINE_EDGE_MAX_OBJECT_BYTES", "larger responses pass through uncached", envflag.Min(int64(1)))
	s.Duration(&d.StaleWhileRevalidate, "stale-while-revalidate", "VITRINE_EDGE_STALE_WHILE_REVALIDATE",
		"stale window for published content; 0 turns it off", envflag.Min(time.Duration(0)))
	s.Group("Purges")
	s.String(&c.secret, "purge-secret", "VITRINE_PURGE_SECRET", "secret shared with the origin to verify purges, at least 16 bytes")
	s.String(&c.secretFile, "purge-secret-file", "VITRINE_PURGE_SECRET_FILE", "file holding the purge secret")
	s.Duration(&d.PurgeMaxSkew, "purge-max-skew", "VITRINE_EDGE_PURGE_MAX_SKEW", "accepted clock difference for signed purges", envflag.Positive[time.Duration]())
	s.Group("Logging and metrics")
	s.String(&c.LogFormat, "log-format", "VITRINE_LOG_FORMAT", "log format: text or json", envflag.OneOf("text", "json"))
	s.String(&c.MetricsAddr, "metrics-addr", "VITRINE_EDGE_METRICS_ADDR", "serve /metrics on this address")
	return c, s
}

// validate fills Node from the flags that need work (origin, secret,
// headers) and checks the whole.
func (c *edgeServeConfig) validate(s *envflag.Set) error {
	d := &c.Node
	origin, secret, secretFile := c.origin, c.secret, c.secretFile
	var errs []error
	if origin == "" {
		errs = append(errs, errors.New("--origin (or VITRINE_EDGE_ORIGIN) is required"))
	} else if u, err := url.Parse(origin); err != nil {
		errs = append(errs, s.Errorf("origin", "%w", err))
	} else {
		d.Origin = u
	}
	sec, err := readSecret(secret, secretFile)
	if err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", s.Source("purge-secret-file"), err))
	}
	switch {
	case err != nil:
	case sec == "" && secretFile == "":
		errs = append(errs, fmt.Errorf("%s: the purge secret is required (or --purge-secret-file), at least 16 bytes, the same as the server's", s.Source("purge-secret")))
	case len(sec) < 16:
		// The value is a secret: name it, never print it.
		src := s.Source("purge-secret")
		if secretFile != "" {
			src = s.Source("purge-secret-file")
		}
		errs = append(errs, fmt.Errorf("%s: the purge secret must be at least 16 bytes", src))
	}
	d.PurgeSecret = []byte(sec)
	d.ForwardHeaders = splitList(c.forward)
	if d.DiskDir == "" {
		d.DiskBytes = 0
	}
	d.Normalize = normalizeLikeOrigin
	errs = append(errs, c.tlsFlags.validate(s))
	if len(errs) == 0 {
		// The node's own rules (origin form, forwardable headers, secret
		// length): its messages name the setting; the secret is never shown.
		if err := d.Validate(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
