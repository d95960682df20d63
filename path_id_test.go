package vitrine

import "testing"

// TestPathIDName: ids holding an AEM DAM path, as computer makers' sites
// send them (internal/delivery/testdata/scene7-urls.tsv, path-ids).
func TestPathIDName(t *testing.T) {
	for _, tc := range []struct {
		id, want string
		ok       bool
	}{
		{"content/dam/ss2/product-images/notebooks/nb-15-gallery-1.psd", "nb-15-gallery-1", true},
		{"content/dam/ss2/page/franchise/laptop/nb-m15-franchise-mod1.png", "nb-m15-franchise-mod1", true},
		{"aos/published/images/H/H0/HH0H2/HH0H2", "HH0H2", true}, // no extension
		{"folder/archive.tar.gz", "archive.tar", true},           // only the last extension
		{"shoe", "", false},                                      // not a path
		{"shoe.jpg", "", false},
		{"content/dam/.psd", "", false}, // only an extension
		{"content/dam/", "", false},
	} {
		got, ok := PathIDName(tc.id)
		if got != tc.want || ok != tc.ok {
			t.Errorf("PathIDName(%q) = %q, %v; want %q, %v", tc.id, got, ok, tc.want, tc.ok)
		}
	}
}
