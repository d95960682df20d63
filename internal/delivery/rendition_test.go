package delivery_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
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
		{"a preset the URL uses", "$p$", `{"presets":{"p":"wid=12"}}`},
	}
	if _, err := e.db.UpdateSettings(context.Background(), e.p.Company.ID, []byte(`{"presets":{"p":"wid=10"}}`)); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests { // in turn: each changes the one company
		url := srv.URL + "/is/image/acme/shoe?" + strings.ReplaceAll(tt.query, "$", "%24")
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

// TestRenditionCacheSurvivesRestart starts a second handler on the same
// cache directory: the first request is a hit with the same bytes, type
// and ETag.
func TestRenditionCacheSurvivesRestart(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.put(t, "shoe", "/", nil)
	const path = "/is/image/acme/shoe?wid=12&fmt=png"
	first, want := e.get(t, path)
	if first.StatusCode != 200 || first.Header.Get("X-Render") != "rendered" {
		t.Fatalf("first = %d %q", first.StatusCode, first.Header.Get("X-Render"))
	}
	h, srv := e.handler(t, e.cfg)
	r, got := fetch(t, srv.URL+path)
	if r.StatusCode != 200 || !bytes.Equal(got, want) || r.Header.Get("X-Render") != "cache" {
		t.Errorf("after restart = %d, %d bytes (want %d), X-Render %q; want the cached rendition", r.StatusCode, len(got), len(want), r.Header.Get("X-Render"))
	}
	for _, k := range []string{"ETag", "Content-Type"} {
		if r.Header.Get(k) != first.Header.Get(k) {
			t.Errorf("after restart %s = %q, want %q", k, r.Header.Get(k), first.Header.Get(k))
		}
	}
	if hits, renders := h.Stats().CacheHits.Load(), h.Stats().Renders.Load(); hits != 1 || renders != 0 {
		t.Errorf("after restart: %d hits, %d renders; want 1 hit, no render", hits, renders)
	}
}

// TestRenditionCacheDamagedFile damages a cached file while the server is
// down: the restarted server renders again instead of serving it.
func TestRenditionCacheDamagedFile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		damage func(t *testing.T, file, other string)
	}{
		{"truncated", func(t *testing.T, file, _ string) {
			fi, err := os.Stat(file)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(file, fi.Size()-1); err != nil {
				t.Fatal(err)
			}
		}},
		{"body changed", func(t *testing.T, file, _ string) {
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			b[len(b)-10] ^= 0xFF
			if err := os.WriteFile(file, b, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{"foreign", func(t *testing.T, file, _ string) {
			if err := os.WriteFile(file, []byte("\xFF\xD8\xFF\xE0 not a cached rendition"), 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{"another entry's file", func(t *testing.T, file, other string) {
			b, err := os.ReadFile(other)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, b, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.put(t, "shoe", "/", nil)
			const path = "/is/image/acme/shoe?wid=12"
			_, want := e.get(t, path)
			file := cacheFiles(t, e.cfg.CacheDir)[0]
			e.get(t, "/is/image/acme/shoe?wid=8")
			other := slices.DeleteFunc(cacheFiles(t, e.cfg.CacheDir), func(f string) bool { return f == file })[0]
			tt.damage(t, file, other)

			h, srv := e.handler(t, e.cfg)
			r, got := fetch(t, srv.URL+path)
			if r.StatusCode != 200 || !bytes.Equal(got, want) || r.Header.Get("X-Render") != "rendered" {
				t.Errorf("damaged = %d, %d bytes (want %d), X-Render %q; want a fresh render", r.StatusCode, len(got), len(want), r.Header.Get("X-Render"))
			}
			if hits, renders := h.Stats().CacheHits.Load(), h.Stats().Renders.Load(); hits != 0 || renders != 1 {
				t.Errorf("damaged: %d hits, %d renders; want 0 hits, 1 render", hits, renders)
			}
			// The fresh render replaced the file: the next restart hits.
			h3, srv3 := e.handler(t, e.cfg)
			if r, got := fetch(t, srv3.URL+path); !bytes.Equal(got, want) || h3.Stats().CacheHits.Load() != 1 {
				t.Errorf("after re-render and restart = %d, %d bytes, %d hits; want the rendition from cache", r.StatusCode, len(got), h3.Stats().CacheHits.Load())
			}
		})
	}
}

// cacheFiles lists the files in dir but temp files.
func cacheFiles(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, de := range des {
		if !strings.HasPrefix(de.Name(), "tmp-") {
			files = append(files, filepath.Join(dir, de.Name()))
		}
	}
	if len(files) == 0 {
		t.Fatalf("no rendition in %s", dir)
	}
	return files
}
