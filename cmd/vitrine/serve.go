package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/api"
	"github.com/vitrine/vitrine/internal/blob"
	"github.com/vitrine/vitrine/internal/delivery"
	"github.com/vitrine/vitrine/internal/imaging"
	"github.com/vitrine/vitrine/internal/obs"
	"github.com/vitrine/vitrine/internal/sqlstore"
	"github.com/vitrine/vitrine/internal/video"
)

// serveConfig is vitrine serve's configuration: flags, each with a
// VITRINE_* environment variable as its default.
type serveConfig struct {
	Data          string
	Addr          string
	DB            string
	TLSCert       string
	TLSKey        string
	TLSSelfSigned bool
	InitCompany   string
	MaxUpload     int64
	LogFormat     string
	DebugAddr     string
	Jobs          jobServeConfig
	CDN           cdnServeConfig
}

func parseServe(args []string, stderr io.Writer) (*serveConfig, error) {
	c := &serveConfig{}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Data, "data", envOr("VITRINE_DATA", "./data"), "data directory (database, blobs, admin token) [VITRINE_DATA]")
	fs.StringVar(&c.Addr, "addr", envOr("VITRINE_ADDR", "127.0.0.1:8080"), "listen address [VITRINE_ADDR]")
	fs.StringVar(&c.DB, "db", envOr("VITRINE_DB", ""), "database: a postgres:// URL, or a SQLite file (default DATA/vitrine.db) [VITRINE_DB]")
	fs.StringVar(&c.TLSCert, "tls-cert", envOr("VITRINE_TLS_CERT", ""), "TLS certificate file (PEM) [VITRINE_TLS_CERT]")
	fs.StringVar(&c.TLSKey, "tls-key", envOr("VITRINE_TLS_KEY", ""), "TLS key file (PEM) [VITRINE_TLS_KEY]")
	fs.BoolVar(&c.TLSSelfSigned, "tls-self-signed", envOr("VITRINE_TLS_SELF_SIGNED", "") == "true", "serve TLS with a generated self-signed certificate [VITRINE_TLS_SELF_SIGNED]")
	fs.StringVar(&c.InitCompany, "init-company", envOr("VITRINE_INIT_COMPANY", "demo"), "company created on first start [VITRINE_INIT_COMPANY]")
	maxUpload, _ := strconv.ParseInt(envOr("VITRINE_MAX_UPLOAD", "2147483648"), 10, 64)
	fs.Int64Var(&c.MaxUpload, "max-upload", maxUpload, "largest upload request body, bytes [VITRINE_MAX_UPLOAD]")
	fs.StringVar(&c.LogFormat, "log-format", envOr("VITRINE_LOG_FORMAT", "text"), "log format: text or json [VITRINE_LOG_FORMAT]")
	fs.StringVar(&c.DebugAddr, "debug-addr", envOr("VITRINE_DEBUG_ADDR", ""), "serve Go pprof on this address (keep it private) [VITRINE_DEBUG_ADDR]")
	c.Jobs.register(fs)
	c.CDN.register(fs)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return nil, errors.New("--tls-cert and --tls-key go together")
	}
	if c.DB == "" {
		c.DB = filepath.Join(c.Data, "vitrine.db")
	}
	return c, nil
}

func newLogger(format string, w io.Writer) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseServe(args, stderr)
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogFormat, stderr)
	if err := os.MkdirAll(cfg.Data, 0o750); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	db, err := sqlstore.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	blobs, err := blob.OpenLocal(filepath.Join(cfg.Data, "blobs"))
	if err != nil {
		return err
	}
	if err := bootstrap(ctx, db, cfg, log); err != nil {
		return err
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	apiCfg := api.DefaultConfig()
	apiCfg.MaxUploadBytes = cfg.MaxUpload
	renderer, err := imaging.New(imaging.DefaultConfig())
	if err != nil {
		return err
	}
	defer renderer.Close()
	dcfg := delivery.DefaultConfig(filepath.Join(cfg.Data, "cache", "renditions"))
	if db.Dialect() == sqlstore.Postgres {
		// Several serve nodes may share the database, and a change made on
		// one cannot drop another's cached lookups: read the catalog every
		// time, so an unpublish is final everywhere when it returns.
		dcfg.LookupTTL = 0
	}
	deliv, err := delivery.New(dcfg, db, blobs, renderer, log)
	if err != nil {
		return err
	}
	reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "vitrine_renders_total", Help: "Renditions made by the image pipeline."},
			func() float64 { return float64(deliv.Stats().Renders.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "vitrine_rendition_cache_hits_total", Help: "Renditions served from the rendition cache."},
			func() float64 { return float64(deliv.Stats().CacheHits.Load()) }))
	inv, stopPurger, err := newInvalidator(ctx, cfg.CDN, db, log)
	if err != nil {
		return err
	}
	defer stopPurger()
	// Publish jobs change the catalog too: drop delivery's lookups and purge
	// the edges as the changes require.
	eng, err := newEngine(ctx, cfg.Jobs, db, cfg.DB, blobs, log, func(ctx context.Context, c *vitrine.Company, ch []sqlstore.CatalogChange) {
		deliv.Invalidate(c.RootID)
		inv.AfterChange(ctx, c, ch)
	})
	if err != nil {
		return err
	}
	defer eng.Stop()
	apiOptions := []api.Option{api.WithCDN(inv), api.WithRenderer(renderer)}
	if posters, err := video.New(video.DefaultConfig()); err != nil {
		log.Warn("video posters are off", "err", err)
	} else {
		apiOptions = append(apiOptions, api.WithPosters(posters))
	}
	apiSrv, err := api.New(apiCfg, db, blobs, log, api.Hooks{
		Mutated: func(c *vitrine.Company) { deliv.Invalidate(c.RootID) },
		Jobs:    eng,
	}, apiOptions...)
	if err != nil {
		return err
	}
	if err := eng.Start(ctx); err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if err := db.SQL().PingContext(r.Context()); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.Handle("/api/", apiSrv)
	mux.Handle("/is/", deliv)
	mux.Handle("/preview/", deliv)
	workspace, err := newWorkspace(db, log)
	if err != nil {
		return err
	}
	mux.Handle("/", workspace)

	srv := &http.Server{
		Handler:           obs.Middleware(log, obs.NewMetrics(reg), mux),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		Protocols:         new(http.Protocols),
	}
	srv.Protocols.SetHTTP1(true)
	srv.Protocols.SetHTTP2(true)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	scheme := "http"
	if cfg.TLSSelfSigned || cfg.TLSCert != "" {
		scheme = "https"
		if srv.TLSConfig, err = tlsConfig(cfg); err != nil {
			ln.Close()
			return err
		}
	} else {
		// Cleartext HTTP/2 (prior knowledge) on the same port as HTTP/1.1.
		srv.Protocols.SetUnencryptedHTTP2(true)
	}
	log.Info("vitrine serving", "url", scheme+"://"+ln.Addr().String(), "db", db.Dialect(), "data", cfg.Data)
	if err := adminPasswordLink(ctx, db, scheme+"://"+ln.Addr().String(), log); err != nil {
		ln.Close()
		return err
	}

	if cfg.DebugAddr != "" {
		dbg := &http.Server{Addr: cfg.DebugAddr, Handler: debugMux(), ReadHeaderTimeout: 10 * time.Second}
		go func() {
			if err := dbg.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Error("debug server", "err", err)
			}
		}()
		defer dbg.Close()
	}
	return serveUntil(ctx, srv, ln, log)
}
