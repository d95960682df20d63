package delivery_test

import (
	"strings"
	"testing"

	"github.com/vitrine/vitrine"
)

// TestEveryAnswerCarriesItsKey (issue 15, item 2): renditions, the
// original, props, imageprops and exists (1 and 0, keyed by the asked id)
// carry the asset's surrogate key; a set's answer carries its own and each
// member's, swatches included.
func TestEveryAnswerCarriesItsKey(t *testing.T) {
	t.Parallel()
	e := setEnv(t)
	e.set(t, vitrine.SetSpec{Name: "colors", Type: vitrine.TypeSwatchSet, Members: []vitrine.SetMember{
		{Name: "a", Swatch: &vitrine.Swatch{Color: "FF0000"}},
		{Name: "b", Swatch: &vitrine.Swatch{Image: "sw"}},
	}})
	e.set(t, vitrine.SetSpec{Name: "views", Type: vitrine.TypeImageSet, Members: members("c", "d")})
	for path, want := range map[string]string{
		"/is/image/acme/a?wid=5":              "acme/a",
		"/is/image/acme/a":                    "acme/a",
		"/is/content/acme/a":                  "acme/a",
		"/is/image/acme/a?req=props":          "acme/a",
		"/is/image/acme/a?req=imageprops":     "acme/a",
		"/is/image/acme/a?req=exists":         "acme/a",
		"/is/image/acme/d?req=exists":         "acme/d", // unpublished: exists=0, purged when d is published
		"/is/image/acme/no%20such?req=exists": "acme/no%20such",
		"/is/image/acme/colors?req=set":       "acme/colors acme/a acme/b acme/sw",
		"/is/image/acme/views?req=set,json":   "acme/views acme/c acme/d",
	} {
		resp, body := e.get(t, path)
		if resp.StatusCode != 200 {
			t.Errorf("GET %s = %d %s", path, resp.StatusCode, body)
			continue
		}
		if got := strings.Join(resp.Header.Values("Xkey"), " "); got != want {
			t.Errorf("GET %s: Xkey = %q, want %q", path, got, want)
		}
	}
}
