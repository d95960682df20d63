package delivery_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vitrine/vitrine/internal/imaging"
)

func TestImageRenditions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.put(t, "shoe", "/", nil) // 20×10 JPEG
	decode := func(b []byte) (string, image.Point) {
		cfg, f, err := image.DecodeConfig(bytes.NewReader(b))
		if err != nil {
			return "error: " + err.Error(), image.Point{}
		}
		return f, image.Pt(cfg.Width, cfg.Height)
	}
	cases := []struct {
		query  string
		format string
		size   image.Point
	}{
		{"wid=10", "jpeg", image.Pt(10, 5)},
		{"hei=5&fmt=png", "png", image.Pt(10, 5)},
		{"wid=16&hei=16", "jpeg", image.Pt(16, 16)},              // letterboxed to exactly wid×hei
		{"wid=16&hei=16&fit=constrain", "jpeg", image.Pt(16, 8)}, // constrain shrinks the reply
		{"WID=10&.comment&unknown=1", "jpeg", image.Pt(10, 5)},   // case, comments, unknown commands
		{"wid=10&rotate=90", "jpeg", image.Pt(10, 20)},           // wid is the width of the rotated reply
		{"scl=2", "jpeg", image.Pt(10, 5)},                       // 1/scl
	}
	for _, tc := range cases {
		resp, body := e.get(t, "/is/image/acme/shoe?"+tc.query)
		f, size := decode(body)
		if resp.StatusCode != 200 || f != tc.format || size != tc.size {
			t.Errorf("?%s = %d %s %v, want 200 %s %v", tc.query, resp.StatusCode, f, size, tc.format, tc.size)
		}
	}
	// Equivalent URLs share a rendition and an ETag; the second is a cache hit.
	r1, _ := e.get(t, "/is/image/acme/shoe?wid=12&fmt=jpg")
	r2, _ := e.get(t, "/is/image/acme/shoe?fmt=jpeg&.x&WID=12")
	if r1.Header.Get("ETag") != r2.Header.Get("ETag") || r2.Header.Get("X-Render") != "cache" {
		t.Errorf("equivalent URLs: ETags %q %q, second X-Render %q", r1.Header.Get("ETag"), r2.Header.Get("ETag"), r2.Header.Get("X-Render"))
	}
	if r, _ := e.get(t, "/is/image/acme/shoe?wid=12&fmt=jpg", "If-None-Match", r1.Header.Get("ETag")); r.StatusCode != 304 {
		t.Errorf("conditional = %d, want 304", r.StatusCode)
	}
	// If-None-Match compares weakly and takes a list (RFC 9110 13.1.2), as
	// browsers and caches send it.
	for _, inm := range []string{"W/" + r1.Header.Get("ETag"), `"other", ` + r1.Header.Get("ETag"), "*"} {
		if r, _ := e.get(t, "/is/image/acme/shoe?wid=12&fmt=jpg", "If-None-Match", inm); r.StatusCode != 304 {
			t.Errorf("If-None-Match: %s = %d, want 304", inm, r.StatusCode)
		}
	}
	if r, _ := e.get(t, "/is/image/acme/shoe?wid=12&fmt=jpg", "If-None-Match", `"other"`); r.StatusCode != 200 {
		t.Errorf(`If-None-Match: "other" = %d, want 200`, r.StatusCode)
	}
	// Protection: above MaxPix is 403 and never cached; so are bad values
	// (r-errors.md: "for most common errors it is '403'").
	for q, want := range map[string]int{"wid=3001": 403, "wid=abc": 403, "$nopreset$": 403} {
		r, _ := e.get(t, "/is/image/acme/shoe?"+url.PathEscape(q))
		if r.StatusCode != want || r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("?%s = %d %q, want %d no-store", q, r.StatusCode, r.Header.Get("Cache-Control"), want)
		}
	}
}

func TestImageRequests(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.put(t, "shoe", "/", nil)
	r, body := e.get(t, "/is/image/acme/shoe?req=imageprops,json&handler=")
	var props map[string]any
	if err := json.Unmarshal(body, &props); r.StatusCode != 200 || err != nil {
		t.Fatalf("imageprops = %d %q", r.StatusCode, body)
	}
	if r.Header.Get("Cache-Control") != "public, max-age=360" {
		t.Errorf("imageprops Cache-Control = %q, want the 6-minute non-image TTL", r.Header.Get("Cache-Control"))
	}
	if !strings.Contains(string(body), "20") || !strings.Contains(string(body), "10") {
		t.Errorf("imageprops = %s, want width 20 and height 10", body)
	}
	_, yes := e.get(t, "/is/image/acme/shoe?req=exists")
	r, no := e.get(t, "/is/image/acme/ghost?req=exists")
	if r.StatusCode != 200 || bytes.Equal(yes, no) || !strings.Contains(string(no), "0") {
		t.Errorf("exists: shoe %q, ghost %d %q", yes, r.StatusCode, no)
	}
	if r, body := e.get(t, "/is/image/acme/shoe?req=props&wid=10&fmt=png"); r.StatusCode != 200 || !strings.Contains(string(body), "image/png") {
		t.Errorf("props = %d %q", r.StatusCode, body)
	}
}

func TestDefaultImageAndPresets(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	e.put(t, "fallback", "/", nil)
	e.put(t, "shoe", "/", nil)
	if r, _ := e.get(t, "/is/image/acme/ghost"); r.StatusCode != 403 {
		t.Errorf("unknown without a default image = %d, want 403", r.StatusCode)
	}
	if _, err := e.db.UpdateSettings(ctx, e.p.Company.ID, []byte(`{"default_image":"fallback","presets":{"thumb":"wid=8&fmt=png"}}`)); err != nil {
		t.Fatal(err)
	}
	r, _ := e.get(t, "/is/image/acme/ghost?wid=10")
	if r.StatusCode != 200 || r.Header.Get("Cache-Control") != "public, max-age=3600" {
		t.Errorf("default image = %d %q, want 200 with the 1-hour TTL", r.StatusCode, r.Header.Get("Cache-Control"))
	}
	// defaultImage= names the stand-in as id or company/id (sites write
	// both); another company's prefix is no image of this company.
	for path, want := range map[string]int{
		"/is/image/acme/ghost?defaultImage=shoe":       200,
		"/is/image/acme/ghost?defaultImage=acme/shoe":  200,
		"/is/image/acme/ghost?defaultImage=other/shoe": 403,
	} {
		if r, _ := e.get(t, path); r.StatusCode != want {
			t.Errorf("GET %s = %d, want %d", path, r.StatusCode, want)
		}
	}
	r, body := e.get(t, "/is/image/acme/shoe?$thumb$")
	cfg, f, err := image.DecodeConfig(bytes.NewReader(body))
	if r.StatusCode != 200 || err != nil || f != "png" || cfg.Width != 8 {
		t.Errorf("preset = %d %s %v %v", r.StatusCode, f, cfg, err)
	}
	// A command after the preset overrides it.
	_, body = e.get(t, "/is/image/acme/shoe?$thumb$&wid=6")
	if cfg, _, _ := image.DecodeConfig(bytes.NewReader(body)); cfg.Width != 6 {
		t.Errorf("command after preset: width %d, want 6", cfg.Width)
	}
}

func TestURLSigning(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	e.put(t, "shoe", "/", nil)
	key := "0123456789abcdef-key"
	if _, err := e.db.UpdateSettings(ctx, e.p.Company.ID, []byte(`{"url_signing":"required","url_signing_keys":["older-key-0000000000","`+key+`"],"presets":{"t":"wid=8"}}`)); err != nil {
		t.Fatal(err)
	}
	if r, _ := e.get(t, "/is/image/acme/shoe?wid=10"); r.StatusCode != 403 {
		t.Errorf("unsigned = %d, want 403", r.StatusCode)
	}
	req, err := imaging.Parse("wid=10", nil)
	if err != nil {
		t.Fatal(err)
	}
	q := imaging.SignedQuery([]byte(key), "/is/image/acme/shoe", req, time.Now().Add(time.Hour))
	if r, _ := e.get(t, "/is/image/acme/shoe?"+q); r.StatusCode != 200 {
		t.Errorf("signed with the second live key = %d, want 200 (%s)", r.StatusCode, q)
	}
	if r, _ := e.get(t, "/is/image/acme/shoe?"+strings.Replace(q, "wid=10", "wid=11", 1)); r.StatusCode != 403 {
		t.Errorf("tampered = %d, want 403", r.StatusCode)
	}
	if _, err := e.db.UpdateSettings(ctx, e.p.Company.ID, []byte(`{"url_signing":"presets_only"}`)); err != nil {
		t.Fatal(err)
	}
	if r, _ := e.get(t, "/is/image/acme/shoe?$t$"); r.StatusCode != 200 {
		t.Errorf("presets-only mode, preset URL = %d, want 200", r.StatusCode)
	}
	if r, _ := e.get(t, "/is/image/acme/shoe?wid=9"); r.StatusCode != 403 {
		t.Errorf("presets-only mode, free URL = %d, want 403", r.StatusCode)
	}
	// No modifiers is not "presets only" (issue 15, item 9): the full-size
	// image and the original need a signature.
	for _, path := range []string{"/is/image/acme/shoe", "/is/image/acme/shoe?", "/is/content/acme/shoe", "/is/image/acme/shoe?.x"} {
		if r, _ := e.get(t, path); r.StatusCode != 403 {
			t.Errorf("presets-only mode, unsigned %s = %d, want 403", path, r.StatusCode)
		}
	}
	empty, err := imaging.Parse("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := e.get(t, "/is/content/acme/shoe?"+imaging.SignedQuery([]byte(key), "/is/content/acme/shoe", empty, time.Now().Add(time.Hour))); r.StatusCode != 200 {
		t.Errorf("presets-only mode, signed original = %d, want 200", r.StatusCode)
	}
}

// TestRenderOnce: concurrent requests for one new rendition render it once.
func TestRenderOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.put(t, "shoe", "/", nil)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r, _ := e.get(t, "/is/image/acme/shoe?wid=7"); r.StatusCode != 200 {
				t.Errorf("status %d", r.StatusCode)
			}
		}()
	}
	wg.Wait()
	if n := e.h.Stats().Renders.Load(); n != 1 {
		t.Errorf("8 concurrent requests rendered %d times, want 1", n)
	}
	if n := e.h.Stats().CacheHits.Load(); n > 7 {
		t.Errorf("cache hits %d, want at most 7", n)
	}
}
