package jobs

import (
	"testing"
	"time"

	"github.com/vitrine/vitrine"
)

// TestWhenOf: an entry's schedule reads back as the When that made it, so
// the Edit form shows the builder it was made with.
func TestWhenOf(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	for _, w := range []When{
		{Daily: "10:15"},
		{Daily: "00:05", WeekdaysOnly: true},
		{Weekly: "WED 09:00"},
		{Weekly: "MON,THU 18:30"},
		{Monthly: "20 10:15"},
		{Monthly: "L 10:15"},
		{Monthly: "3 FRI 10:15"},
		{Monthly: "L SUN 07:00"},
		{Rule: "0 0/5 14,18 * * ?"},
		{At: "2026-12-24 18:00"},
	} {
		s, err := w.Schedule(now, paris)
		if err != nil {
			t.Fatalf("Schedule(%+v): %v", w, err)
		}
		if got := WhenOf(s); got != w {
			t.Errorf("WhenOf(%q) = %+v, want %+v", s.Rule, got, w)
		}
	}
	// A custom rule that happens to look like a builder's stays custom.
	s := &vitrine.Schedule{Kind: "custom", Rule: "0 0 9 ? * WED", TimeZone: "UTC"}
	if got := WhenOf(s); got != (When{Rule: s.Rule}) {
		t.Errorf("WhenOf(custom) = %+v, want the rule", got)
	}
}
