package delivery_test

import (
	"slices"
	"strings"
	"testing"
)

// TestPathIDs (issue 14, path ids): an AEM DAM path as the id serves the
// asset named by its last segment (vitrine.PathIDNames), with the checks of
// any id: unpublished or missing answers 403.
func TestPathIDs(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.put(t, "shoe", "/", nil)
	e.put(t, "draft", "/", func() *bool { b := false; return &b }())
	e.put(t, "shoe.v2", "/", nil)
	for path, want := range map[string]int{
		"/is/image/acme/content/dam/x/shoe.v2":                     200, // the whole segment first: not shoe
		"/is/image/acme/content/dam/site/products/shoe.psd?wid=10": 200,
		"/is/image/acme/content/dam/site/shoe":                     200,
		"/is/image/acme/content/dam/site/draft.psd":                403,
		"/is/image/acme/content/dam/site/none.png":                 403,
		"/is/image/acme/content/dam/site/.psd":                     403,
	} {
		r, _ := e.get(t, path)
		if r.StatusCode != want {
			t.Errorf("GET %s = %d, want %d", path, r.StatusCode, want)
		}
		wantKey := "acme/shoe"
		if strings.Contains(path, "shoe.v2") {
			wantKey = "acme/shoe.v2"
		}
		if want == 200 && r.Header.Get("Xkey") != wantKey {
			t.Errorf("GET %s: Xkey %q, want the asset's key %q", path, r.Header.Get("Xkey"), wantKey)
		}
	}
	// exists=0 for a path id is purged when any name it was read as is
	// published: each is one of its surrogate keys.
	r, _ := e.get(t, "/is/image/acme/content/dam/site/draft.psd?req=exists")
	if keys := r.Header.Values("Xkey"); !slices.Contains(strings.Fields(strings.Join(keys, " ")), "acme/draft") {
		t.Errorf("exists for a path id: Xkey %q lacks acme/draft", keys)
	}
}
