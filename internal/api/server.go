// Package api is Vitrine's REST API under /api/v1: JSON in and out, bearer
// tokens, errors as {"error":{"code","message"}}. Routes are one table
// (routes.go); every handler has one shape (handler).
package api

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/events"
	"github.com/vitrine/vitrine/internal/jobs"
	"github.com/vitrine/vitrine/internal/service"
)

// Config configures the API.
type Config struct {
	// MaxUploadBytes bounds one upload request body.
	MaxUploadBytes int64
	// MaxFiles bounds the files of one upload request.
	MaxFiles int
	// Heartbeat is how often an idle event stream sends a comment, so that
	// proxies keep it open and a dead client is noticed; 15s.
	Heartbeat time.Duration
	// StreamWriteTimeout bounds one write to an event stream: a client that
	// stops reading is dropped after it; 10s.
	StreamWriteTimeout time.Duration
	// MaxJSONBytes bounds a JSON request body.
	MaxJSONBytes int64
	// MaxArrayItems bounds every array of a JSON request body, at any
	// depth: a request of many items holds the store for as long.
	MaxArrayItems int
	// BodyTimeout is how long a request may take to send a JSON body; an
	// upload has it as a grace, then must keep MinUploadRate.
	BodyTimeout time.Duration
	// MinUploadRate is the slowest average an upload body may arrive at,
	// in bytes per second, after BodyTimeout.
	MinUploadRate int64
}

// DefaultConfig returns the defaults: 2 GiB and 1000 files per upload,
// JSON bodies of 1 MiB with arrays of at most 10,000 items sent within
// 15 s, uploads at 16 KiB/s at least.
func DefaultConfig() Config {
	return Config{MaxUploadBytes: 2 << 30, MaxFiles: 1000, MaxJSONBytes: 1 << 20,
		MaxArrayItems: vitrine.MaxPublicationItems, BodyTimeout: 15 * time.Second, MinUploadRate: 16 << 10,
		Heartbeat: 15 * time.Second, StreamWriteTimeout: 10 * time.Second}
}

// Validate checks a configuration.
func (c Config) Validate() error {
	if c.MaxUploadBytes < 1 || c.MaxFiles < 1 || c.MaxJSONBytes < 1 || c.MaxArrayItems < 1 || c.BodyTimeout <= 0 || c.MinUploadRate < 1 {
		return errors.New("api: MaxUploadBytes, MaxFiles, MaxJSONBytes, MaxArrayItems, BodyTimeout and MinUploadRate must be positive")
	}
	if c.Heartbeat <= 0 || c.StreamWriteTimeout <= 0 {
		return errors.New("api: Heartbeat and StreamWriteTimeout must be positive")
	}
	return nil
}

// Hooks are the API's optional components.
type Hooks struct {
	// Jobs is the job engine (POST /jobs, cancel, run, schedules, and
	// publication "at"); nil: those routes answer unavailable.
	Jobs *jobs.Engine
	// Events is the live event broker (GET /events); nil: that route
	// answers unavailable.
	Events *events.Broker
}

// Server serves the REST API. Use cases (upload, publish, derive) go
// through the service layer; reads go to the store behind it.
type Server struct {
	cfg   Config
	svc   *service.Service
	db    vitrine.Store
	blobs vitrine.BlobStore
	log   *slog.Logger
	hooks Hooks
	mux   *http.ServeMux
	deps  deps // optional components, set by Options (derive.go)
	// spoolBufs lends uploads (raw bodies and multipart forms) their copy
	// buffers (*[]byte of service.SpoolBufferSize): one allocated per file
	// was most of the garbage an upload made.
	spoolBufs sync.Pool
}

// New returns the API handler.
func New(cfg Config, svc *service.Service, log *slog.Logger, hooks Hooks, opts ...Option) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, svc: svc, db: svc.Store(), blobs: svc.Blobs(), log: log, hooks: hooks, mux: http.NewServeMux()}
	for _, o := range opts {
		o(s)
	}
	for _, rt := range s.routes() {
		s.mux.Handle(rt.pattern, s.wrap(rt))
	}
	s.mux.HandleFunc("GET /api/v1/openapi.json", serveOpenAPI)
	s.mux.HandleFunc("/api/", s.noRoute)
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
		// The body must arrive within the deadline (uploads set their own):
		// a body trickled a byte at a time must not hold a handler.
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(s.cfg.BodyTimeout))
		ctx, announced := service.Track(r.Context())
		status, body, err := rt.h(r.WithContext(ctx), c)
		if err != nil {
			writeError(w, r, s.log, err)
			return
		}
		// Any change to a company may change what its caches hold
		// (settings, folders, presets); use cases that announced catalog
		// changes have already told them.
		if r.Method != http.MethodGet && c.p != nil && !announced.Load() {
			s.svc.Changes().Forget(ctx, &c.p.Company)
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
