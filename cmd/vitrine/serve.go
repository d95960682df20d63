package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/vitrine/vitrine/internal/api"
	"github.com/vitrine/vitrine/internal/blob"
	"github.com/vitrine/vitrine/internal/cluster"
	"github.com/vitrine/vitrine/internal/delivery"
	"github.com/vitrine/vitrine/internal/events"
	"github.com/vitrine/vitrine/internal/imaging"
	"github.com/vitrine/vitrine/internal/obs"
	"github.com/vitrine/vitrine/internal/service"
	"github.com/vitrine/vitrine/internal/sqlstore"
	"github.com/vitrine/vitrine/internal/video"
)

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
	unlock, err := lockDataDir(cfg.Data)
	if err != nil {
		return err
	}
	defer unlock()
	db, err := sqlstore.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	store, err := openBlobs(ctx, cfg)
	if err != nil {
		return err
	}
	// Stores and garbage collection take turns per digest (blob.Guarded).
	blobs := blob.Guard(store, db)
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
	dcfg.LookupTTL = cfg.LookupTTL
	// Derived and rebuildable: not backed up, not migrated (pyramid.go).
	dcfg.PyramidDir = filepath.Join(cfg.Data, "cache", "pyramids")
	deliv, err := delivery.New(dcfg, db, blobs, renderer, log)
	if err != nil {
		return err
	}
	defer deliv.Close()
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
	// The one fan-out of changes, for the API, the jobs and the workspace
	// alike: delivery forgets the company, then the edges are purged.
	// The live event stream (GET /events): fed by the fan-out and the jobs.
	broker, err := events.New(events.DefaultConfig())
	if err != nil {
		return err
	}
	defer broker.Close()
	caches := []service.Forgetter{deliv}
	if db.Dialect() == sqlstore.Postgres {
		// Several serve nodes may share the database: a change made on
		// any node drops every node's cached lookups (LISTEN/NOTIFY).
		bus, err := cluster.New(ctx, db.SQL(), cfg.DB, []cluster.Cache{deliv}, log)
		if err != nil {
			return err
		}
		// And the live events: a stream on any node shows every node's jobs.
		bus.RelayEvents(broker)
		broker.UseRelay(bus)
		if err := bus.Start(ctx); err != nil {
			return err
		}
		defer bus.Stop()
		caches = append(caches, bus)
	}
	changes := service.NewChanges(service.Subscribers{Caches: caches, Edges: inv,
		Others: []service.Subscriber{broker}})
	deps := service.Deps{Store: db, Blobs: blobs, Changes: changes, Log: log, Crops: imaging.SmartCrops}
	if posters, err := video.New(video.DefaultConfig()); err != nil {
		log.Warn("video posters are off", "err", err)
	} else {
		deps.Posters = posters
	}
	svc, err := service.New(deps)
	if err != nil {
		return err
	}
	node, err := nodeID(cfg.Data)
	if err != nil {
		return err
	}
	eng, err := newEngine(ctx, cfg.Jobs, svc, db.Dialect(), cfg.DB, node, broker, log)
	if err != nil {
		return err
	}
	defer eng.Stop()
	apiSrv, err := api.New(apiCfg, svc, log, api.Hooks{Jobs: eng, Events: broker}, api.WithRenderer(renderer))
	if err != nil {
		return err
	}
	if err := eng.Start(ctx); err != nil {
		return err
	}
	// Recomputes smart crops after image profile changes (issue 14).
	crops := svc.CropWorker()
	crops.Start(ctx)
	defer crops.Stop()
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
	workspace, err := newWorkspace(svc, db, eng, log)
	if err != nil {
		return err
	}
	mux.Handle("/", workspace)
	// The workspace's pages follow the same event stream as the API's
	// GET /events, with the session cookie.
	if err := workspace.UseEvents(broker, events.StreamConfig{Heartbeat: apiCfg.Heartbeat, WriteTimeout: apiCfg.StreamWriteTimeout}); err != nil {
		return err
	}
	deliv.UseSessions(workspace) // signed-in users open /preview in the browser

	// Access-log lines go out in batches (one write call for many
	// requests under load); the other lines are written as they come.
	accessOut := obs.NewBatchWriter(stderr, 5*time.Millisecond)
	defer accessOut.Close()
	accessLog := newLogger(cfg.LogFormat, accessOut)
	srv := &http.Server{
		Handler:           obs.Middleware(accessLog, obs.NewMetrics(reg), delivery.NormalizePaths(mux)),
		ReadHeaderTimeout: 10 * time.Second,
		// A backstop for bodies no handler bounds: the API sets its own
		// deadline per request (uploads move theirs with the bytes).
		ReadTimeout:    2 * time.Minute,
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		Protocols:      new(http.Protocols),
	}
	srv.RegisterOnShutdown(broker.Close) // open event streams end, so Shutdown need not wait for them
	srv.Protocols.SetHTTP1(true)
	srv.Protocols.SetHTTP2(true)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	scheme := "http"
	if cfg.TLSSelfSigned || cfg.TLSCert != "" {
		scheme = "https"
		if srv.TLSConfig, err = tlsConfig(&cfg.tlsFlags); err != nil {
			ln.Close()
			return err
		}
	} else {
		// Cleartext HTTP/2 (prior knowledge) on the same port as HTTP/1.1.
		srv.Protocols.SetUnencryptedHTTP2(true)
	}
	// The admin's one-time link is logged before "serving", which tests and
	// scripts wait for: a stop right after it must not cut the link short.
	if err := adminPasswordLink(ctx, db, scheme+"://"+ln.Addr().String(), log); err != nil {
		ln.Close()
		if ctx.Err() != nil {
			return nil // stopped while starting
		}
		return err
	}
	log.Info("vitrine serving", "url", scheme+"://"+ln.Addr().String(), "db", db.Dialect(), "data", cfg.Data, "blobs", blobsLabel(cfg))

	if cfg.DebugAddr != "" {
		dbg := &http.Server{Addr: cfg.DebugAddr, Handler: debugMux(), ReadHeaderTimeout: 10 * time.Second}
		go func() {
			if err := dbg.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Error("debug server", "err", err)
			}
		}()
		defer dbg.Close()
	}
	return serveUntil(ctx, srv, ln, log, "/is/image/")
}
