package api_test

import (
	"net/http"
	"testing"

	"github.com/vitrine/vitrine/internal/api"
)

// TestWrongMethod: a path that exists answers a wrong method with 405, an
// Allow header listing the methods it takes and a JSON error; an unknown
// path stays 404.
func TestWrongMethod(t *testing.T) {
	t.Parallel()
	e := newEnv(t, api.DefaultConfig())
	tests := []struct {
		method, path string
		status       int
		allow        string
	}{
		{"PUT", "/api/v1/companies/acme/assets", 405, "GET, POST, HEAD"},
		{"POST", "/api/v1/companies/acme/settings", 405, "GET, PATCH, HEAD"},
		{"DELETE", "/api/v1/me", 405, "GET, HEAD"},
		{"GET", "/api/v1/companies/acme/nothing", 404, ""},
	}
	for _, tc := range tests {
		req, _ := http.NewRequest(tc.method, e.srv.URL+tc.path, nil)
		req.Header.Set("Authorization", "Bearer "+e.token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status || resp.Header.Get("Allow") != tc.allow {
			t.Errorf("%s %s = %d Allow %q, want %d Allow %q", tc.method, tc.path, resp.StatusCode, resp.Header.Get("Allow"), tc.status, tc.allow)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/json" && !(len(ct) > 16 && ct[:16] == "application/json") {
			t.Errorf("%s %s: Content-Type %q, want JSON", tc.method, tc.path, ct)
		}
	}
}

// TestBadQuery: query parameters a listing does not understand are refused
// with a JSON error instead of being ignored (a garbage cursor used to
// start the listing somewhere).
func TestBadQuery(t *testing.T) {
	t.Parallel()
	e := newEnv(t, api.DefaultConfig())
	for _, q := range []string{"cursor=shoe", "cursor=%21%21", "type=picture", "limit=abc", "limit=0", "published=maybe"} {
		code, out := e.do(t, "GET", "/api/v1/companies/acme/assets?"+q, "", nil)
		if code != 400 || out["error"] == nil {
			t.Errorf("GET /assets?%s = %d %v, want 400 with an error", q, code, out)
		}
	}
	if code, out := e.do(t, "GET", "/api/v1/companies/acme/assets?limit=1", "", nil); code != 200 {
		t.Fatalf("GET /assets?limit=1 = %d %v", code, out)
	}
}
