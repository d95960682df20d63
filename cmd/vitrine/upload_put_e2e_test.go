package main_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/vitrine/vitrine"
)

// uploadRecorder is a proxy in front of the server that counts the
// requests that reach …/assets by method; old makes it answer a raw-body
// PUT as a server without that route does (405 JSON).
type uploadRecorder struct {
	mu     sync.Mutex
	counts map[string]int // "PUT", "POST"
	old    bool
}

func (u *uploadRecorder) handler(t *testing.T, target string) http.Handler {
	to, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(to)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		isPut := r.Method == http.MethodPut && strings.HasPrefix(r.URL.Path, "/api/v1/companies/demo/assets/")
		isPost := r.Method == http.MethodPost && r.URL.Path == "/api/v1/companies/demo/assets"
		u.mu.Lock()
		if isPut || isPost {
			u.counts[r.Method]++
		}
		u.mu.Unlock()
		if isPut && u.old {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Allow", "GET, HEAD, PATCH, DELETE")
			w.WriteHeader(http.StatusMethodNotAllowed)
			w.Write([]byte(`{"error":{"code":"method_not_allowed","message":"PUT is not allowed"}}`))
			return
		}
		proxy.ServeHTTP(w, r)
	})
}

// TestUploadRawBody: `vitrine upload DIR` sends each file as a raw-body PUT
// (stored with the checksum of its bytes), and against a server without
// that route (405) falls back to multipart forms and still uploads all.
func TestUploadRawBody(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	root := filepath.Join(t.TempDir(), "shoot")
	if err := os.MkdirAll(filepath.Join(root, "detail"), 0o755); err != nil {
		t.Fatal(err)
	}
	paths := map[string]string{
		"red":  writeJPEG(t, root, "red.jpg", 20, 20, 1),
		"blue": writeJPEG(t, filepath.Join(root, "detail"), "blue.jpg", 20, 20, 3),
	}
	for _, tc := range []struct {
		name      string
		old       bool
		folder    string
		wantPosts int
	}{
		{"new server", false, "/new", 0},
		{"server without PUT", true, "/old", 2},
	} {
		rec := &uploadRecorder{counts: map[string]int{}, old: tc.old}
		front := httptest.NewServer(rec.handler(t, s.url))
		via := *s
		via.url = front.URL
		out := via.cli(t, s.token, "upload", "--folder", tc.folder, "--overwrite", "any_ext_any_folder", root)
		front.Close()
		if !strings.Contains(out, "2 new") && !strings.Contains(out, "2 replaced") {
			t.Errorf("%s: upload summary:\n%s", tc.name, out)
		}
		if rec.counts["PUT"] == 0 || rec.counts["POST"] != tc.wantPosts {
			t.Errorf("%s: %d PUT and %d multipart POST requests; want PUTs and %d POSTs", tc.name, rec.counts["PUT"], rec.counts["POST"], tc.wantPosts)
		}
		for name, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(data)
			var vs struct{ Versions []vitrine.Version }
			resp, body := s.get(t, "/api/v1/companies/demo/assets/"+name+"/versions", "Authorization", "Bearer "+s.token)
			if resp.StatusCode != 200 || json.Unmarshal(body, &vs) != nil || len(vs.Versions) == 0 || vs.Versions[0].SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("%s: %s versions = %d %s, want the newest with sha256 %x", tc.name, name, resp.StatusCode, body, sum)
			}
		}
	}
}
