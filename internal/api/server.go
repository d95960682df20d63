// Package api is Vitrine's REST API under /api/v1: JSON in and out, bearer
// tokens, errors as {"error":{"code","message"}}. Routes are one table
// (routes.go); every handler has one shape (handler).
package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/cdn"
	"github.com/vitrine/vitrine/internal/jobs"
)

// Config configures the API.
type Config struct {
	// MaxUploadBytes bounds one upload request body.
	MaxUploadBytes int64
	// MaxFiles bounds the files of one upload request.
	MaxFiles int
}

// DefaultConfig returns the defaults: 2 GiB and 1000 files per upload.
func DefaultConfig() Config {
	return Config{MaxUploadBytes: 2 << 30, MaxFiles: 1000}
}

// Validate checks a configuration.
func (c Config) Validate() error {
	if c.MaxUploadBytes < 1 || c.MaxFiles < 1 {
		return errors.New("api: MaxUploadBytes and MaxFiles must be positive")
	}
	return nil
}

// Hooks lets other components follow what the API changes (edge purges,
// for example). Nil hooks are skipped.
type Hooks struct {
	// CatalogChanged receives the catalog changes a request made.
	CatalogChanged func(ctx context.Context, company *vitrine.Company, changes []vitrine.CatalogChange)
	// Mutated is called after every successful change to a company
	// (anything but GET), so caches of its catalog and settings can drop.
	Mutated func(company *vitrine.Company)
	// Jobs is the job engine (POST /jobs, cancel, run, schedules, and
	// publication "at"); nil: those routes answer unavailable.
	Jobs *jobs.Engine
}

// Server serves the REST API.
type Server struct {
	cfg   Config
	db    vitrine.Store
	blobs vitrine.BlobStore
	log   *slog.Logger
	hooks Hooks
	mux   *http.ServeMux
	deps  deps             // optional components, set by Options (derive.go)
	cdn   *cdn.Invalidator // purges edges; nil: no edges (WithCDN)
}

// New returns the API handler.
func New(cfg Config, db vitrine.Store, blobs vitrine.BlobStore, log *slog.Logger, hooks Hooks, opts ...Option) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, db: db, blobs: blobs, log: log, hooks: hooks, mux: http.NewServeMux()}
	for _, o := range opts {
		o(s)
	}
	for _, rt := range s.routes() {
		s.mux.Handle(rt.pattern, s.wrap(rt))
	}
	s.mux.HandleFunc("GET /api/v1/openapi.json", serveOpenAPI)
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, s.log, vitrine.Errorf(vitrine.ENOTFOUND, "no such API endpoint: %s %s", r.Method, r.URL.Path))
	})
	return s, nil
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// handler is the one shape of an API handler: it returns a status and a
// body to encode as JSON, or an error.
type handler func(r *http.Request, c *call) (int, any, error)

// call is what a handler knows about its request.
type call struct {
	p *vitrine.Principal // nil on routes that need no company
	u *vitrine.User
	w http.ResponseWriter
}

// access is who may use a route.
type access int

const (
	anyUser     access = iota // any authenticated user (no company)
	member                    // a member of {company}
	admin                     // an admin of {company}
	systemAdmin               // a system admin
)

type route struct {
	pattern string
	access  access
	h       handler
	summary string
}

func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &call{w: w}
		var err error
		switch rt.access {
		case member, admin:
			// One read resolves the token, the company and the role.
			if c.p, err = s.principal(r); err != nil {
				writeError(w, r, s.log, err)
				return
			}
			c.u = &c.p.User
			if rt.access == admin {
				if err := vitrine.CanAdminister(c.p); err != nil {
					writeError(w, r, s.log, err)
					return
				}
			}
		case systemAdmin, anyUser:
			if c.u, err = s.authenticate(r); err != nil {
				writeError(w, r, s.log, err)
				return
			}
			if rt.access == systemAdmin && !c.u.SystemAdmin {
				writeError(w, r, s.log, vitrine.Errorf(vitrine.EFORBIDDEN, "this needs a system admin"))
				return
			}
		}
		status, body, err := rt.h(r, c)
		if err != nil {
			writeError(w, r, s.log, err)
			return
		}
		if r.Method != http.MethodGet && c.p != nil && s.hooks.Mutated != nil {
			s.hooks.Mutated(&c.p.Company)
		}
		if status == 0 { // the handler wrote the response
			return
		}
		writeJSON(w, status, body)
	})
}

func bearer(r *http.Request) (string, error) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if token = strings.TrimSpace(token); !ok || token == "" {
		return "", vitrine.Errorf(vitrine.EUNAUTHORIZED, "send an API token: Authorization: Bearer TOKEN")
	}
	return token, nil
}

func (s *Server) authenticate(r *http.Request) (*vitrine.User, error) {
	token, err := bearer(r)
	if err != nil {
		return nil, err
	}
	return s.db.Authenticate(r.Context(), token)
}

func (s *Server) principal(r *http.Request) (*vitrine.Principal, error) {
	token, err := bearer(r)
	if err != nil {
		return nil, err
	}
	return s.db.TokenPrincipal(r.Context(), token, r.PathValue("company"))
}

// decode reads a JSON request body into v, refusing unknown fields.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return vitrine.Errorf(vitrine.EINVALID, "request body is empty; send a JSON object")
		}
		return vitrine.Errorf(vitrine.EINVALID, "request body: %v", err)
	}
	return nil
}

// changed reports catalog changes: edges are purged as the changes
// require (waiting for their confirmations), then CatalogChanged runs.
// The report says which edges did not confirm; nil when nothing was purged.
func (s *Server) changed(ctx context.Context, c *vitrine.Company, ch []vitrine.CatalogChange) *cdn.Report {
	if len(ch) == 0 {
		return nil
	}
	// Drop the origin's cached lookups before purging: an edge that
	// refetches during the purge must find the new state.
	if s.hooks.Mutated != nil {
		s.hooks.Mutated(c)
	}
	var rep *cdn.Report
	if s.cdn != nil {
		rep = s.cdn.AfterChange(ctx, c, ch)
	}
	if s.hooks.CatalogChanged != nil {
		s.hooks.CatalogChanged(ctx, c, ch)
	}
	return rep
}
