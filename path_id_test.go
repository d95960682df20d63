package vitrine

import (
	"slices"
	"testing"
)

// TestPathIDNames: ids holding an AEM DAM path, as computer makers' sites
// send them (internal/delivery/testdata/scene7-urls.tsv, path-ids).
func TestPathIDNames(t *testing.T) {
	for _, tc := range []struct {
		id   string
		want []string
	}{
		{"content/dam/ss2/product-images/notebooks/nb-15-gallery-1.psd", []string{"nb-15-gallery-1.psd", "nb-15-gallery-1"}},
		{"content/dam/ss2/page/franchise/laptop/nb-m15-franchise-mod1.png", []string{"nb-m15-franchise-mod1.png", "nb-m15-franchise-mod1"}},
		{"aos/published/images/H/H0/HH0H2/HH0H2", []string{"HH0H2"}},         // no extension
		{"content/dam/x/shoe.v2", []string{"shoe.v2", "shoe"}},               // the whole segment first: a name may hold a dot
		{"folder/archive.tar.gz", []string{"archive.tar.gz", "archive.tar"}}, // only the last extension
		{"shoe", nil},                          // not a path
		{"shoe.jpg", nil},                      // not a path
		{"content/dam/.psd", []string{".psd"}}, // only an extension: itself
		{"content/dam/", nil},                  // no last segment
	} {
		if got := PathIDNames(tc.id); !slices.Equal(got, tc.want) {
			t.Errorf("PathIDNames(%q) = %q; want %q", tc.id, got, tc.want)
		}
	}
}
