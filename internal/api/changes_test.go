package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/api"
	"github.com/vitrine/vitrine/internal/service"
)

// recorder counts what the fan-out tells it.
type recorder struct {
	mu      sync.Mutex
	forgets int
	changes []vitrine.CatalogChange
}

func (r *recorder) Forget(string) { r.mu.Lock(); r.forgets++; r.mu.Unlock() }

func (r *recorder) CatalogChanged(_ context.Context, _ *vitrine.Company, ch []vitrine.CatalogChange) {
	r.mu.Lock()
	r.changes = append(r.changes, ch...)
	r.mu.Unlock()
}

func (r *recorder) take() (int, []vitrine.CatalogChange) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f, ch := r.forgets, r.changes
	r.forgets, r.changes = 0, nil
	return f, ch
}

// TestChangesAnnouncedOnce: every change a request makes reaches each
// subscriber of the one fan-out once — caches told once per request (the
// API used to drop delivery's cache twice per publish), catalog
// subscribers told at all (api.Hooks.CatalogChanged was never set).
func TestChangesAnnouncedOnce(t *testing.T) {
	t.Parallel()
	e := newStore(t)
	rec := &recorder{}
	svc := mustService(t, service.Deps{Store: e.db, Blobs: e.blobs,
		Changes: service.NewChanges(service.Subscribers{Caches: []service.Forgetter{rec}, Others: []service.Subscriber{rec}})})
	h, err := api.New(api.DefaultConfig(), svc, slog.New(slog.NewTextHandler(io.Discard, nil)), api.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)

	body, ctype := multipartBody(t, part{field: "file", filename: "shoe.jpg", data: jpegBytes(t, 8, 8)})
	if code, out := e.do(t, "POST", "/api/v1/companies/acme/assets", ctype, body); code != 201 {
		t.Fatalf("upload = %d %v", code, out)
	}
	if f, ch := rec.take(); f != 1 || len(ch) != 2 {
		t.Errorf("upload: caches told %d times, %d changes; want 1 and 2 (preview and delivery)", f, len(ch))
	}
	code, out := e.do(t, "POST", "/api/v1/companies/acme/publication", "application/json",
		strings.NewReader(`{"action":"unpublish","assets":["shoe"]}`))
	if code != 200 {
		t.Fatalf("unpublish = %d %v", code, out)
	}
	f, ch := rec.take()
	if f != 1 || len(ch) != 2 || ch[0].Action != vitrine.HistUnpublished {
		t.Errorf("unpublish: caches told %d times, changes %+v; want 1 and two unpublished", f, ch)
	}
	// A change without catalog changes still reaches the caches, once.
	if code, out := e.do(t, "PATCH", "/api/v1/companies/acme/settings", "application/json",
		strings.NewReader(`{"jpeg_quality":70}`)); code != 200 {
		t.Fatalf("settings = %d %v", code, out)
	}
	if f, ch := rec.take(); f != 1 || len(ch) != 0 {
		t.Errorf("settings: caches told %d times, %d changes; want 1 and 0", f, len(ch))
	}
	// Reads tell no one.
	e.do(t, "GET", "/api/v1/companies/acme/assets/shoe", "", nil)
	if f, ch := rec.take(); f != 0 || len(ch) != 0 {
		t.Errorf("GET: caches told %d times, %d changes; want none", f, len(ch))
	}
}
