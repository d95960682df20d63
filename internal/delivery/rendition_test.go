package delivery_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/vitrine/vitrine/internal/delivery"
	"github.com/vitrine/vitrine/internal/imaging"
)

// handler starts another delivery handler on e's catalog and blobs, as a
// restarted process would.
func (e *env) handler(t *testing.T, cfg delivery.Config) (*delivery.Handler, *httptest.Server) {
	t.Helper()
	renderer, err := imaging.New(imaging.Config{Workers: 2, Queue: 8, Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { renderer.Close() })
	h, err := delivery.New(cfg, e.db, e.blobs, renderer, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return h, srv
}

// fetch GETs url with header pairs and returns the response and its body.
func fetch(t *testing.T, url string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// TestRenditionFollowsSettings changes each company setting that alters a
// rendition and expects the next request, after the Invalidate the API
// makes on every change, to get new bytes under a new ETag, and the old
// ETag to get no 304.
func TestRenditionFollowsSettings(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.put(t, "shoe", "/", nil) // 20×10 JPEG
	cfg := e.cfg
	cfg.CacheDir = t.TempDir()
	cfg.LookupTTL = time.Hour // as in production: only Invalidate shows a change
	h, srv := e.handler(t, cfg)
	tests := []struct {
		name, query, patch string
	}{
		{"jpeg_quality", "wid=16", `{"jpeg_quality":10}`},
		{"res_mode", "wid=7", `{"res_mode":"bilin"}`},
		{"bkg_color", "wid=16&hei=16", `{"bkg_color":"FF0000"}`},
		{"default_pix", "", `{"default_pix":[10,10]}`},
	}
	for _, tt := range tests { // in turn: each changes the one company
		url := srv.URL + "/is/image/acme/shoe?" + tt.query
		before, oldBody := fetch(t, url)
		if before.StatusCode != 200 {
			t.Fatalf("%s: before = %d", tt.name, before.StatusCode)
		}
		if _, err := e.db.UpdateSettings(context.Background(), e.p.Company.ID, []byte(tt.patch)); err != nil {
			t.Fatal(err)
		}
		h.Invalidate("acme")
		after, newBody := fetch(t, url)
		if after.StatusCode != 200 || bytes.Equal(newBody, oldBody) || after.Header.Get("ETag") == before.Header.Get("ETag") {
			t.Errorf("%s %s: %d, same bytes %v, ETag %s then %s; want new bytes under a new ETag", tt.name, tt.patch,
				after.StatusCode, bytes.Equal(newBody, oldBody), before.Header.Get("ETag"), after.Header.Get("ETag"))
		}
		if got := after.Header.Get("X-Render"); got != "rendered" {
			t.Errorf("%s: X-Render = %q after the change, want rendered", tt.name, got)
		}
		if r, body := fetch(t, url, "If-None-Match", before.Header.Get("ETag")); r.StatusCode != 200 || !bytes.Equal(body, newBody) {
			t.Errorf("%s: old ETag = %d, want 200 with the new rendition", tt.name, r.StatusCode)
		}
		if r, _ := fetch(t, url, "If-None-Match", after.Header.Get("ETag")); r.StatusCode != 304 {
			t.Errorf("%s: new ETag = %d, want 304", tt.name, r.StatusCode)
		}
	}
}
