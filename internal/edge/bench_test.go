package edge

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// discardWriter is a ResponseWriter that keeps headers and drops the body,
// so the benchmark measures the edge and not a recorder's buffer.
type discardWriter struct {
	h      http.Header
	status int
}

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(s int)           { d.status = s }

// ReadFrom is what a real server's writer offers too (with pooled buffers).
func (d *discardWriter) ReadFrom(r io.Reader) (int64, error) { return io.Copy(io.Discard, r) }

// BenchmarkEdgeHit measures a memory hit of a 50 KB rendition, handler only,
// from parallel goroutines.
func BenchmarkEdgeHit(b *testing.B) {
	body := strings.Repeat("x", 50<<10)
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=36000")
		w.Header().Set("ETag", `"bench"`)
		w.Header().Set("Xkey", "acme/shoe")
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write([]byte(body))
	}))
	defer origin.Close()
	cfg := DefaultConfig()
	cfg.Origin, _ = url.Parse(origin.URL)
	cfg.PurgeSecret = testSecret
	n, err := New(cfg, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer n.Close()
	const uri = "/is/image/acme/shoe?wid=400&hei=400&fmt=jpeg"
	warm := &discardWriter{h: http.Header{}}
	n.ServeHTTP(warm, httptest.NewRequest(http.MethodGet, uri, nil))
	if warm.status != 200 {
		b.Fatalf("warm-up status %d", warm.status)
	}

	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		req := httptest.NewRequest(http.MethodGet, uri, nil)
		for pb.Next() {
			w := &discardWriter{h: http.Header{}}
			n.ServeHTTP(w, req)
			if w.status != 200 || w.h.Get("X-Cache") != "HIT" {
				b.Fatalf("status %d X-Cache %s", w.status, w.h.Get("X-Cache"))
			}
		}
	})
}

// TestEdgeHitAllocs: a memory hit allocates little besides the header
// values: no copy buffer, one slice for the reply's own header values, no
// forwarded-header map when the request has none, no rewritten modifiers
// when the query is already lower case.
func TestEdgeHitAllocs(t *testing.T) {
	body := strings.Repeat("x", 50<<10)
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=36000")
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write([]byte(body))
	}))
	defer origin.Close()
	cfg := DefaultConfig()
	cfg.Origin, _ = url.Parse(origin.URL)
	cfg.PurgeSecret = testSecret
	n, err := New(cfg, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	req := httptest.NewRequest(http.MethodGet, "/is/image/acme/shoe?wid=400&hei=400&fmt=jpeg", nil)
	w := &discardWriter{h: http.Header{}}
	n.ServeHTTP(w, req)
	allocs := testing.AllocsPerRun(200, func() {
		clear(w.h)
		n.ServeHTTP(w, req)
	})
	if w.status != 200 || w.h.Get("X-Cache") != "HIT" {
		t.Fatalf("status %d, X-Cache %q", w.status, w.h.Get("X-Cache"))
	}
	t.Logf("%.0f allocations per hit", allocs)
	// 10 before the cache key was memoised (keymemo.go) and the hit
	// counters looked up once (metrics.go), 6 after.
	if allocs > 7 {
		t.Errorf("%.0f allocations per memory hit, want at most 7", allocs)
	}
}
