package cdn_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/api"
	"github.com/vitrine/vitrine/internal/blob"
	"github.com/vitrine/vitrine/internal/cdn"
	"github.com/vitrine/vitrine/internal/delivery"
	"github.com/vitrine/vitrine/internal/edge"
	"github.com/vitrine/vitrine/internal/imaging"
	"github.com/vitrine/vitrine/internal/service"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

const secret = "edge-secret-0123456789"

// clock is the edges' fake clock: TTLs pass when the test says so.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// world is an origin (API + delivery) and three edges in front of it.
type world struct {
	origin *httptest.Server
	edges  []*httptest.Server
	clock  *clock
	db     *sqlstore.DB
	admin  string // tokens
	user   string
}

// probe is a purge target that, while purging, fetches a URL from the
// origin as a real edge refilling its cache would.
type probe struct {
	w      *world
	path   string
	status []int
}

func (p *probe) Purge(ctx context.Context, req edge.PurgeRequest) edge.PurgeReport {
	resp, err := http.Get(p.w.origin.URL + p.path)
	if err == nil {
		resp.Body.Close()
		p.status = append(p.status, resp.StatusCode)
	}
	return edge.PurgeReport{ID: req.ID, Results: []edge.EdgeResult{{Edge: "probe", OK: true}}}
}

func newWorld(t *testing.T, extra ...edge.Purgeable) *world {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := sqlstore.Open(ctx, filepath.Join(dir, "v.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	blobs, _ := blob.OpenLocal(filepath.Join(dir, "blobs"))
	renderer, err := imaging.New(imaging.Config{Workers: 2, Queue: 8, Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { renderer.Close() })
	dcfg := delivery.DefaultConfig(filepath.Join(dir, "cache"))
	dcfg.LookupTTL = time.Minute // as long as possible: invalidation must not rely on expiry
	deliv, err := delivery.New(dcfg, db, blobs, renderer, log)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{clock: &clock{t: time.Now()}, db: db}
	// The origin handler is set once the edges exist (the purger needs their URLs).
	var originHandler http.Handler
	w.origin = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) { originHandler.ServeHTTP(rw, r) }))
	t.Cleanup(w.origin.Close)
	ou, _ := url.Parse(w.origin.URL)
	var edgeURLs []string
	for range 3 {
		cfg := edge.DefaultConfig()
		cfg.Origin, cfg.PurgeSecret, cfg.Now, cfg.DiskBytes = ou, []byte(secret), w.clock.now, 0
		n, err := edge.New(cfg, log, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { n.Close() })
		s := httptest.NewServer(n)
		t.Cleanup(s.Close)
		w.edges = append(w.edges, s)
		edgeURLs = append(edgeURLs, s.URL)
	}
	purger, err := edge.NewPurger(edge.PurgerConfig{Edges: edgeURLs, Secret: []byte(secret), Timeout: 2 * time.Second, Attempts: 1}, log)
	if err != nil {
		t.Fatal(err)
	}
	inv := cdn.New(db, append([]edge.Purgeable{purger}, extra...), log)
	svc, err := service.New(service.Deps{Store: db, Blobs: blobs, Log: log,
		Changes: service.NewChanges(service.Subscribers{Caches: []service.Forgetter{deliv}, Edges: inv})})
	if err != nil {
		t.Fatal(err)
	}
	apiSrv, err := api.New(api.DefaultConfig(), svc, log, api.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", apiSrv)
	mux.Handle("/", deliv)
	originHandler = mux

	c, _ := db.CreateCompany(ctx, "acme", "")
	for _, role := range []vitrine.Role{vitrine.RoleAdmin, vitrine.RoleUser} {
		u, _ := db.CreateUser(ctx, "u-"+string(role), false)
		db.SetMembership(ctx, u.ID, c.ID, role)
		tok, _ := db.CreateToken(ctx, u.ID, "t", "")
		if role == vitrine.RoleAdmin {
			w.admin = tok
		} else {
			w.user = tok
		}
	}
	// A one-minute image TTL: the fake clock moves past it.
	if _, err := db.UpdateSettings(ctx, c.ID, []byte(`{"image_ttl_seconds":60,"invalidation_template":["/is/image/<COMPANY>/<ID>?wid=10","/is/image/<COMPANY>/<ID>"]}`)); err != nil {
		t.Fatal(err)
	}
	return w
}

func jpegOf(t *testing.T, w, h int) []byte {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range m.Pix {
		m.Pix[i] = byte(i)
	}
	var b bytes.Buffer
	jpeg.Encode(&b, m, nil)
	return b.Bytes()
}

func (w *world) call(t *testing.T, token, method, path string, body io.Reader, ctype string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, w.origin.URL+"/api/v1/companies/acme"+path, body)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", ctype)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func (w *world) upload(t *testing.T, name string, data []byte, fields ...string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	f, _ := mw.CreateFormFile("file", name)
	f.Write(data)
	mw.Close()
	if st, out := w.call(t, w.admin, "POST", "/assets", &b, mw.FormDataContentType()); st != 201 {
		t.Fatalf("upload %s = %d %v", name, st, out)
	}
}

func (w *world) publication(t *testing.T, action, name string) map[string]any {
	t.Helper()
	body := fmt.Sprintf(`{"action":%q,"assets":[%q]}`, action, name)
	st, out := w.call(t, w.admin, "POST", "/publication", strings.NewReader(body), "application/json")
	if st != 200 {
		t.Fatalf("%s %s = %d %v", action, name, st, out)
	}
	return out
}

// widths fetches path through every edge and returns each reply's status
// and image width.
func (w *world) widths(t *testing.T, path string) []string {
	t.Helper()
	var out []string
	for _, e := range w.edges {
		resp, err := http.Get(e.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
		if resp.StatusCode != 200 || err != nil {
			out = append(out, fmt.Sprint(resp.StatusCode))
			continue
		}
		out = append(out, fmt.Sprintf("%d", cfg.Width))
	}
	return out
}

func same(got []string, want string) bool {
	for _, g := range got {
		if g != want {
			return false
		}
	}
	return true
}

func TestEdgesFollowPublishing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	const path = "/is/image/acme/shoe?wid=40"

	// A new asset is live at once through every edge.
	w.upload(t, "shoe.jpg", jpegOf(t, 80, 40))
	if got := w.widths(t, path); !same(got, "40") {
		t.Fatalf("new asset through the edges: %v", got)
	}

	// Republish with invalidate-on-republish off: the edges keep the old
	// rendition until the TTL, as Scene7 does.
	if _, err := w.db.UpdateSettings(ctx, 1, []byte(`{"invalidate_on_republish":false}`)); err != nil {
		t.Fatal(err)
	}
	w.upload(t, "shoe.jpg", jpegOf(t, 80, 80)) // same width, new height: a new version
	heights := func() []string {
		var out []string
		for _, e := range w.edges {
			resp, _ := http.Get(e.URL + path)
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			cfg, _, _ := image.DecodeConfig(bytes.NewReader(b))
			out = append(out, fmt.Sprint(cfg.Height))
		}
		return out
	}
	if got := heights(); !same(got, "20") {
		t.Errorf("with invalidate on republish off, edges should still serve the old rendition: heights %v", got)
	}
	// Past the TTL and the stale-while-revalidate window (1 min): fresh.
	w.clock.add(121 * time.Second)
	if got := heights(); !same(got, "40") {
		t.Errorf("after the TTL the edges should serve the new version: heights %v", got)
	}

	// With it on, the new version is everywhere as soon as the call returns.
	if _, err := w.db.UpdateSettings(ctx, 1, []byte(`{"invalidate_on_republish":true}`)); err != nil {
		t.Fatal(err)
	}
	w.upload(t, "shoe.jpg", jpegOf(t, 80, 160))
	if got := heights(); !same(got, "80") {
		t.Errorf("with invalidate on republish on, edges must serve the new version at once: heights %v", got)
	}

	// Unpublish: 403 from every edge as soon as the call returns, also
	// when the cached copy is stale and stale-while-revalidate would apply.
	w.clock.add(61 * time.Second) // stale, inside the stale-while-revalidate window
	out := w.publication(t, "unpublish", "shoe")
	if purge, _ := out["purge"].(map[string]any); purge == nil || purge["confirmed"] != true {
		t.Errorf("unpublish purge report = %v, want confirmed by every edge", out["purge"])
	}
	if got := w.widths(t, path); !same(got, "403") {
		t.Errorf("after unpublish the edges answer %v, want 403 everywhere", got)
	}
}

func TestEdgeDownIsReported(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.upload(t, "hat.jpg", jpegOf(t, 20, 20))
	w.widths(t, "/is/image/acme/hat") // cache everywhere
	w.edges[2].Close()
	out := w.publication(t, "unpublish", "hat")
	purge, _ := out["purge"].(map[string]any)
	un, _ := purge["unconfirmed"].([]any)
	if purge["confirmed"] != false || len(un) != 1 || un[0] != w.edges[2].URL {
		t.Errorf("purge with an edge down = %v, want it reported as unconfirmed", purge)
	}
	for _, e := range w.edges[:2] {
		resp, _ := http.Get(e.URL + "/is/image/acme/hat")
		resp.Body.Close()
		if resp.StatusCode != 403 {
			t.Errorf("a live edge serves %d after unpublish", resp.StatusCode)
		}
	}
}

func TestInvalidateCDN(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.upload(t, "shoe.jpg", jpegOf(t, 20, 20))
	post := func(token string, body any) (int, map[string]any) {
		b, _ := json.Marshal(body)
		return w.call(t, token, "POST", "/invalidations", bytes.NewReader(b), "application/json")
	}
	if st, out := post(w.user, map[string]any{"assets": []string{"shoe"}}); st != 403 {
		t.Errorf("user role = %d %v, want 403", st, out)
	}
	many := make([]string, 1001)
	for i := range many {
		many[i] = fmt.Sprintf("/is/image/acme/shoe?wid=%d", i+1)
	}
	if st, out := post(w.admin, map[string]any{"urls": many}); st != 400 {
		t.Errorf("1001 URLs = %d %v, want 400", st, out)
	}
	st, out := post(w.admin, map[string]any{"urls": []string{"/is/image/acme/shoe", "/is/image/globex/shoe", "http://x/is/content/acme/a"}})
	details, _ := out["error"].(map[string]any)["details"].([]any)
	if st != 400 || len(details) != 1 || !strings.Contains(fmt.Sprint(details[0]), "globex") {
		t.Errorf("one foreign URL = %d %v, want 400 listing it", st, out)
	}
	st, out = post(w.admin, map[string]any{"assets": []string{"shoe"}, "urls": []string{"https://cdn.example/is/content/acme/x.pdf"}, "all_renditions": true})
	wantURLs := []any{"/is/image/acme/shoe?wid=10", "/is/image/acme/shoe", "/is/content/acme/x.pdf"}
	if st != 202 || fmt.Sprint(out["urls"]) != fmt.Sprint(wantURLs) || fmt.Sprint(out["keys"]) != "[acme/shoe]" || out["status"] != "succeeded" {
		t.Fatalf("invalidate = %d %v, want the template expanded, the key, and success", st, out)
	}
	id := int(out["id"].(float64))
	st, job := w.call(t, w.admin, "GET", fmt.Sprintf("/invalidations/%d", id), nil, "")
	if log, _ := job["log"].([]any); st != 200 || len(log) != 3 {
		t.Errorf("GET invalidation = %d %v, want one confirmation per edge", st, job)
	}
}

func TestCheckURL(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"/is/image/acme/shoe?wid=1":           "/is/image/acme/shoe?wid=1",
		"https://h/is/content/acme/a%20b.pdf": "/is/content/acme/a%20b.pdf",
		"/preview/is/image/acme/x":            "/preview/is/image/acme/x",
		"/is/image/acme/":                     "",
		"/is/image/acmecorp/x":                "",
		"/api/v1/companies/acme":              "",
		"ftp://h/is/image/acme/x":             "",
		"/is/image/globex/x":                  "",
	}
	for in, want := range cases {
		got, err := cdn.CheckURL(in, "acme")
		if (want == "") != (err != nil) || got != want {
			t.Errorf("CheckURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// TestPurgeAfterOriginForgets: while edges purge, the origin already
// answers with the new state, so an edge refilling at that moment cannot
// cache the unpublished asset again.
func TestPurgeAfterOriginForgets(t *testing.T) {
	t.Parallel()
	p := &probe{path: "/is/content/acme/shoe"}
	w := newWorld(t, p)
	p.w = w
	w.upload(t, "shoe.jpg", jpegOf(t, 20, 20))
	resp, err := http.Get(w.origin.URL + p.path) // now cached in the origin's lookups
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("before unpublish: %v %v", resp, err)
	}
	resp.Body.Close()
	p.status = nil // the first publish purged too (its exists=0 answers)
	w.publication(t, "unpublish", "shoe")
	if len(p.status) != 1 || p.status[0] != 403 {
		t.Errorf("origin answered %v to an edge refilling during the purge, want 403", p.status)
	}
}

// TestUploadThatUnpublishesPurges: with retain publish state off, a
// replacement uploaded with publish=false leaves the catalog, and the edges
// must forget it at once (CDN-4).
func TestUploadThatUnpublishesPurges(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if _, err := w.db.UpdateSettings(context.Background(), 1, []byte(`{"retain_publish_state":false}`)); err != nil {
		t.Fatal(err)
	}
	w.upload(t, "sock.jpg", jpegOf(t, 20, 20))
	if got := w.widths(t, "/is/image/acme/sock"); !same(got, "20") {
		t.Fatalf("before: %v", got)
	}
	w.upload(t, "sock.jpg", jpegOf(t, 30, 30), "publish", "false")
	if got := w.widths(t, "/is/image/acme/sock"); !same(got, "403") {
		t.Errorf("after an upload that unpublished it, edges answer %v, want 403", got)
	}
}

// TestInvalidateWithNoReachableEdge: an invalidation that no configured
// edge confirmed is reported as not confirmed and its job as failed, never
// as succeeded.
func TestInvalidateWithNoReachableEdge(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.upload(t, "shoe.jpg", jpegOf(t, 20, 20))
	for _, e := range w.edges {
		e.Close()
	}
	b, _ := json.Marshal(map[string]any{"assets": []string{"shoe"}})
	st, out := w.call(t, w.admin, "POST", "/invalidations", bytes.NewReader(b), "application/json")
	purge, _ := out["purge"].(map[string]any)
	un, _ := purge["unconfirmed"].([]any)
	if st != 202 || purge["confirmed"] != false || len(un) != len(w.edges) || out["status"] == "succeeded" {
		t.Fatalf("invalidate with every edge down = %d %v, want every edge unconfirmed and the job not succeeded", st, out)
	}
	id := int(out["id"].(float64))
	st, got := w.call(t, w.admin, "GET", fmt.Sprintf("/invalidations/%d", id), nil, "")
	if job, _ := got["job"].(map[string]any); st != 200 || job["status"] != "failed" || job["errors"] != float64(len(w.edges)) {
		t.Errorf("GET invalidation = %d %v, want failed with one error per edge", st, got)
	}
}
