package delivery_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/vitrine/vitrine/internal/delivery"
	"github.com/vitrine/vitrine/internal/imaging"
)

// Hits written directly keep what http.ServeContent answered: ranges,
// preconditions and HEAD, for renditions and originals alike.
func TestReplySemantics(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	data := e.put(t, "shoe", "/", nil)
	e.get(t, "/is/image/acme/shoe?wid=10") // cache it
	for _, path := range []string{"/is/image/acme/shoe?wid=10", "/is/content/acme/shoe"} {
		full, body := e.get(t, path)
		if path == "/is/content/acme/shoe" && !bytes.Equal(body, data) {
			t.Fatalf("%s: not the stored bytes", path)
		}
		if full.StatusCode != 200 || full.Header.Get("Content-Length") != strconv.Itoa(len(body)) ||
			full.Header.Get("Accept-Ranges") != "bytes" || full.Header.Get("Last-Modified") == "" {
			t.Fatalf("%s: %d, headers %v", path, full.StatusCode, full.Header)
		}
		if r, b := e.get(t, path, "Range", "bytes=2-5"); r.StatusCode != 206 || !bytes.Equal(b, body[2:6]) ||
			r.Header.Get("Content-Range") != "bytes 2-5/"+strconv.Itoa(len(body)) {
			t.Errorf("%s Range: %d %q %q", path, r.StatusCode, b, r.Header.Get("Content-Range"))
		}
		if r, _ := e.get(t, path, "If-None-Match", full.Header.Get("ETag")); r.StatusCode != 304 {
			t.Errorf("%s If-None-Match: %d", path, r.StatusCode)
		}
		if r, _ := e.get(t, path, "If-Modified-Since", full.Header.Get("Last-Modified")); r.StatusCode != 304 {
			t.Errorf("%s If-Modified-Since: %d", path, r.StatusCode)
		}
		if r, _ := e.get(t, path, "If-Match", `"other"`); r.StatusCode != 412 {
			t.Errorf("%s If-Match: %d", path, r.StatusCode)
		}
		req, _ := http.NewRequest("HEAD", e.srv.URL+path, nil)
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if r.StatusCode != 200 || len(b) != 0 || r.Header.Get("Content-Length") != strconv.Itoa(len(body)) {
			t.Errorf("%s HEAD: %d, %d bytes, Content-Length %q", path, r.StatusCode, len(b), r.Header.Get("Content-Length"))
		}
	}
}

// discard is a ResponseWriter that keeps nothing; like a plain
// connection it has no ReadFrom, so a copy through a buffer shows.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

// A memory-tier hit is written from the cached bytes: no reader around
// them, no 32 KB copy buffer per reply.
func TestHitAllocs(t *testing.T) {
	e := newEnv(t)
	e.put(t, "shoe", "/", nil)
	// Upscaled to a PNG bigger than a copy buffer (ServeContent's copy
	// sizes its buffer to smaller bodies).
	path := "/is/image/acme/shoe?wid=2000&fmt=png"
	if r, b := e.get(t, path); r.StatusCode != 200 || len(b) < 64<<10 {
		t.Fatalf("%s: %d bytes", r.Status, len(b))
	}
	// A handler on the same cache that reuses lookups, as in production.
	renderer, err := imaging.New(imaging.Config{Workers: 1, Queue: 1, Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { renderer.Close() })
	cfg := e.cfg
	cfg.LookupTTL = time.Hour
	h, err := delivery.New(cfg, e.db, e.blobs, renderer, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", path, nil)
	w := &discard{}
	res := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			w.h = http.Header{}
			h.ServeHTTP(w, req)
		}
	})
	if w.h.Get("X-Render") != "cache" {
		t.Fatalf("not a hit: %v", w.h)
	}
	t.Logf("hit: %d allocs, %d bytes per reply", res.AllocsPerOp(), res.AllocedBytesPerOp())
	if res.AllocedBytesPerOp() >= 16<<10 {
		t.Fatalf("%d bytes allocated per hit", res.AllocedBytesPerOp())
	}
	// A hit reuses its memoised head (renditionhead.go): no plan, no
	// settings, no key hashing or header formatting per reply, and no
	// query map unless it asks req=set. 42 allocations per hit before,
	// 18 after.
	if res.AllocsPerOp() > 20 {
		t.Fatalf("%d allocations per hit, want at most 20", res.AllocsPerOp())
	}
}
