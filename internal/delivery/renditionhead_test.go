package delivery_test

import (
	"context"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
)

// With lookups kept as in production, hits reuse a memoised head; a new
// version and an unpublish must still show on the next request after the
// Invalidate the service layer makes: new ETag, then 403 at once.
func TestHitHeadFollowsCatalog(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.put(t, "shoe", "/", nil)
	cfg := e.cfg
	cfg.CacheDir = t.TempDir()
	cfg.LookupTTL = time.Hour
	h, srv := e.handler(t, cfg)
	url := srv.URL + "/is/image/acme/shoe?wid=12"
	first, _ := fetch(t, url)
	hit, _ := fetch(t, url)
	if first.StatusCode != 200 || hit.Header.Get("X-Render") != "cache" || hit.Header.Get("ETag") != first.Header.Get("ETag") {
		t.Fatalf("first %d, second X-Render %q ETag %q then %q", first.StatusCode, hit.Header.Get("X-Render"), first.Header.Get("ETag"), hit.Header.Get("ETag"))
	}
	for _, k := range []string{"Xkey", "Last-Modified", "Cache-Control", "Content-Type", "X-Content-Type-Options", "Accept-Ranges"} {
		if hit.Header.Get(k) == "" || hit.Header.Get(k) != first.Header.Get(k) {
			t.Errorf("hit %s = %q, first reply %q", k, hit.Header.Get(k), first.Header.Get(k))
		}
	}

	// A new version: the same URL, another head.
	e.putSeeded(t, "shoe", "/", nil, 7)
	h.Invalidate("acme")
	next, _ := fetch(t, url)
	if next.StatusCode != 200 || next.Header.Get("ETag") == first.Header.Get("ETag") || next.Header.Get("X-Render") != "rendered" {
		t.Fatalf("after a new version: %d, ETag %q (was %q), X-Render %q", next.StatusCode, next.Header.Get("ETag"), first.Header.Get("ETag"), next.Header.Get("X-Render"))
	}
	fetch(t, url) // memoised again

	if _, err := e.db.Publish(context.Background(), e.p, sqlPub(vitrine.ActionUnpublish, "shoe")); err != nil {
		t.Fatal(err)
	}
	h.Invalidate("acme")
	if r, _ := fetch(t, url); r.StatusCode != 403 {
		t.Fatalf("after unpublish: %d, want 403", r.StatusCode)
	}
}
