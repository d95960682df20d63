package cron

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Daylight-saving facts for 2026 (from zdump):
//
//	America/New_York  Sun 2026-03-08 07:00Z: 02:00 EST -> 03:00 EDT (02:00-02:59 skipped)
//	America/New_York  Sun 2026-11-01 06:00Z: 02:00 EDT -> 01:00 EST (01:00-01:59 twice)
//	Europe/Berlin     Sun 2026-03-29 01:00Z: 02:00 CET -> 03:00 CEST (02:00-02:59 skipped)
//	Europe/Berlin     Sun 2026-10-25 01:00Z: 03:00 CEST -> 02:00 CET (02:00-02:59 twice)
//
// Expected instants are written in UTC.

func TestNextDSTNewYork(t *testing.T) {
	t.Parallel()
	ny := loadLoc(t, "America/New_York")
	runNextCases(t, ny, []nextCase{
		// Spring forward.
		{name: "daily 02:30 in gap fires at 03:00 EDT", rule: "0 30 2 * * ?", after: utc(2026, 3, 7, 5, 0, 0),
			want: []time.Time{utc(2026, 3, 7, 7, 30, 0), utc(2026, 3, 8, 7, 0, 0), utc(2026, 3, 9, 6, 30, 0)}},
		{name: "several gap times fire once", rule: "0 0/15 2 * * ?", after: utc(2026, 3, 8, 6, 0, 0),
			want: []time.Time{utc(2026, 3, 8, 7, 0, 0), utc(2026, 3, 9, 6, 0, 0), utc(2026, 3, 9, 6, 15, 0)}},
		{name: "gap time and 03:00 fire once", rule: "0 0,30 2-3 * * ?", after: utc(2026, 3, 8, 6, 0, 0),
			want: []time.Time{utc(2026, 3, 8, 7, 0, 0), utc(2026, 3, 8, 7, 30, 0), utc(2026, 3, 9, 6, 0, 0)}},
		{name: "hourly across the gap", rule: "0 30 * * * ?", after: utc(2026, 3, 8, 5, 0, 0),
			// 00:30 EST, 01:30 EST, (02:30 skipped) 03:00 EDT, 03:30 EDT, 04:30 EDT.
			want: []time.Time{utc(2026, 3, 8, 5, 30, 0), utc(2026, 3, 8, 6, 30, 0), utc(2026, 3, 8, 7, 0, 0),
				utc(2026, 3, 8, 7, 30, 0), utc(2026, 3, 8, 8, 30, 0)}},
		{name: "after the jump instant", rule: "0 30 * * * ?", after: utc(2026, 3, 8, 7, 0, 0),
			want: []time.Time{utc(2026, 3, 8, 7, 30, 0)}},
		// Fall back.
		{name: "daily 01:30 fires at first occurrence", rule: "0 30 1 * * ?", after: utc(2026, 10, 31, 6, 0, 0),
			want: []time.Time{utc(2026, 11, 1, 5, 30, 0), utc(2026, 11, 2, 6, 30, 0)}},
		{name: "daily 01:30 from the repeated hour", rule: "0 30 1 * * ?", after: utc(2026, 11, 1, 6, 15, 0),
			want: []time.Time{utc(2026, 11, 2, 6, 30, 0)}},
		{name: "daily 01:30 from the first pass", rule: "0 30 1 * * ?", after: utc(2026, 11, 1, 5, 45, 0),
			want: []time.Time{utc(2026, 11, 2, 6, 30, 0)}},
		{name: "hourly across the repeat", rule: "0 30 * * * ?", after: utc(2026, 11, 1, 4, 0, 0),
			// 00:30 EDT, 01:30 EDT, (01:30 EST skipped) 02:30 EST, 03:30 EST.
			want: []time.Time{utc(2026, 11, 1, 4, 30, 0), utc(2026, 11, 1, 5, 30, 0), utc(2026, 11, 1, 7, 30, 0), utc(2026, 11, 1, 8, 30, 0)}},
		{name: "hourly from the repeated hour", rule: "0 30 * * * ?", after: utc(2026, 11, 1, 6, 10, 0),
			want: []time.Time{utc(2026, 11, 1, 7, 30, 0)}},
		{name: "every minute of 01h runs through the first pass only", rule: "0 * 1 * * ?", after: utc(2026, 11, 1, 5, 58, 0),
			want: []time.Time{utc(2026, 11, 1, 5, 59, 0), utc(2026, 11, 2, 6, 0, 0)}},
	})
}

func TestNextDSTBerlin(t *testing.T) {
	t.Parallel()
	berlin := loadLoc(t, "Europe/Berlin")
	runNextCases(t, berlin, []nextCase{
		{name: "daily 02:30 in gap fires at 03:00 CEST", rule: "0 30 2 * * ?", after: utc(2026, 3, 28, 11, 0, 0),
			want: []time.Time{utc(2026, 3, 29, 1, 0, 0), utc(2026, 3, 30, 0, 30, 0)}},
		{name: "daily 02:00 in gap", rule: "0 0 2 * * ?", after: utc(2026, 3, 28, 11, 0, 0),
			want: []time.Time{utc(2026, 3, 29, 1, 0, 0), utc(2026, 3, 30, 0, 0, 0)}},
		{name: "daily 03:00 just after gap", rule: "0 0 3 * * ?", after: utc(2026, 3, 28, 11, 0, 0),
			want: []time.Time{utc(2026, 3, 29, 1, 0, 0), utc(2026, 3, 30, 1, 0, 0)}},
		{name: "daily 02:30 fires at first occurrence", rule: "0 30 2 * * ?", after: utc(2026, 10, 24, 10, 0, 0),
			want: []time.Time{utc(2026, 10, 25, 0, 30, 0), utc(2026, 10, 26, 1, 30, 0)}},
		{name: "hourly across the gap", rule: "0 30 * * * ?", after: utc(2026, 3, 28, 23, 0, 0),
			// 00:30 CET, 01:30 CET, (02:30 skipped) 03:00 CEST, 03:30 CEST.
			want: []time.Time{utc(2026, 3, 28, 23, 30, 0), utc(2026, 3, 29, 0, 30, 0), utc(2026, 3, 29, 1, 0, 0), utc(2026, 3, 29, 1, 30, 0)}},
		{name: "hourly across the repeat", rule: "0 30 * * * ?", after: utc(2026, 10, 24, 22, 0, 0),
			// 00:30 CEST, 01:30 CEST, 02:30 CEST, (02:30 CET skipped) 03:30 CET.
			want: []time.Time{utc(2026, 10, 24, 22, 30, 0), utc(2026, 10, 24, 23, 30, 0), utc(2026, 10, 25, 0, 30, 0), utc(2026, 10, 25, 2, 30, 0)}},
		{name: "hourly from the repeated hour", rule: "0 30 * * * ?", after: utc(2026, 10, 25, 1, 10, 0),
			want: []time.Time{utc(2026, 10, 25, 2, 30, 0)}},
	})
}

// TestNextDSTReference checks the fire times during the DST-change months of
// 2026 in two zones against a reference built by walking every minute of real time: each
// instant whose wall clock matches fires unless that wall clock was already
// seen (repeat), and an instant at which the clock jumps forward fires if a
// skipped wall-clock minute matches (gap).
func TestNextDSTReference(t *testing.T) {
	t.Parallel()
	windows := [][2]time.Time{
		{utc(2026, 3, 1, 0, 0, 0), utc(2026, 4, 1, 0, 0, 0)},
		{utc(2026, 10, 20, 0, 0, 0), utc(2026, 11, 10, 0, 0, 0)},
	}
	for _, zone := range []string{"America/New_York", "Europe/Berlin"} {
		for _, expr := range []string{"0 30 * * * ?", "0 0/15 1-3 * * ?", "0 59 1 ? * SUN"} {
			t.Run(zone+"/"+expr, func(t *testing.T) {
				t.Parallel()
				loc := loadLoc(t, zone)
				r := MustParse(expr)
				for _, w := range windows {
					checkDSTWindow(t, r, loc, w[0], w[1])
				}
			})
		}
	}
}

func checkDSTWindow(t *testing.T, r *Rule, loc *time.Location, start, end time.Time) {
	t.Helper()
	var want []time.Time
	seen := map[time.Time]bool{} // wall clocks (as UTC-labelled times) already fired
	prevWall := start.Add(-time.Minute).In(loc)
	for u := start; u.Before(end); u = u.Add(time.Minute) {
		lt := u.In(loc)
		wall := time.Date(lt.Year(), lt.Month(), lt.Day(), lt.Hour(), lt.Minute(), 0, 0, time.UTC)
		pw := time.Date(prevWall.Year(), prevWall.Month(), prevWall.Day(), prevWall.Hour(), prevWall.Minute(), 0, 0, time.UTC)
		fire := false
		for w := pw.Add(time.Minute); w.Before(wall); w = w.Add(time.Minute) {
			fire = fire || matches(r, w) // skipped wall-clock minutes
		}
		if matches(r, wall) && !seen[wall] {
			fire = true
		}
		seen[wall] = true
		if fire {
			want = append(want, u)
		}
		prevWall = lt
	}
	if len(want) == 0 {
		t.Fatalf("reference found no fire times for %q in %v from %v to %v", r, loc, start, end)
	}
	var got []time.Time
	for after := start.Add(-time.Second); ; {
		next, ok := r.Next(after, loc)
		if !ok || !next.Before(end) {
			break
		}
		got = append(got, next.UTC())
		after = next
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("fire times of %q in %v from %v to %v mismatch (-want +got):\n%s", r, loc, start, end, diff)
	}
}
