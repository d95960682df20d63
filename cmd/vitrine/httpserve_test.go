package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
)

// TestServeUntilStopsAtOnce: a server asked to stop right as it starts
// (ctx already done) returns. The front's shutdown hook was registered
// from the serving goroutine, after srv.Shutdown had run the hooks, and
// its accept loop waited for ever (a start-then-SIGINT e2e test hung).
func TestServeUntilStopsAtOnce(t *testing.T) {
	for range 20 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		srv := &http.Server{Handler: http.NotFoundHandler()}
		if err := serveUntil(ctx, srv, ln, slog.New(slog.NewTextHandler(io.Discard, nil)), "/is/image/"); err != nil {
			t.Fatal(err)
		}
	}
}
