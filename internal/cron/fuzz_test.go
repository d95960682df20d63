package cron

import (
	"errors"
	"testing"
	"time"
)

// FuzzParse checks that Parse never panics, that errors are *ParseError,
// that String round-trips, and that Next returns the first time strictly
// after `after` that the brute-force reference matches.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"0 0 12 * * ?", "0 15 10 ? * *", "0 0/5 14 * * ?", "0 0/5 14,18 * * ?", "0 10,44 14 ? 3 WED",
		"0 15 10 ? * MON-FRI", "0 15 10 20 * ?", "0 15 10 L * ?", "0 15 10 ? * 6L", "0 15 10 ? * 6#3",
		"0 0 0 L-3 * ?", "0 0 0 LW * ?", "0 0 0 L-2W * ?", "0 0 0 15W * ?", "0 0 0 1W * ?", "0 0 0 ? * 2#5",
		"0 0 0 29 2 ?", "0 0 0 30 2 ?", "0 0 12 1 1 ? 2027/2", "0 0 12 1 1 ? 2026-2028", "*/7 * * * * ?",
		"0 0 22-2 * * ?", "0 0 0 ? * FRI-MON", "0 0 0 28-3 NOV-FEB ?", "/5 * * * * ? *",
		// Invalid.
		"", "0 15 10 ? *", "0 15 10 * * 6#3", "0 0 0 ? * ?", "60 * * * * ?", "0 0 0 L,1 * ?", "0 0 0 ? * 1#9",
		"0 0 0 1 1 ? 2028-2026", "0 */0 * * * ?", "0 0 0 5C * ?", "? ? ? ? ? ?", "L W # / - , *",
	} {
		f.Add(seed, int64(1798761600)) // 2027-01-01T00:00:00Z
	}
	fixed := time.FixedZone("UTC-09:30", -(9*3600 + 1800))
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		f.Fatal(err)
	}
	lo := utc(1965, 1, 1, 0, 0, 0).Unix()
	span := utc(2101, 1, 1, 0, 0, 0).Unix() - lo
	const limit = 400 * 24 * time.Hour
	f.Fuzz(func(t *testing.T, expr string, afterSec int64) {
		r, err := Parse(expr)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Reason == "" || r != nil {
				t.Fatalf("Parse(%q) = %v, %v; want nil, *ParseError with a reason", expr, r, err)
			}
			return
		}
		s := r.String()
		back, err := Parse(s)
		if err != nil || *back != *r {
			t.Fatalf("Parse(%q).String() = %q, which parses to %v, %v", expr, s, back, err)
		}
		off := afterSec % span
		if off < 0 {
			off += span
		}
		after := time.Unix(lo+off, 0)
		if afterSec%3 == 0 {
			after = after.Add(500 * time.Millisecond)
		}
		for _, loc := range []*time.Location{time.UTC, fixed} {
			got, ok := r.Next(after, loc)
			if ok && (!got.After(after) || !matches(r, got.In(loc))) {
				t.Fatalf("Next(%q, %v) in %v = %v, not a matching time after it", expr, after, loc, got)
			}
			want, wok := bruteNext(r, after, loc, limit)
			switch {
			case wok && (!ok || !got.Equal(want)):
				t.Fatalf("Next(%q, %v) in %v = %v, %v, want %v", expr, after, loc, got, ok, want)
			case !wok && ok && got.Before(after.Add(limit)) && got.In(loc).Year() <= MaxYear:
				t.Fatalf("Next(%q, %v) in %v = %v, reference found nothing before %v", expr, after, loc, got, after.Add(limit))
			}
		}
		// With daylight saving: the result is after `after` and either
		// matches on the wall clock or is the instant the clocks jumped.
		got, ok := r.Next(after, ny)
		if ok {
			zs, _ := got.ZoneBounds()
			if !got.After(after) || (!matches(r, got) && !got.Equal(zs)) {
				t.Fatalf("Next(%q, %v) in %v = %v, not a matching time after it", expr, after, ny, got)
			}
		}
	})
}
