package edge

import (
	"net/http"
	"testing"
	"time"
)

func TestExpiredEntryRevalidatesWith304(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.origin.setCacheControl("public, max-age=60")
	const uri = "/is/image/acme/shoe"
	etag := f.get(uri).Header.Get("ETag")

	f.clock.Advance(59 * time.Second)
	if r := f.get(uri); r.cache() != "HIT" {
		t.Fatalf("at 59s X-Cache = %s, want HIT", r.cache())
	}
	f.clock.Advance(2 * time.Second)
	r := f.get(uri)
	if r.Status != 200 || r.cache() != "REVALIDATED" || r.Body != assetBody(uri, 1) || r.Header.Get("Age") != "0" {
		t.Fatalf("at 61s = %d %s %q Age %s, want 200 REVALIDATED with the body, Age 0", r.Status, r.cache(), r.Body, r.Header.Get("Age"))
	}
	if got := f.origin.lastRequest().Header.Get("If-None-Match"); got != etag {
		t.Errorf("revalidation If-None-Match = %q, want %q", got, etag)
	}
	f.clock.Advance(30 * time.Second)
	if r := f.get(uri); r.cache() != "HIT" || r.Header.Get("Age") != "30" {
		t.Errorf("after revalidation = %s Age %s, want HIT Age 30", r.cache(), r.Header.Get("Age"))
	}
	if got := f.origin.count("/is/image/acme/shoe"); got != 2 {
		t.Errorf("origin requests = %d, want 2", got)
	}
	if got := f.metric("vitrine_edge_origin_fetches_total", "code", "3xx"); got != 1 {
		t.Errorf("304 fetch metric = %v, want 1", got)
	}
}

func TestExpiredEntryReplacedWhenChanged(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.origin.setCacheControl("max-age=60")
	const uri = "/is/image/acme/shoe"
	f.get(uri)
	f.origin.setVersion(2) // republished
	if r := f.get(uri); r.Body != assetBody(uri, 1) {
		t.Fatalf("before expiry got %q, want the cached version (CDN-2)", r.Body)
	}
	f.clock.Advance(61 * time.Second)
	if r := f.get(uri); r.Body != assetBody(uri, 2) || r.cache() != "MISS" {
		t.Errorf("after expiry = %q %s, want %q MISS", r.Body, r.cache(), assetBody(uri, 2))
	}
	if r := f.get(uri); r.Body != assetBody(uri, 2) || r.cache() != "HIT" {
		t.Errorf("then = %q %s, want the new version as a HIT", r.Body, r.cache())
	}
}

func TestRevalidationOfUnpublishedDropsEntry(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.origin.setCacheControl("max-age=60")
	const uri = "/is/image/acme/shoe"
	f.get(uri)
	f.origin.setHandler(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, "not published", http.StatusForbidden)
	})
	f.clock.Advance(61 * time.Second)
	for i := range 2 {
		if r := f.get(uri); r.Status != http.StatusForbidden {
			t.Errorf("request %d after unpublish and expiry = %d %s, want 403", i, r.Status, r.cache())
		}
	}
	if got := f.node.store.stats().indexed; got != 0 {
		t.Errorf("entries = %d, want 0", got)
	}
}

func TestNoCacheRevalidatesEveryTime(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.origin.setCacheControl("no-cache")
	const uri = "/is/image/acme/shoe"
	f.get(uri)
	for range 3 {
		if r := f.get(uri); r.cache() != "REVALIDATED" || r.Body != assetBody(uri, 1) {
			t.Errorf("X-Cache = %s body %q, want REVALIDATED with the body", r.cache(), r.Body)
		}
	}
	if got := f.origin.count("/is/image/acme/shoe"); got != 4 {
		t.Errorf("origin requests = %d, want 4", got)
	}
}

func TestSMaxAgeWins(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.origin.setCacheControl("public, max-age=10, s-maxage=100")
	f.get("/is/image/acme/shoe")
	f.clock.Advance(50 * time.Second)
	if r := f.get("/is/image/acme/shoe"); r.cache() != "HIT" {
		t.Errorf("X-Cache = %s, want HIT within s-maxage", r.cache())
	}
}

func TestStaleWhileRevalidate(t *testing.T) {
	t.Parallel()
	f := setup(t, func(c *Config) { c.StaleWhileRevalidate = time.Minute })
	f.origin.setCacheControl("max-age=60")
	const uri = "/is/image/acme/shoe?wid=10"
	f.get(uri)
	f.origin.setVersion(2)
	f.clock.Advance(90 * time.Second)

	r := f.get(uri)
	if r.cache() != "STALE" || r.Body != assetBody(uri, 1) || r.Header.Get("Age") != "90" {
		t.Fatalf("inside the stale window = %s %q Age %s, want STALE %q Age 90", r.cache(), r.Body, r.Header.Get("Age"), assetBody(uri, 1))
	}
	f.node.bg.Wait() // the background refresh
	r = f.get(uri)
	if r.cache() != "HIT" || r.Body != assetBody(uri, 2) {
		t.Errorf("after the refresh = %s %q, want HIT %q", r.cache(), r.Body, assetBody(uri, 2))
	}
	if got := f.metric("vitrine_edge_requests_total", "result", "stale"); got != 1 {
		t.Errorf("stale metric = %v, want 1", got)
	}
}

func TestStaleWindowEnds(t *testing.T) {
	t.Parallel()
	f := setup(t, func(c *Config) { c.StaleWhileRevalidate = time.Minute })
	f.origin.setCacheControl("max-age=60")
	f.get("/is/image/acme/shoe")
	f.clock.Advance(121 * time.Second)
	if r := f.get("/is/image/acme/shoe"); r.cache() != "REVALIDATED" {
		t.Errorf("past the stale window X-Cache = %s, want REVALIDATED (a foreground fetch)", r.cache())
	}
}

func TestNoStaleWhenOriginForbids(t *testing.T) {
	t.Parallel()
	for _, cc := range []string{"max-age=60, must-revalidate", "max-age=60, proxy-revalidate", "s-maxage=60"} {
		t.Run(cc, func(t *testing.T) {
			t.Parallel()
			f := setup(t, func(c *Config) { c.StaleWhileRevalidate = time.Hour })
			f.origin.setCacheControl(cc)
			f.get("/is/image/acme/shoe")
			f.clock.Advance(61 * time.Second)
			if r := f.get("/is/image/acme/shoe"); r.cache() != "REVALIDATED" {
				t.Errorf("X-Cache = %s, want REVALIDATED", r.cache())
			}
		})
	}
}

func TestOriginStaleWhileRevalidateDirective(t *testing.T) {
	t.Parallel()
	f := setup(t) // no default window
	f.origin.setCacheControl("max-age=60, stale-while-revalidate=30")
	f.get("/is/image/acme/shoe")
	f.clock.Advance(80 * time.Second)
	if r := f.get("/is/image/acme/shoe"); r.cache() != "STALE" {
		t.Errorf("X-Cache = %s, want STALE under the origin's directive", r.cache())
	}
	f.node.bg.Wait()
}

func TestNeverStaleAfterPurge(t *testing.T) {
	t.Parallel()
	f := setup(t, func(c *Config) { c.StaleWhileRevalidate = time.Hour })
	f.origin.setCacheControl("max-age=60")
	const uri = "/is/image/acme/shoe"
	f.get(uri)
	f.clock.Advance(2 * time.Minute) // stale, inside the window
	if r := f.purge(PurgeRequest{ID: "p1", Keys: []string{"acme/shoe"}}); r.Status != 200 {
		t.Fatalf("purge = %d %s", r.Status, r.Body)
	}
	if r := f.get(uri); r.cache() != "MISS" {
		t.Errorf("after purge X-Cache = %s, want MISS", r.cache())
	}
}

func TestPurgeFencesBackgroundRefresh(t *testing.T) {
	t.Parallel()
	f := setup(t, func(c *Config) { c.StaleWhileRevalidate = time.Hour })
	f.origin.setCacheControl("max-age=60")
	const uri = "/is/image/acme/shoe"
	f.get(uri)
	f.clock.Advance(2 * time.Minute)
	entered, release := f.blockingOrigin()

	if r := f.get(uri); r.cache() != "STALE" {
		t.Fatalf("X-Cache = %s, want STALE", r.cache())
	}
	<-entered // the background refresh is at the origin
	if r := f.purge(PurgeRequest{ID: "unpublish", Keys: []string{"acme/shoe"}}); r.Status != 200 {
		t.Fatalf("purge = %d %s", r.Status, r.Body)
	}
	close(release)
	f.node.bg.Wait()

	if got := f.node.store.stats().indexed; got != 0 {
		t.Errorf("entries after the refresh = %d, want 0: it began before the purge", got)
	}
	if r := f.get(uri); r.cache() != "MISS" {
		t.Errorf("X-Cache = %s, want MISS", r.cache())
	}
}
