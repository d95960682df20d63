package edge

import (
	"fmt"
	"testing"
)

// A URL seen before gets its key without calling Normalize again; another
// URL gets its own key; a full memo starts over and stays correct.
func TestKeyMemo(t *testing.T) {
	calls := 0
	norm := func(path, query string) string {
		calls++
		return DefaultNormalize(path, query)
	}
	m := newKeyMemo(norm, 3)
	tests := []struct {
		path, query string
		calls       int
	}{
		{"/is/image/acme/shoe", "wid=400", 1},
		{"/is/image/acme/shoe", "wid=400", 1},
		{"/is/image/acme/shoe", "wid=401", 2},
		{"/is/image/acme/boot", "wid=400", 3},
		{"/is/image/acme/shoe", "wid=400", 3},
		{"/is/image/acme/hat", "", 4}, // the memo is full: starts over
		{"/is/image/acme/shoe", "wid=401", 5},
		{"/is/image/acme/hat", "", 5},
	}
	for i, tt := range tests {
		if got, want := m.key(tt.path, tt.query), DefaultNormalize(tt.path, tt.query); got != want {
			t.Errorf("%d: key(%q, %q) = %q, want %q", i, tt.path, tt.query, got, want)
		}
		if calls != tt.calls {
			t.Errorf("%d: %d calls to Normalize, want %d", i, calls, tt.calls)
		}
	}
	if len(m.m) > 3 {
		t.Errorf("memo holds %d keys, bound 3", len(m.m))
	}
	long := fmt.Sprintf("%05000d", 0)
	m.key("/is/image/acme/x", long)
	if _, ok := m.m[rawURL{"/is/image/acme/x", long}]; ok {
		t.Error("a 5 KB URL was memoised")
	}
}
