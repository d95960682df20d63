package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/vitrine/vitrine/internal/front"
)

// serveUntil serves srv on ln (TLS when srv has a TLS config) until ctx
// ends, then shuts it down gracefully, letting requests in flight finish
// for up to 30 s. serve and edge share it. Without TLS, HTTP/1.1 GET and
// HEAD requests under the front prefixes (cached image hits) are read and
// answered by internal/front, which hands other connections to srv.
func serveUntil(ctx context.Context, srv *http.Server, ln net.Listener, log *slog.Logger, prefixes ...string) error {
	return serveUntilWith(ctx, srv, ln, log, false, prefixes...)
}

// serveUntilWith is serveUntil, with the front's hit loop when hitLoop
// (and the front runs: no TLS).
func serveUntilWith(ctx context.Context, srv *http.Server, ln net.Listener, log *slog.Logger, hitLoop bool, prefixes ...string) error {
	// The front registers its shutdown with srv here, before anything can
	// call srv.Shutdown: registered later (it was made in the goroutine),
	// a shutdown right after the start never reached it and its accept
	// loop waited for ever.
	var fr *front.Server
	if srv.TLSConfig == nil && len(prefixes) > 0 {
		fr = front.New(srv, ln, prefixes...)
		if hitLoop {
			if err := fr.EnableHitLoop(); err != nil {
				return err
			}
		}
	}
	errc := make(chan error, 1)
	go func() {
		switch {
		case srv.TLSConfig != nil:
			errc <- srv.ServeTLS(ln, "", "")
		case fr != nil:
			errc <- fr.Serve()
		default:
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
