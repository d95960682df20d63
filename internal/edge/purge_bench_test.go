package edge_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"testing"
	"time"

	"github.com/vitrine/vitrine/internal/edge"
)

// BenchmarkPurgePropagation measures an invalidation from the origin's
// call to the last of three edges' confirmations, over loopback HTTP, and
// reports p50 and p99. Each edge holds the purged entry, so every purge
// does real work.
func BenchmarkPurgePropagation(b *testing.B) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		w.Header().Set("Xkey", "acme/shoe")
		w.Write(make([]byte, 50<<10))
	}))
	defer origin.Close()
	ou, _ := url.Parse(origin.URL)
	secret := []byte("bench-secret-0123456789")
	var edges []string
	for range 3 {
		cfg := edge.DefaultConfig()
		cfg.Origin, cfg.PurgeSecret, cfg.DiskBytes = ou, secret, 0
		n, err := edge.New(cfg, log, nil)
		if err != nil {
			b.Fatal(err)
		}
		defer n.Close()
		s := httptest.NewServer(n)
		defer s.Close()
		edges = append(edges, s.URL)
	}
	p, err := edge.NewPurger(edge.PurgerConfig{Edges: edges, Secret: secret}, log)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		for _, e := range edges { // refill every edge
			resp, err := http.Get(e + "/is/image/acme/shoe?wid=100")
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		b.StartTimer()
		t0 := time.Now()
		rep := p.Purge(ctx, edge.PurgeRequest{ID: fmt.Sprint(i), Keys: []string{"acme/shoe"}})
		lat = append(lat, time.Since(t0))
		if !rep.Confirmed() {
			b.Fatalf("purge %d not confirmed: %+v", i, rep)
		}
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[(len(lat)-1)*99/100].Microseconds()), "p99-µs")
}
