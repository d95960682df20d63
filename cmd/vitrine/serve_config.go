package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/api"
	"github.com/vitrine/vitrine/internal/blob"
	"github.com/vitrine/vitrine/internal/delivery"
	"github.com/vitrine/vitrine/internal/envflag"
)

// serveConfig is vitrine serve's configuration: flags, each with a
// VITRINE_* environment variable as its default. parseServe checks all of
// it before serve touches the data directory or the database.
type serveConfig struct {
	Data string
	Addr string
	DB   string
	// Blobs is the blob store's URL (file:///path or s3://bucket/prefix?…);
	// empty: file://DATA/blobs.
	Blobs       string
	InitCompany string
	// AdminToken is VITRINE_ADMIN_TOKEN: the token the first start gives
	// the admin (generated when empty). Environment only: a flag would
	// show it in the process list.
	AdminToken string
	MaxUpload  int64
	// LookupTTL is how long delivery reuses a catalog lookup: the bound on
	// staleness when a change notification between nodes is lost.
	LookupTTL time.Duration
	LogFormat string
	DebugAddr string
	tlsFlags
	Jobs jobServeConfig
	CDN  cdnServeConfig
}

// parseServe reads serve's flags and variables and checks every
// component's part, naming the variable or flag and the bad value.
func parseServe(args []string, stderr io.Writer) (*serveConfig, error) {
	c, s := newServeFlags(os.LookupEnv, stderr)
	if err := s.Parse(args); err != nil {
		return nil, err
	}
	if err := c.validate(s, os.LookupEnv); err != nil {
		return nil, err
	}
	if c.DB == "" {
		c.DB = filepath.Join(c.Data, "vitrine.db")
	}
	return c, nil
}

// newServeFlags registers serve's flags, by component, with their
// defaults.
func newServeFlags(lookup func(string) (string, bool), stderr io.Writer) (*serveConfig, *envflag.Set) {
	c := &serveConfig{Data: "./data", Addr: "127.0.0.1:8080", InitCompany: "demo", MaxUpload: api.DefaultConfig().MaxUploadBytes, LogFormat: "text",
		LookupTTL: delivery.DefaultConfig("").LookupTTL}
	s := envflag.New("vitrine serve", lookup, stderr)
	s.Summary("usage: vitrine serve [flags]\n\nRun the server: API, delivery and jobs. Each flag's default comes from the variable\nin brackets. VITRINE_ADMIN_TOKEN (at least 16 characters) is the admin token made on first start.")
	s.Group("Server")
	s.String(&c.Addr, "addr", "VITRINE_ADDR", "listen address")
	s.Bytes(&c.MaxUpload, "max-upload", "VITRINE_MAX_UPLOAD", "largest upload request body: bytes, or with a unit (2GB, 512MiB)", envflag.Min(int64(1)))
	s.Duration(&c.LookupTTL, "lookup-ttl", "VITRINE_LOOKUP_TTL", "how long delivery reuses a catalog lookup; changes on this node, and on other nodes sharing PostgreSQL, drop it at once (0: never reuse)",
		envflag.Min(time.Duration(0)))
	c.tlsFlags.register(s)
	s.Group("Storage")
	s.String(&c.Data, "data", "VITRINE_DATA", "data directory (database, blobs, admin token)")
	s.String(&c.DB, "db", "VITRINE_DB", "database: a postgres:// URL, or a SQLite file (default DATA/vitrine.db)")
	s.String(&c.Blobs, "blobs", "VITRINE_BLOBS", "blob store: file:///path or s3://bucket/prefix?endpoint=…&region=…&use_path_style=true (default file://DATA/blobs; S3 credentials from the AWS environment and profiles)",
		func(u string) error {
			if u == "" {
				return nil
			}
			_, _, err := blob.ParseURL(u)
			return err
		})
	s.String(&c.InitCompany, "init-company", "VITRINE_INIT_COMPANY", "company created on first start", func(id string) error {
		if !vitrine.ValidRootID(id) {
			return errors.New("must be 1-63 lower-case letters, digits, '-' or '_'")
		}
		return nil
	})
	c.Jobs.register(s)
	c.CDN.register(s)
	s.Group("Logging and debugging")
	s.String(&c.LogFormat, "log-format", "VITRINE_LOG_FORMAT", "log format: text or json", envflag.OneOf("text", "json"))
	s.String(&c.DebugAddr, "debug-addr", "VITRINE_DEBUG_ADDR", "serve Go pprof on this address (keep it private)")
	return c, s
}

// validate checks what single flags cannot: flags that go together, and
// each component's own Validate as the last word.
func (c *serveConfig) validate(s *envflag.Set, lookup func(string) (string, bool)) error {
	c.AdminToken, _ = lookup("VITRINE_ADMIN_TOKEN")
	var errs []error
	if c.AdminToken != "" {
		if err := vitrine.ValidToken(c.AdminToken); err != nil {
			// The value is a secret: name it, never print it.
			errs = append(errs, fmt.Errorf("VITRINE_ADMIN_TOKEN: %w", err))
		}
	}
	apiCfg := api.DefaultConfig()
	apiCfg.MaxUploadBytes = c.MaxUpload
	if err := apiCfg.Validate(); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, c.tlsFlags.validate(s), c.Jobs.validate(s), c.CDN.validate(s))
	return errors.Join(errs...)
}
