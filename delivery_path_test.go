package vitrine

import "testing"

// TestNormalizeDeliveryPath: the URL shapes sites send, read as Scene7 reads them
// (live behaviour; docs/image-serving.md, "Inferred").
func TestNormalizeDeliveryPath(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"/is/image/acme/shoe", "/is/image/acme/shoe"},
		{"/is/image//acme/shoe", "/is/image/acme/shoe"},   // a base URL ending in / joined with /acme/shoe
		{"//is/image/acme/shoe", "/is/image/acme/shoe"},   // a host name ending in /
		{"/is/image/acme/shoe/", "/is/image/acme/shoe"},   // a slash after the id
		{"/is/image/acme//shoe//", "/is/image/acme/shoe"}, // both
		{"/is/image/acme/summer+sale", "/is/image/acme/summer%20sale"},
		{"/is/image/acme/a%2Bb", "/is/image/acme/a%2Bb"}, // a literal plus stays one
		{"/is/content/acme/manual+v2.pdf", "/is/content/acme/manual%20v2.pdf"},
		{"/preview/is/image/acme//summer+sale/", "/preview/is/image/acme/summer%20sale"},
		{"/api/v1//companies", "/api/v1//companies"}, // not delivery: unchanged
		{"/c/acme/browse", "/c/acme/browse"},
		{"/is/search/acme", "/is/search/acme"},
	} {
		got, changed := NormalizeDeliveryPath(tc.in)
		if got != tc.want || changed != (tc.in != tc.want) {
			t.Errorf("NormalizeDeliveryPath(%q) = %q, %v; want %q", tc.in, got, changed, tc.want)
		}
	}
}
