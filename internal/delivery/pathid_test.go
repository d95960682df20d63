package delivery_test

import (
	"testing"
)

// TestPathIDs (issue 14, path ids): an AEM DAM path as the id serves the
// asset named by its last segment (vitrine.PathIDName), with the checks of
// any id: unpublished or missing answers 403.
func TestPathIDs(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.put(t, "shoe", "/", nil)
	e.put(t, "draft", "/", func() *bool { b := false; return &b }())
	for path, want := range map[string]int{
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
		if want == 200 && r.Header.Get("Xkey") != "acme/shoe" {
			t.Errorf("GET %s: Xkey %q, want the asset's key", path, r.Header.Get("Xkey"))
		}
	}
}
