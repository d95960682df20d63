package vitrine

import (
	"strings"
	"testing"
)

func TestSurrogateKey(t *testing.T) {
	tests := []struct {
		root, asset, want string
	}{
		{"acme", "shoe", "acme/shoe"},
		{"acme", "summer sale", "acme/summer%20sale"},
		{"acme", "a+b", "acme/a%2Bb"},
		{"acme", "a%20b", "acme/a%2520b"},
		{"acme", "a/b", "acme/a%2Fb"},
		{"acme", "a,b", "acme/a%2Cb"},
		{"acme", "été", "acme/%C3%A9t%C3%A9"},
		{"acme", "x~y_z.w-v", "acme/x~y_z.w-v"},
		{"acme", "search", "acme/search"},
	}
	for _, tc := range tests {
		got := SurrogateKey(tc.root, tc.asset)
		if got != tc.want {
			t.Errorf("SurrogateKey(%q, %q) = %q, want %q", tc.root, tc.asset, got, tc.want)
		}
		if !ValidSurrogateKey(got) {
			t.Errorf("SurrogateKey(%q, %q) = %q is not a valid single key", tc.root, tc.asset, got)
		}
	}
}

// TestSurrogateKeyNoCollision: ids that differ only in the characters a
// cache or a decoder could confuse get different keys, none of which can
// split, and none equals the search key.
func TestSurrogateKeyNoCollision(t *testing.T) {
	ids := []string{"summer sale", "summer", "sale", "summer+sale", "summer%20sale", "summer%2520sale",
		"summer,sale", "summer/sale", "summer%2Fsale", "summer\u00a0sale", "summer\tsale", "Summer sale",
		"été", "e\u0301te\u0301", ":search", "search", "%3Asearch", ""}
	seen := map[string]string{SearchKey("acme"): "(search)"}
	for _, id := range ids {
		k := SurrogateKey("acme", id)
		if strings.ContainsAny(k, " ,\t") || strings.Count(k, "/") != 1 {
			t.Errorf("SurrogateKey(acme, %q) = %q can split or hides the company boundary", id, k)
		}
		if other, dup := seen[k]; dup {
			t.Errorf("SurrogateKey(acme, %q) = %q, same as for %q", id, k, other)
		}
		seen[k] = id
	}
	if SurrogateKey("ac", "me/x") == SurrogateKey("acme", "x") {
		t.Error("root id and asset id run into each other")
	}
}

func TestValidSurrogateKey(t *testing.T) {
	for k, want := range map[string]bool{"acme/shoe": true, "": false, "a b": false, "a,b": false, "a\nb": false, "é": false, "acme/a%20b": true} {
		if got := ValidSurrogateKey(k); got != want {
			t.Errorf("ValidSurrogateKey(%q) = %v, want %v", k, got, want)
		}
	}
}
