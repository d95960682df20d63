package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
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
	cfg, err := parseEdge(args, stderr)
	if err != nil {
		return err
	}
	defer startGCFloor(gcFloorBytes)()
	d := cfg.Node
	log := newLogger(cfg.LogFormat, stderr)
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	node, err := edge.New(d, log, reg)
	if err != nil {
		return err
	}
	defer node.Close()
	if cfg.MetricsAddr != "" {
		ms := &http.Server{Addr: cfg.MetricsAddr, Handler: promhttp.HandlerFor(reg, promhttp.HandlerOpts{}), ReadHeaderTimeout: 10 * time.Second}
		go ms.ListenAndServe()
		defer ms.Close()
	}
	srv := &http.Server{Handler: node, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
		Protocols: new(http.Protocols)}
	srv.Protocols.SetHTTP1(true)
	srv.Protocols.SetHTTP2(true)
	scheme := "http"
	if cfg.TLSSelfSigned || cfg.TLSCert != "" {
		scheme = "https"
		if srv.TLSConfig, err = tlsConfig(&cfg.tlsFlags); err != nil {
			return err
		}
	} else {
		srv.Protocols.SetUnencryptedHTTP2(true)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	log.Info("vitrine edge serving", "url", scheme+"://"+ln.Addr().String(), "origin", d.Origin.String())
	return serveUntilWith(ctx, srv, ln, log, cfg.HitLoop, "/is/image/")
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
