package delivery_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/jpeg"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/blob"
	"github.com/vitrine/vitrine/internal/delivery"
	"github.com/vitrine/vitrine/internal/imaging"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

type env struct {
	srv   *httptest.Server
	h     *delivery.Handler
	db    *sqlstore.DB
	blobs *blob.Local
	p     *vitrine.Principal
	token string
	cfg   delivery.Config // of h: a test may start another handler on the same cache
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvWith(t, nil)
}

// newEnvWith is newEnv with the handler's config changed by set (nil: as
// is).
func newEnvWith(t *testing.T, set func(*delivery.Config)) *env {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlstore.Open(ctx, filepath.Join(dir, "v.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	blobs, err := blob.OpenLocal(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	c, _ := db.CreateCompany(ctx, "acme", "")
	u, _ := db.CreateUser(ctx, "ann", false)
	db.SetMembership(ctx, u.ID, c.ID, vitrine.RoleUser)
	tok, _ := db.CreateToken(ctx, u.ID, "t", "")
	p, err := db.Principal(ctx, u, "acme")
	if err != nil {
		t.Fatal(err)
	}
	renderer, err := imaging.New(imaging.Config{Workers: 2, Queue: 8, Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { renderer.Close() })
	cfg := delivery.DefaultConfig(filepath.Join(dir, "cache"))
	cfg.LookupTTL = 0 // every request reads the catalog: tests change it directly
	if set != nil {
		set(&cfg)
	}
	h, err := delivery.New(cfg, db, blobs, renderer, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Close)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &env{srv: srv, h: h, db: db, blobs: blobs, p: p, token: tok, cfg: cfg}
}

// put stores a JPEG as asset name in folder.
func (e *env) put(t *testing.T, name, folder string, publish *bool) []byte {
	t.Helper()
	return e.putSeeded(t, name, folder, publish, len(name))
}

// putSeeded is put with pixels of another seed: a new version of name.
func (e *env) putSeeded(t *testing.T, name, folder string, publish *bool, seed int) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, 20, 10))
	for i := range m.Pix {
		m.Pix[i] = byte(i + seed)
	}
	var b bytes.Buffer
	jpeg.Encode(&b, m, nil)
	sum := sha256.Sum256(b.Bytes())
	digest := hex.EncodeToString(sum[:])
	tmp := filepath.Join(e.blobs.SpoolDir(), "t-"+name)
	os.WriteFile(tmp, b.Bytes(), 0o600)
	if err := e.blobs.PutFile(context.Background(), digest, tmp); err != nil {
		t.Fatal(err)
	}
	_, err := e.db.Ingest(context.Background(), e.p, []vitrine.NewFile{{Filename: name + ".jpg", Type: vitrine.TypeImage, Format: "jpeg",
		MIME: "image/jpeg", Ext: "jpg", Width: 20, Height: 10, SHA256: digest, Size: int64(b.Len())}}, vitrine.UploadOptions{Folder: folder, Publish: publish})
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func (e *env) get(t *testing.T, path string, hdr ...string) (*http.Response, []byte) {
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

func TestDelivery(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	data := e.put(t, "shoe", "/", nil)
	e.put(t, "draft", "/", func() *bool { b := false; return &b }())

	if resp, body := e.get(t, "/is/content/acme/shoe"); resp.StatusCode != 200 || !bytes.Equal(body, data) {
		t.Fatalf("published, as stored: %d, %d bytes", resp.StatusCode, len(body))
	}
	resp, body := e.get(t, "/is/image/acme/shoe")
	if cfg, f, err := image.DecodeConfig(bytes.NewReader(body)); resp.StatusCode != 200 || err != nil || f != "jpeg" || cfg.Width != 20 {
		t.Fatalf("published, rendered: %d, %s %v %v", resp.StatusCode, f, cfg, err)
	}
	for k, want := range map[string]string{"Cache-Control": "public, max-age=36000", "Content-Type": "image/jpeg", "Xkey": "acme/shoe"} {
		if got := resp.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if r, _ := e.get(t, "/is/image/acme/shoe", "If-None-Match", resp.Header.Get("ETag")); r.StatusCode != 304 {
		t.Errorf("If-None-Match = %d, want 304", r.StatusCode)
	}
	for _, p := range []string{"/is/image/acme/draft", "/is/image/acme/none", "/is/image/other/shoe", "/is/content/acme/draft", "/is/bogus"} {
		r, _ := e.get(t, p)
		if r.StatusCode != 403 || r.Header.Get("Cache-Control") != "no-store" || r.Header.Get("ETag") != "" {
			t.Errorf("GET %s = %d, Cache-Control %q; want 403 no-store", p, r.StatusCode, r.Header.Get("Cache-Control"))
		}
	}
}

func TestPreview(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	sel := vitrine.PublishSelective
	if _, err := e.db.CreateFolder(ctx, &e.p.Company, "/sel"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.UpdateFolder(ctx, &e.p.Company, "/sel", sqlstore.FolderPatch{PublishMode: &sel}); err != nil {
		t.Fatal(err)
	}
	e.put(t, "shoe", "/sel", nil) // selective: nothing public on upload
	if _, err := e.db.Publish(ctx, e.p, sqlstore.Publication{Action: vitrine.ActionPublish, Assets: []string{"shoe"}}); err != nil {
		t.Fatal(err)
	}
	// Publish under selective goes to preview only.
	if r, _ := e.get(t, "/is/image/acme/shoe"); r.StatusCode != 403 {
		t.Errorf("delivery after selective publish = %d, want 403", r.StatusCode)
	}
	if r, _ := e.get(t, "/preview/is/image/acme/shoe"); r.StatusCode != 403 {
		t.Errorf("preview without credentials = %d, want 403", r.StatusCode)
	}
	if r, _ := e.get(t, "/preview/is/image/acme/shoe", "Authorization", "Bearer nope-nope-nope-nope"); r.StatusCode != 403 {
		t.Errorf("preview with a bad token = %d, want 403", r.StatusCode)
	}
	r, _ := e.get(t, "/preview/is/image/acme/shoe", "Authorization", "Bearer "+e.token)
	if r.StatusCode != 200 || r.Header.Get("Cache-Control") != "private, no-store" {
		t.Errorf("preview with a token = %d, Cache-Control %q; want 200 private, no-store", r.StatusCode, r.Header.Get("Cache-Control"))
	}
	if _, err := e.db.UpdateSettings(ctx, e.p.Company.ID, []byte(`{"preview_allow_cidrs":["127.0.0.0/8"]}`)); err != nil {
		t.Fatal(err)
	}
	if r, _ := e.get(t, "/preview/is/image/acme/shoe"); r.StatusCode != 200 {
		t.Errorf("preview from an allowed address = %d, want 200", r.StatusCode)
	}
	// Publish to Delivery puts it on the public host too.
	if _, err := e.db.Publish(ctx, e.p, sqlstore.Publication{Action: vitrine.ActionPublishDelivery, Assets: []string{"shoe"}}); err != nil {
		t.Fatal(err)
	}
	if r, _ := e.get(t, "/is/image/acme/shoe"); r.StatusCode != 200 {
		t.Errorf("delivery after publish_delivery = %d, want 200", r.StatusCode)
	}
}

// TestDeliveryPathForms: the path shapes sites send reach the asset
// (repeated slashes, a slash after the id, '+' for a space), through the
// handler's own router, without a redirect.
func TestDeliveryPathForms(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.put(t, "shoe", "/", nil)
	data := e.put(t, "summer sale", "/", nil)
	for _, p := range []string{"/is/image//acme/shoe", "/is/image/acme/shoe/", "/is/image/acme//shoe//?wid=10",
		"/is/image/acme/summer+sale", "/is/image/acme/summer%20sale/", "/is/content/acme/summer+sale"} {
		if r, body := e.get(t, p); r.StatusCode != 200 || len(body) == 0 {
			t.Errorf("GET %s = %d, want 200", p, r.StatusCode)
		}
	}
	if r, body := e.get(t, "/is/content/acme/summer+sale"); !bytes.Equal(body, data) {
		t.Errorf("summer+sale is not the asset summer sale: %d", r.StatusCode)
	}
	if r, _ := e.get(t, "/is/image/acme/summer%2Bsale"); r.StatusCode != 403 {
		t.Errorf("a literal plus (%%2B) = %d, want 403: no asset has that name", r.StatusCode)
	}
}
