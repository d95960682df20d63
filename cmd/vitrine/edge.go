package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/vitrine/vitrine/internal/edge"
	"github.com/vitrine/vitrine/internal/imaging"
)

// runEdge runs a caching edge node in front of an origin (CDN-1).
func runEdge(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	d := edge.DefaultConfig()
	fs := flag.NewFlagSet("edge", flag.ContinueOnError)
	fs.SetOutput(stderr)
	origin := fs.String("origin", envOr("VITRINE_EDGE_ORIGIN", ""), "origin base URL, e.g. http://127.0.0.1:8080 [VITRINE_EDGE_ORIGIN]")
	addr := fs.String("addr", envOr("VITRINE_EDGE_ADDR", "127.0.0.1:8081"), "listen address [VITRINE_EDGE_ADDR]")
	fs.Int64Var(&d.MemoryBytes, "memory-bytes", envInt("VITRINE_EDGE_MEMORY_BYTES", d.MemoryBytes), "memory tier bound [VITRINE_EDGE_MEMORY_BYTES]")
	diskDir := fs.String("disk-dir", envOr("VITRINE_EDGE_DISK_DIR", ""), "disk tier directory (empty: memory only) [VITRINE_EDGE_DISK_DIR]")
	fs.Int64Var(&d.DiskBytes, "disk-bytes", envInt("VITRINE_EDGE_DISK_BYTES", d.DiskBytes), "disk tier bound [VITRINE_EDGE_DISK_BYTES]")
	fs.Int64Var(&d.MaxObjectBytes, "max-object-bytes", envInt("VITRINE_EDGE_MAX_OBJECT_BYTES", d.MaxObjectBytes), "larger responses pass through uncached [VITRINE_EDGE_MAX_OBJECT_BYTES]")
	secret := fs.String("purge-secret", envOr("VITRINE_PURGE_SECRET", ""), "secret shared with the origin to verify purges [VITRINE_PURGE_SECRET]")
	secretFile := fs.String("purge-secret-file", envOr("VITRINE_PURGE_SECRET_FILE", ""), "file holding the purge secret [VITRINE_PURGE_SECRET_FILE]")
	fs.DurationVar(&d.PurgeMaxSkew, "purge-max-skew", envDuration("VITRINE_EDGE_PURGE_MAX_SKEW", d.PurgeMaxSkew), "accepted clock difference for signed purges [VITRINE_EDGE_PURGE_MAX_SKEW]")
	fs.DurationVar(&d.StaleWhileRevalidate, "stale-while-revalidate", envDuration("VITRINE_EDGE_STALE_WHILE_REVALIDATE", d.StaleWhileRevalidate), "stale window for published content; 0 turns it off [VITRINE_EDGE_STALE_WHILE_REVALIDATE]")
	fs.DurationVar(&d.OriginTimeout, "origin-timeout", envDuration("VITRINE_EDGE_ORIGIN_TIMEOUT", d.OriginTimeout), "one origin fetch, body included [VITRINE_EDGE_ORIGIN_TIMEOUT]")
	forward := fs.String("forward-headers", envOr("VITRINE_EDGE_FORWARD_HEADERS", strings.Join(d.ForwardHeaders, ",")), "request headers sent to the origin (and the only ones Vary keys on) [VITRINE_EDGE_FORWARD_HEADERS]")
	metricsAddr := fs.String("metrics-addr", envOr("VITRINE_EDGE_METRICS_ADDR", ""), "serve /metrics on this address [VITRINE_EDGE_METRICS_ADDR]")
	logFormat := fs.String("log-format", envOr("VITRINE_LOG_FORMAT", "text"), "text or json [VITRINE_LOG_FORMAT]")
	var tlsFlags serveConfig
	fs.StringVar(&tlsFlags.TLSCert, "tls-cert", envOr("VITRINE_TLS_CERT", ""), "TLS certificate file (PEM) [VITRINE_TLS_CERT]")
	fs.StringVar(&tlsFlags.TLSKey, "tls-key", envOr("VITRINE_TLS_KEY", ""), "TLS key file (PEM) [VITRINE_TLS_KEY]")
	fs.BoolVar(&tlsFlags.TLSSelfSigned, "tls-self-signed", envOr("VITRINE_TLS_SELF_SIGNED", "") == "true", "TLS with a generated self-signed certificate [VITRINE_TLS_SELF_SIGNED]")
	if err := fs.Parse(args); err != nil {
		return err
	}
	d.ForwardHeaders = splitList(*forward)
	log := newLogger(*logFormat, stderr)
	if *origin == "" {
		return errors.New("--origin is required")
	}
	u, err := url.Parse(*origin)
	if err != nil {
		return fmt.Errorf("--origin: %w", err)
	}
	s, err := readSecret(*secret, *secretFile)
	if err != nil {
		return fmt.Errorf("purge secret: %w", err)
	}
	d.Origin, d.DiskDir, d.PurgeSecret = u, *diskDir, []byte(s)
	if d.DiskDir == "" {
		d.DiskBytes = 0
	}
	d.Normalize = normalizeLikeOrigin
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	node, err := edge.New(d, log, reg)
	if err != nil {
		return err
	}
	defer node.Close()
	if *metricsAddr != "" {
		ms := &http.Server{Addr: *metricsAddr, Handler: promhttp.HandlerFor(reg, promhttp.HandlerOpts{}), ReadHeaderTimeout: 10 * time.Second}
		go ms.ListenAndServe()
		defer ms.Close()
	}
	srv := &http.Server{Handler: node, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
		Protocols: new(http.Protocols)}
	srv.Protocols.SetHTTP1(true)
	srv.Protocols.SetHTTP2(true)
	scheme := "http"
	if tlsFlags.TLSSelfSigned || tlsFlags.TLSCert != "" {
		scheme = "https"
		if srv.TLSConfig, err = tlsConfig(&tlsFlags); err != nil {
			return err
		}
	} else {
		srv.Protocols.SetUnencryptedHTTP2(true)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	log.Info("vitrine edge serving", "url", scheme+"://"+ln.Addr().String(), "origin", u.String())
	return serveUntil(ctx, srv, ln, log)
}

// normalizeLikeOrigin keys image URLs the way the origin's rendition cache
// does (modifier order, case, comments and unknown commands do not split
// entries). A signature stays in the key: a cached signed URL must not
// answer an unsigned one. Anything the image parser refuses (a company
// preset the edge cannot expand) falls back to the generic normaliser.
func normalizeLikeOrigin(path, query string) string {
	if strings.HasPrefix(path, "/is/image/") {
		if req, err := imaging.Parse(query, nil); err == nil {
			key := path + "?" + req.CacheKey()
			if sig, exp := req.Signature(); sig != "" {
				key += fmt.Sprintf("&sig=%s&exp=%d", sig, exp)
			}
			return key
		}
	}
	return edge.DefaultNormalize(path, query)
}
