package cdn_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// fetchAll gets path through every edge and returns each status, X-Cache
// and body.
func (w *world) fetchAll(t *testing.T, path string) (status, cache []string, body string) {
	t.Helper()
	for _, e := range w.edges {
		resp, err := http.Get(e.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		status = append(status, resp.Status[:3])
		cache = append(cache, resp.Header.Get("X-Cache"))
		body = string(b)
	}
	return status, cache, body
}

// TestKeysWithSpacesPurge (issue 15, items 1 and 2): an id with a space
// is purged from the edges by unpublish, every URL form of it, without
// touching the id its first word spells; Invalidate CDN with
// all_renditions drops its ?wid=60; an exists=0 answer goes when the id is
// published.
func TestKeysWithSpacesPurge(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.upload(t, "summer sale.jpg", jpegOf(t, 20, 20))
	w.upload(t, "summer.jpg", jpegOf(t, 30, 30))
	esc := "/is/image/acme/" + url.PathEscape("summer sale")
	forms := []string{esc + "?wid=60", esc, esc + "?req=props", esc + "?req=imageprops", esc + "?req=exists",
		"/is/content/acme/" + url.PathEscape("summer sale")}
	for _, p := range append(forms, "/is/image/acme/summer?wid=60", "/is/image/acme/later?req=exists") {
		w.fetchAll(t, p)
		if st, xc, _ := w.fetchAll(t, p); !same(st, "200") || !same(xc, "HIT") {
			t.Fatalf("GET %s twice = %v %v, want 200 HIT", p, st, xc)
		}
	}

	// Invalidate CDN with all_renditions purges every rendition, ?wid=60 too.
	st, out := w.call(t, w.admin, "POST", "/invalidations", strings.NewReader(`{"assets":["summer sale"],"all_renditions":true}`), "application/json")
	if st != 202 {
		t.Fatalf("invalidate = %d %v", st, out)
	}
	if _, xc, _ := w.fetchAll(t, esc+"?wid=60"); !same(xc, "MISS") {
		t.Errorf("after Invalidate CDN all_renditions, ?wid=60 = %v, want MISS", xc)
	}

	w.publication(t, "unpublish", "summer sale")
	for _, p := range forms {
		st, _, body := w.fetchAll(t, p)
		if strings.HasSuffix(p, "req=exists") {
			if !same(st, "200") || !strings.Contains(body, "exists=0") {
				t.Errorf("after unpublish %s = %v %q, want exists=0", p, st, body)
			}
			continue
		}
		if !same(st, "403") {
			t.Errorf("after unpublish %s = %v, want 403", p, st)
		}
	}
	if st, xc, _ := w.fetchAll(t, "/is/image/acme/summer?wid=60"); !same(st, "200") || !same(xc, "HIT") {
		t.Errorf("summer after unpublishing \"summer sale\" = %v %v, want 200 HIT (keys must not collide)", st, xc)
	}

	w.upload(t, "later.jpg", jpegOf(t, 10, 10))
	if st, _, body := w.fetchAll(t, "/is/image/acme/later?req=exists"); !same(st, "200") || !strings.Contains(body, "exists=1") {
		t.Errorf("exists after publishing = %v %q, want exists=1", st, body)
	}
}
