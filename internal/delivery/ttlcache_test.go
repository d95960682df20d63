package delivery

import (
	"testing"
	"time"
)

// TestTTLCacheDrops: a company's drop and a drop of all forget entries, and
// a lookup that read the database before either is not stored after it.
func TestTTLCacheDrops(t *testing.T) {
	now := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	c := newTTLCache[int](time.Minute, 100, func() time.Time { return now })
	for _, tc := range []struct {
		name   string
		drop   func()
		acme   bool // acme's entry survives
		globex bool
	}{
		{"nothing", func() {}, true, true},
		{"one company", func() { c.drop("acme") }, false, true},
		{"every company", c.dropAll, false, false},
	} {
		c.put("acme", "k", 1, c.gen("acme"))
		c.put("globex", "k", 2, c.gen("globex"))
		stale := c.gen("acme") // a read that started before the drop
		tc.drop()
		if _, ok := c.get("acme", "k"); ok != tc.acme {
			t.Errorf("%s: acme cached = %v, want %v", tc.name, ok, tc.acme)
		}
		if _, ok := c.get("globex", "k"); ok != tc.globex {
			t.Errorf("%s: globex cached = %v, want %v", tc.name, ok, tc.globex)
		}
		c.drop("acme")
		c.put("acme", "late", 3, stale)
		if _, ok := c.get("acme", "late"); ok {
			t.Errorf("%s: a lookup read before the drop was kept", tc.name)
		}
	}
}
