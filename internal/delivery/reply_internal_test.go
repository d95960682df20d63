package delivery

import (
	"net/http"
	"strings"
	"testing"
)

// Values set together share one allocation, yet adding to one header
// never changes another.
func TestHeaderSet(t *testing.T) {
	h := http.Header{}
	hs := newHeaderSet(h, 2)
	hs.set("A", "1")
	hs.set("B", "2")
	hs.set("C", "3") // beyond the capacity: an ordinary Set
	h.Add("A", "x")
	if got := strings.Join(h.Values("A"), ","); got != "1,x" {
		t.Errorf("A = %q", got)
	}
	if got := strings.Join(h.Values("B"), ","); got != "2" {
		t.Errorf("B = %q after adding to A", got)
	}
	if h.Get("C") != "3" {
		t.Errorf("C = %q", h.Get("C"))
	}
}

func TestNoneMatch(t *testing.T) {
	const etag = `"abc"`
	for _, tc := range []struct {
		field []string
		want  bool
	}{
		{nil, false},
		{[]string{""}, false},
		{[]string{`"abc"`}, true},
		{[]string{`W/"abc"`}, true},
		{[]string{`"x", "abc"`}, true},
		{[]string{`"x"`, `W/"abc"`}, true},
		{[]string{"*"}, true},
		{[]string{`"abcd"`}, false},
		{[]string{`abc`}, false},
		{[]string{`"x",,"y"`}, false},
	} {
		if got := noneMatch(tc.field, etag); got != tc.want {
			t.Errorf("noneMatch(%q, %s) = %v, want %v", tc.field, etag, got, tc.want)
		}
	}
}
