package api_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/api"
	"github.com/vitrine/vitrine/internal/blob"
	"github.com/vitrine/vitrine/internal/service"
	"github.com/vitrine/vitrine/internal/sqlstore"
	"github.com/vitrine/vitrine/internal/testenv"
)

// env is a running API on a real listener with a SQLite store.
type env struct {
	srv   *httptest.Server
	db    *sqlstore.DB
	blobs *blob.Local
	dir   string
	token string // admin of acme
}

func newEnv(t *testing.T, cfg api.Config) *env {
	t.Helper()
	e := newStore(t)
	h, err := api.New(cfg, mustService(t, service.Deps{Store: e.db, Blobs: blob.Guard(e.blobs, e.db)}), slog.New(slog.NewTextHandler(io.Discard, nil)), api.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)
	return e
}

// newStore is an env without its server: a SQLite store and a blob store
// in a temp dir, company acme and its admin's token.
func newStore(t *testing.T) *env {
	t.Helper()
	dir := t.TempDir()
	db := testenv.OpenDSN(t, filepath.Join(dir, "v.db"))
	blobs, err := blob.OpenLocal(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := db.CreateCompany(context.Background(), "acme", "Acme")
	if err != nil {
		t.Fatal(err)
	}
	admin := testenv.Member(t, db, c, "alice", vitrine.RoleAdmin)
	return &env{db: db, blobs: blobs, dir: dir, token: testenv.Token(t, db, admin)}
}

func jpegBytes(t testing.TB, w, h int) []byte { return testenv.JPEG(t, w, h, 0) }

func pngBytes(t testing.TB, w, h int) []byte { return testenv.PNG(t, w, h, 0) }

type part struct {
	field, filename string
	data            []byte
}

func multipartBody(t testing.TB, parts ...part) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		var w io.Writer
		var err error
		if p.filename != "" {
			w, err = mw.CreateFormFile(p.field, p.filename)
		} else {
			w, err = mw.CreateFormField(p.field)
		}
		if err != nil {
			t.Fatal(err)
		}
		w.Write(p.data)
	}
	mw.Close()
	return &b, mw.FormDataContentType()
}

func (e *env) do(t testing.TB, method, path, ctype string, body io.Reader) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.token)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	data, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("%s %s: answer is not JSON: %q", method, path, data)
	}
	return resp.StatusCode, out
}

// rows counts the assets, versions and blobs stored.
func (e *env) rows(t *testing.T) (assets, versions, blobs int) {
	t.Helper()
	db := e.db.SQL()
	db.QueryRow(`SELECT COUNT(*) FROM assets`).Scan(&assets)
	db.QueryRow(`SELECT COUNT(*) FROM versions`).Scan(&versions)
	d, err := e.blobs.Digests(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	spool, _ := os.ReadDir(e.blobs.SpoolDir())
	return assets, versions, len(d) + len(spool)
}

func TestUploadMalformed(t *testing.T) {
	t.Parallel()
	cfg := api.DefaultConfig()
	cfg.MaxUploadBytes = 200 << 10
	e := newEnv(t, cfg)
	good := jpegBytes(t, 40, 30)
	flood := pngFlood(t)
	truncated, ctype := multipartBody(t, part{"file", "a.jpg", good})
	trunc := truncated.Bytes()[:truncated.Len()-40]
	big := bytes.Repeat([]byte{0xff}, 300<<10)

	cases := []struct {
		name   string
		body   func() (io.Reader, string)
		status int
		code   string
	}{
		{"not multipart", func() (io.Reader, string) { return bytes.NewReader(good), "image/jpeg" }, 400, vitrine.EINVALID},
		{"no file part", func() (io.Reader, string) { b, c := multipartBody(t, part{"folder", "", []byte("/x")}); return b, c }, 400, vitrine.EINVALID},
		{"empty file", func() (io.Reader, string) { b, c := multipartBody(t, part{"file", "e.jpg", nil}); return b, c }, 400, vitrine.EINVALID},
		{"wrong magic", func() (io.Reader, string) {
			b, c := multipartBody(t, part{"file", "x.jpg", []byte("MZ\x90\x00this is not an image at all")})
			return b, c
		}, 415, vitrine.EUNSUPPORTED},
		{"truncated multipart", func() (io.Reader, string) { return bytes.NewReader(trunc), ctype }, 400, vitrine.EINVALID},
		{"dot-dot name", func() (io.Reader, string) {
			b, c := multipartBody(t, part{"file", "../../etc/passwd.jpg", good})
			return b, c
		}, 400, vitrine.EINVALID},
		{"NUL in name", func() (io.Reader, string) { b, c := multipartBody(t, part{"file", "a\x00b.jpg", good}); return b, c }, 400, vitrine.EINVALID},
		{"4 KB name", func() (io.Reader, string) {
			b, c := multipartBody(t, part{"file", string(bytes.Repeat([]byte("n"), 4096)) + ".jpg", good})
			return b, c
		}, 400, vitrine.EINVALID},
		{"body over the limit", func() (io.Reader, string) { b, c := multipartBody(t, part{"file", "big.jpg", big}); return b, c }, 413, vitrine.ETOOLARGE},
		{"body over the limit, chunked", func() (io.Reader, string) {
			b, c := multipartBody(t, part{"file", "big.jpg", big})
			return io.MultiReader(b), c // unknown length: no Content-Length
		}, 413, vitrine.ETOOLARGE},
		{"pixel flood", func() (io.Reader, string) { b, c := multipartBody(t, part{"file", "flood.png", flood}); return b, c }, 413, vitrine.ETOOLARGE},
		{"checksum mismatch", func() (io.Reader, string) {
			b, c := multipartBody(t, part{"file", "a.jpg", good}, part{"sha256", "", []byte(fmt.Sprintf("%064x", 1))})
			return b, c
		}, 400, vitrine.EINVALID},
		{"bad folder", func() (io.Reader, string) {
			b, c := multipartBody(t, part{"file", "a.jpg", good}, part{"folder", "", []byte("/a/../b")})
			return b, c
		}, 400, vitrine.EINVALID},
		{"one bad file spoils the request", func() (io.Reader, string) {
			b, c := multipartBody(t, part{"file", "ok.jpg", good}, part{"file", "bad.jpg", []byte("GIF89a")})
			return b, c
		}, 400, vitrine.EINVALID},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body, ct := tc.body()
			status, out := e.do(t, "POST", "/api/v1/companies/acme/assets", ct, body)
			errObj, _ := out["error"].(map[string]any)
			if status != tc.status || errObj == nil || errObj["code"] != tc.code || errObj["message"] == "" {
				t.Fatalf("upload %s = %d %v, want %d with code %s", tc.name, status, out, tc.status, tc.code)
			}
			if a, v, b := e.rows(t); a+v+b != 0 {
				t.Fatalf("after %s: %d assets, %d versions, %d blobs/spool files left; want none", tc.name, a, v, b)
			}
		})
	}
	// And a good upload still works afterwards.
	b, c := multipartBody(t, part{"file", "ok.jpg", good})
	if status, out := e.do(t, "POST", "/api/v1/companies/acme/assets", c, b); status != 201 {
		t.Fatalf("good upload = %d %v", status, out)
	}
	if a, v, bl := e.rows(t); a != 1 || v != 1 || bl != 1 {
		t.Fatalf("after a good upload: %d assets, %d versions, %d blobs; want 1 each", a, v, bl)
	}
}

// pngFlood is a tiny PNG whose header claims 50000×50000 pixels.
func pngFlood(t testing.TB) []byte {
	b := pngBytes(t, 1, 1)
	// IHDR width and height sit at bytes 16..24, its CRC at 29..33.
	copy(b[16:], []byte{0, 0, 0xc3, 0x50, 0, 0, 0xc3, 0x50})
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

func TestAPIErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, api.DefaultConfig())
	cases := []struct {
		method, path, body string
		status             int
	}{
		{"GET", "/api/v1/companies/acme/assets/nope", "", 404},
		{"GET", "/api/v1/companies/other/assets", "", 404},
		{"POST", "/api/v1/companies/acme/publication", `{"action":"explode","assets":["x"]}`, 400},
		{"POST", "/api/v1/companies/acme/publication", `{"action":"publish"}`, 400},
		{"POST", "/api/v1/companies/acme/publication", `{"action":"publish","assets":["x"],"bogus":1}`, 400},
		{"POST", "/api/v1/companies/acme/folders", `{"path":"/a/../b"}`, 400},
		{"PATCH", "/api/v1/companies/acme/settings", `{"jpeg_quality":500}`, 400},
		{"PATCH", "/api/v1/companies/acme/settings", `{"nope":1}`, 400},
		{"GET", "/api/v1/companies/acme/jobs/abc", "", 404},
		{"GET", "/api/v1/companies/acme/jobs?type=bogus", "", 400},
		{"GET", "/api/v1/companies/acme/jobs?status=succeded", "", 400},
		{"GET", "/api/v1/nothing", "", 404},
		{"POST", "/api/v1/companies", `{"id":"x"}`, 403},
	}
	for _, tc := range cases {
		var body io.Reader
		if tc.body != "" {
			body = bytes.NewReader([]byte(tc.body))
		}
		status, out := e.do(t, tc.method, tc.path, "application/json", body)
		errObj, _ := out["error"].(map[string]any)
		if status != tc.status || errObj == nil || errObj["code"] == "" || errObj["message"] == "" {
			t.Errorf("%s %s %s = %d %v, want %d and an error object", tc.method, tc.path, tc.body, status, out, tc.status)
		}
	}
	// A folder refused for its modes is not made, nor its parents.
	for _, body := range []string{`{"path":"/bad/deep","sync_mode":"zzz"}`, `{"path":"/bad/deep","publish_mode":"later"}`} {
		if status, out := e.do(t, "POST", "/api/v1/companies/acme/folders", "application/json", bytes.NewReader([]byte(body))); status != 400 {
			t.Errorf("POST folders %s = %d %v, want 400", body, status, out)
		}
	}
	if status, out := e.do(t, "GET", "/api/v1/companies/acme/folders/bad", "", nil); status != 404 {
		t.Errorf("after refused creations GET folders/bad = %d %v, want 404", status, out)
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/companies/acme/assets", nil)
	req.Header.Set("Authorization", "Bearer wrong-token-000000")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("bad token = %d, want 401", resp.StatusCode)
	}
}

func mustService(t testing.TB, d service.Deps) *service.Service {
	t.Helper()
	svc, err := service.New(d)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}
