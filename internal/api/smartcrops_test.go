package api_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/vitrine/vitrine/internal/api"
	"github.com/vitrine/vitrine/internal/blob"
	"github.com/vitrine/vitrine/internal/imaging"
	"github.com/vitrine/vitrine/internal/service"
)

// newCropEnv is newEnv with libvips' smart crop wired in.
func newCropEnv(t *testing.T) *env {
	t.Helper()
	e := newStore(t)
	svc := mustService(t, service.Deps{Store: e.db, Blobs: blob.Guard(e.blobs, e.db), Crops: imaging.SmartCrops})
	h, err := api.New(api.DefaultConfig(), svc, slog.New(slog.NewTextHandler(io.Discard, nil)), api.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)
	return e
}

// TestSmartCropAPI: profiles are set, inherited, shown and cleared per
// folder; bad profiles and boxes are 400 with a JSON error; an image's
// crops are listed, adjusted and reset.
func TestSmartCropAPI(t *testing.T) {
	t.Parallel()
	e := newCropEnv(t)
	profile := map[string]any{"crops": []map[string]any{{"name": "Square", "width": 300, "height": 300}, {"name": "Wide", "width": 800, "height": 200}}}
	if st, out := e.json(t, "POST", "/folders", map[string]any{"path": "/shoes/boots"}); st != http.StatusCreated {
		t.Fatalf("create folder = %d %v", st, out)
	}
	if st, out := e.json(t, "PUT", "/folder-profiles/shoes", profile); st != http.StatusOK || out["profile"] == nil {
		t.Fatalf("PUT profile = %d %v", st, out)
	}
	st, out := e.json(t, "GET", "/folder-profiles/shoes/boots", nil)
	eff, _ := out["effective"].(map[string]any)
	if st != http.StatusOK || out["profile"] != nil || eff["from"] != "/shoes" {
		t.Errorf("GET /folder-profiles/shoes/boots = %d %v; want inherited from /shoes", st, out)
	}
	for name, bad := range map[string]any{
		"colon in a name": map[string]any{"crops": []map[string]any{{"name": "a:b", "width": 1, "height": 1}}},
		"too large":       map[string]any{"crops": []map[string]any{{"name": "big", "width": 5001, "height": 1}}},
		"twice":           map[string]any{"crops": []map[string]any{{"name": "a", "width": 1, "height": 1}, {"name": "A", "width": 2, "height": 2}}},
		"not an object":   []int{1},
	} {
		st, out := e.json(t, "PUT", "/folder-profiles/shoes", bad)
		if msg, _ := out["error"].(map[string]any); st != http.StatusBadRequest || msg["code"] == nil || msg["message"] == "" {
			t.Errorf("PUT profile (%s) = %d %v, want 400 with a JSON error", name, st, out)
		}
	}
	if st, _ := e.json(t, "PUT", "/folder-profiles/nope", profile); st != http.StatusNotFound {
		t.Errorf("PUT profile of an unknown folder = %d, want 404", st)
	}

	parts := []part{{field: "folder", data: []byte("/shoes/boots")}, {field: "file", filename: "boot.jpg", data: jpegBytes(t, 600, 400)}}
	body, ctype := multipartBody(t, parts...)
	if st, out := e.do(t, "POST", "/api/v1/companies/acme/assets", ctype, body); st != http.StatusCreated {
		t.Fatalf("upload = %d %v", st, out)
	}
	st, out = e.json(t, "GET", "/assets/boot/crops", nil)
	crops, _ := out["crops"].([]any)
	if st != http.StatusOK || len(crops) != 2 {
		t.Fatalf("GET crops = %d %v", st, out)
	}
	st, out = e.json(t, "PUT", "/assets/boot/crops/Square", map[string]any{"x": 10, "y": 20, "w": 200, "h": 200})
	box, _ := out["box"].(map[string]any)
	if st != http.StatusOK || out["adjusted"] != true || box["x"] != 10.0 || box["w"] != 200.0 {
		t.Errorf("PUT crop = %d %v", st, out)
	}
	for name, c := range map[string]struct {
		path string
		in   any
		want int
	}{
		"wrong aspect":  {"/assets/boot/crops/Square", map[string]any{"x": 0, "y": 0, "w": 200, "h": 100}, 400},
		"outside":       {"/assets/boot/crops/Square", map[string]any{"x": 500, "y": 0, "w": 200, "h": 200}, 400},
		"missing h":     {"/assets/boot/crops/Square", map[string]any{"x": 0, "y": 0, "w": 200}, 400},
		"unknown crop":  {"/assets/boot/crops/Nope", map[string]any{"x": 0, "y": 0, "w": 10, "h": 10}, 404},
		"unknown asset": {"/assets/nope/crops/Square", map[string]any{"x": 0, "y": 0, "w": 10, "h": 10}, 404},
	} {
		if st, out := e.json(t, "PUT", c.path, c.in); st != c.want || out["error"] == nil {
			t.Errorf("PUT crop (%s) = %d %v, want %d with a JSON error", name, st, out, c.want)
		}
	}
	st, out = e.json(t, "DELETE", "/assets/boot/crops/Square", nil)
	if box, _ := out["box"].(map[string]any); st != http.StatusOK || out["adjusted"] != false || box["w"] != 400.0 {
		t.Errorf("DELETE crop (reset) = %d %v, want the computed 400x400 box", st, out)
	}
	if st, out := e.json(t, "DELETE", "/folder-profiles/shoes", nil); st != http.StatusOK || out["profile"] != nil {
		t.Errorf("DELETE profile = %d %v", st, out)
	}
}
