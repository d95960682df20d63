package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/vitrine/vitrine/internal/api"
	"github.com/vitrine/vitrine/internal/delivery"
	"github.com/vitrine/vitrine/internal/imaging"
	"github.com/vitrine/vitrine/internal/service"
	"github.com/vitrine/vitrine/internal/video"
)

// newMediaEnv is newEnv with the renderer and, when ffmpeg is installed,
// the poster maker, and with delivery on the same listener, so a test can
// follow an asset from the API to its public URL.
func newMediaEnv(t *testing.T) (*env, bool) {
	t.Helper()
	e := newStore(t)
	db, blobs, dir := e.db, e.blobs, e.dir
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	renderer, err := imaging.New(imaging.Config{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { renderer.Close() })
	dcfg := delivery.DefaultConfig(filepath.Join(dir, "cache"))
	dcfg.LookupTTL = 0
	deliv, err := delivery.New(dcfg, db, blobs, renderer, log)
	if err != nil {
		t.Fatal(err)
	}
	deps := service.Deps{Store: db, Blobs: blobs, Log: log, Changes: service.NewChanges(service.Subscribers{Caches: []service.Forgetter{deliv}})}
	posters, perr := video.New(video.Config{})
	if perr == nil {
		deps.Posters = posters
	}
	h, err := api.New(api.DefaultConfig(), mustService(t, deps), log, api.Hooks{}, api.WithRenderer(renderer))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", h)
	mux.Handle("/is/", deliv)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	e.srv = srv
	return e, perr == nil
}

// upload posts files (name → bytes) with publish as given.
func (e *env) upload(t *testing.T, publish bool, files map[string][]byte) (int, map[string]any) {
	t.Helper()
	parts := []part{{field: "publish", data: []byte(map[bool]string{true: "true", false: "false"}[publish])}}
	for n, b := range files {
		parts = append(parts, part{field: "file", filename: n, data: b})
	}
	body, ctype := multipartBody(t, parts...)
	return e.do(t, "POST", "/api/v1/companies/acme/assets", ctype, body)
}

func (e *env) json(t *testing.T, method, path string, in any) (int, map[string]any) {
	t.Helper()
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	return e.do(t, method, "/api/v1/companies/acme"+path, "application/json", bytes.NewReader(b))
}

// public GETs a delivery URL without credentials.
func (e *env) public(t *testing.T, path string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func TestSetsAPI(t *testing.T) {
	t.Parallel()
	e, _ := newMediaEnv(t)
	if code, out := e.upload(t, false, map[string][]byte{"a.jpg": jpegBytes(t, 20, 10), "b.png": pngBytes(t, 8, 8)}); code != 201 {
		t.Fatalf("upload: %d %v", code, out)
	}
	code, out := e.json(t, "POST", "/sets", map[string]any{"name": "views", "type": "image_set",
		"members": []map[string]any{{"name": "a"}, {"name": "b"}}})
	if code != 201 {
		t.Fatalf("POST /sets = %d %v", code, out)
	}
	set := out["set"].(map[string]any)
	if set["version"].(float64) != 1 || len(set["members"].([]any)) != 2 || set["published"].(map[string]any)["delivery"] == nil {
		t.Errorf("created set = %v", set)
	}
	for _, p := range []string{"/is/image/acme/a", "/is/image/acme/views?req=set,json"} {
		if r, _ := e.public(t, p); r.StatusCode != 200 {
			t.Errorf("GET %s = %d after publish after save", p, r.StatusCode)
		}
	}
	code, out = e.json(t, "PUT", "/sets/views", map[string]any{"members": []map[string]any{{"name": "b"}}, "publish_after_save": false})
	if code != 200 || out["set"].(map[string]any)["version"].(float64) != 2 {
		t.Errorf("PUT /sets/views = %d %v", code, out)
	}
	code, out = e.do(t, "GET", "/api/v1/companies/acme/sets/views", "", nil)
	if code != 200 || len(out["members"].([]any)) != 1 || out["type"] != "image_set" {
		t.Errorf("GET /sets/views = %d %v", code, out)
	}
	code, out = e.do(t, "GET", "/api/v1/companies/acme/assets/b", "", nil)
	if code != 200 || len(out["sets"].([]any)) != 1 || out["sets"].([]any)[0] != "views" {
		t.Errorf("GET /assets/b sets = %v", out["sets"])
	}
	// Refusals, with a status each.
	for _, c := range []struct {
		method, path string
		body         map[string]any
		want         int
	}{
		{"POST", "/sets", map[string]any{"name": "x", "type": "image_set", "members": []map[string]any{{"name": "nope"}}}, 400},
		{"POST", "/sets", map[string]any{"name": "views", "type": "image_set", "members": []map[string]any{}}, 409},
		{"POST", "/sets", map[string]any{"name": "x", "type": "folder"}, 400},
		{"PUT", "/sets/a", map[string]any{"type": "image_set", "members": []map[string]any{}}, 409},
		{"PUT", "/sets/views", map[string]any{"name": "other", "members": []map[string]any{}}, 400},
		{"PUT", "/sets/nope", map[string]any{"type": "image_set", "members": []map[string]any{}}, 404},
	} {
		if code, out := e.json(t, c.method, c.path, c.body); code != c.want {
			t.Errorf("%s %s %v = %d %v, want %d", c.method, c.path, c.body, code, out, c.want)
		}
	}
}

func TestDeriveAPI(t *testing.T) {
	t.Parallel()
	e, _ := newMediaEnv(t)
	e.upload(t, true, map[string][]byte{"shoe.jpg": jpegBytes(t, 40, 20)})
	code, out := e.json(t, "POST", "/assets/shoe/derive", map[string]any{"name": "shoe-side", "recipe": "crop=0,0,30,20&rotate=90&op_usm=1,1,5,0"})
	if code != 201 {
		t.Fatalf("derive = %d %v", code, out)
	}
	v := out["current_version"].(map[string]any)
	if out["parent"] != "shoe" || v["width"].(float64) != 20 || v["height"].(float64) != 30 || v["format"] != "jpeg" {
		t.Errorf("derived = %v", out)
	}
	// Published with its published parent, served at its own URL.
	r, body := e.public(t, "/is/image/acme/shoe-side?wid=10")
	if r.StatusCode != 200 || r.Header.Get("Content-Type") != "image/jpeg" || len(body) == 0 {
		t.Errorf("GET derived = %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	code, out = e.do(t, "GET", "/api/v1/companies/acme/assets/shoe", "", nil)
	if d := out["derived"].([]any); code != 200 || len(d) != 1 || d[0].(map[string]any)["name"] != "shoe-side" {
		t.Errorf("Built & Derivatives of shoe = %v", out["derived"])
	}

	// An unpublished parent: the derived image waits, then publishes with it.
	e.upload(t, false, map[string][]byte{"hat.png": pngBytes(t, 16, 16)})
	if code, out := e.json(t, "POST", "/assets/hat/derive", map[string]any{"name": "hat-flip", "recipe": "flip=lr"}); code != 201 || out["current_version"].(map[string]any)["format"] != "png" {
		t.Fatalf("derive hat = %d %v", code, out)
	}
	if r, _ := e.public(t, "/is/image/acme/hat-flip"); r.StatusCode != 403 {
		t.Errorf("derived of an unpublished parent = %d, want 403", r.StatusCode)
	}
	e.json(t, "POST", "/publication", map[string]any{"action": "publish", "assets": []string{"hat"}})
	if r, _ := e.public(t, "/is/image/acme/hat-flip"); r.StatusCode != 200 {
		t.Errorf("derived after publishing its parent = %d, want 200", r.StatusCode)
	}

	// Replace original: a new version of the parent, live at once.
	if code, out := e.json(t, "POST", "/assets/shoe/derive", map[string]any{"recipe": "rotate=180", "replace_original": true}); code != 201 || out["version"].(float64) != 2 {
		t.Errorf("replace original = %d %v", code, out)
	}
	for _, c := range []struct {
		path string
		body map[string]any
		want int
	}{
		{"/assets/shoe/derive", map[string]any{"name": "x", "recipe": "rotate=45"}, 400},
		{"/assets/shoe/derive", map[string]any{"name": "x", "recipe": "req=props"}, 400},
		{"/assets/shoe/derive", map[string]any{"name": "hat", "recipe": "rotate=90"}, 409},
		{"/assets/nope/derive", map[string]any{"name": "x", "recipe": "rotate=90"}, 404},
		{"/assets/shoe/derive", map[string]any{"name": "x", "recipe": ""}, 400},
	} {
		if code, out := e.json(t, "POST", c.path, c.body); code != c.want {
			t.Errorf("POST %s %v = %d %v, want %d", c.path, c.body, code, out, c.want)
		}
	}

	// Deleting the parent removes its derived images from delivery.
	if code, out := e.do(t, "DELETE", "/api/v1/companies/acme/assets/shoe", "", nil); code != 200 {
		t.Fatalf("delete = %d %v", code, out)
	}
	if r, _ := e.public(t, "/is/image/acme/shoe-side"); r.StatusCode != 403 {
		t.Errorf("derived after its parent's deletion = %d, want 403", r.StatusCode)
	}
	if _, out := e.do(t, "GET", "/api/v1/companies/acme/assets/shoe-side", "", nil); out["trashed_at"] == nil {
		t.Errorf("derived image not in the Trash: %v", out)
	}
}
