package edge

import (
	"net/http"
	"testing"
)

// TestPreviewNotForwarded: the origin's preview allow-list sees the edge's
// address, so the edge never forwards /preview (issue 15, item 12).
func TestPreviewNotForwarded(t *testing.T) {
	t.Parallel()
	f := setup(t)
	for _, path := range []string{"/preview/is/image/acme/shoe", "/preview/is/content/acme/shoe", "/preview"} {
		r := f.get(path)
		if r.Status != http.StatusNotFound || r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s = %d %q, want 404 no-store", path, r.Status, r.Header.Get("Cache-Control"))
		}
		if n := f.origin.count(path); n != 0 {
			t.Errorf("GET %s reached the origin %d times", path, n)
		}
	}
	if r := f.get("/is/image/acme/shoe"); r.Status != http.StatusOK {
		t.Errorf("GET /is/image/acme/shoe = %d, want 200", r.Status)
	}
}
