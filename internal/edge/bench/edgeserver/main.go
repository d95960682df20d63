// Command edgeserver runs an edge node in front of a built-in origin that
// serves one cacheable rendition of -size bytes at /is/image/acme/bench,
// for bench/run.sh. It stands in for `vitrine edge` until that is wired.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/vitrine/vitrine/internal/edge"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18081", "listen address")
	size := flag.Int("size", 50<<10, "body size in bytes")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	flag.Parse()
	if *profile != "" {
		f, err := os.Create(*profile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "edgeserver:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(*addr, *size); err != nil {
		fmt.Fprintln(os.Stderr, "edgeserver:", err)
		os.Exit(1)
	}
}

func run(addr string, size int) error {
	body := []byte(strings.Repeat("v", size))
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=36000")
		w.Header().Set("ETag", `"bench"`)
		w.Header().Set("Xkey", "acme/bench")
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write(body)
	}))
	defer origin.Close()

	cfg := edge.DefaultConfig()
	cfg.Origin, _ = url.Parse(origin.URL)
	cfg.PurgeSecret = []byte("edgeserver-bench-secret")
	node, err := edge.New(cfg, slog.New(slog.NewTextHandler(os.Stderr, nil)), nil)
	if err != nil {
		return err
	}
	defer node.Close()

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: node, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Fprintf(os.Stderr, "edgeserver: edge on http://%s, origin %s\n", ln.Addr(), origin.URL)
	select {
	case <-ctx.Done():
	case err := <-errc:
		return err
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
