package edge

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/vitrine/vitrine"
)

// Node is an edge cache: an http.Handler that serves the origin's
// delivery URLs from its tiers, plus the /_edge/ purge and health
// endpoints. Nothing in it depends on the HTTP version, so the server
// around it may speak HTTP/1.1, HTTP/2 or h2c.
type Node struct {
	cfg     Config
	log     *slog.Logger
	keys    *keyMemo // cfg.Normalize, memoised
	store   *store
	flight  flight
	client  *http.Client
	proxy   *httputil.ReverseProxy
	metrics *metrics
	mux     *http.ServeMux

	// ctx bounds every origin fetch and background refresh; Close ends it.
	ctx    context.Context
	cancel context.CancelFunc
	// bg tracks background refreshes so that Close can wait for them.
	bgMu       sync.Mutex
	closed     bool
	bg         sync.WaitGroup
	refreshing sync.Map // cache keys with a background refresh running
}

// New checks cfg, prepares the tiers (emptying the disk tier) and
// registers the edge's metrics with reg, which may be nil.
func New(cfg Config, log *slog.Logger, reg prometheus.Registerer) (*Node, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Normalize == nil {
		cfg.Normalize = DefaultNormalize
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Transport == nil {
		cfg.Transport = newTransport()
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	fwd := make([]string, len(cfg.ForwardHeaders))
	for i, h := range cfg.ForwardHeaders {
		fwd[i] = http.CanonicalHeaderKey(h)
	}
	cfg.ForwardHeaders = fwd

	st, err := newStore(cfg.MemoryBytes, cfg.DiskDir, cfg.DiskBytes, log)
	if err != nil {
		return nil, fmt.Errorf("edge: %w", err)
	}
	m, err := newMetrics(reg, st.stats)
	if err != nil {
		return nil, fmt.Errorf("edge: register metrics: %w", err)
	}
	n := &Node{
		keys:    newKeyMemo(cfg.Normalize, 10_000),
		cfg:     cfg,
		log:     log,
		store:   st,
		client:  &http.Client{Transport: cfg.Transport, CheckRedirect: noRedirects},
		proxy:   newPassProxy(cfg.Origin, cfg.Transport, log),
		metrics: m,
		mux:     http.NewServeMux(),
	}
	n.ctx, n.cancel = context.WithCancel(context.Background())
	st.spawn = n.goBackground
	n.routes()
	return n, nil
}

// routes is the edge's one route table. GET patterns match HEAD too.
func (n *Node) routes() {
	n.mux.HandleFunc("POST /_edge/purge", n.handlePurge)
	n.mux.HandleFunc("GET /_edge/health", n.handleHealth)
	n.mux.HandleFunc("GET /_edge/", http.NotFound)
	n.mux.HandleFunc("GET /preview/", n.refusePreview)
	n.mux.HandleFunc("GET /preview", n.refusePreview)
	n.mux.HandleFunc("GET /", n.serveCache)
	n.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "Method not allowed", http.StatusMethodNotAllowed)
	})
}

// ServeHTTP implements http.Handler.
// ServeHTTP serves a request. A delivery path is read as the origin reads
// it (vitrine.NormalizeDeliveryPath) before routing, so that the forms
// sites send (repeated slashes, a trailing slash, '+' for a space) share
// one cache entry and are not redirected.
func (n *Node) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n.mux.ServeHTTP(w, vitrine.NormalizeDeliveryRequest(r))
}

func (n *Node) handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte("ok\n"))
}

// Close aborts origin fetches still running, waits for background
// refreshes to end and releases idle origin connections. Call it after the
// HTTP server in front of the node has shut down.
func (n *Node) Close() error {
	n.bgMu.Lock()
	n.closed = true
	n.bgMu.Unlock()
	n.cancel()
	n.bg.Wait()
	n.client.CloseIdleConnections()
	return nil
}

// goBackground runs fn on a goroutine Close waits for, unless the node is
// closing, and reports whether it did.
func (n *Node) goBackground(fn func()) bool {
	n.bgMu.Lock()
	defer n.bgMu.Unlock()
	if n.closed {
		return false
	}
	n.bg.Go(fn)
	return true
}

func (n *Node) now() time.Time { return n.cfg.Now() }

// noRedirects hands the origin's redirects to the client as they are: the
// edge caches what the origin answered, not where it pointed.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// newTransport is a transport for one origin. Compression is off so that
// bodies, lengths and ETags are stored exactly as the origin sent them.
func newTransport() *http.Transport {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		DisableCompression:    true,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   256,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
}
