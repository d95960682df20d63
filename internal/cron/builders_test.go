package cron

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestBuilders(t *testing.T) {
	t.Parallel()
	berlin := loadLoc(t, "Europe/Berlin")
	ny := loadLoc(t, "America/New_York")
	// Calendar facts: 2026-11-27 is a Friday, 2026-11-30 a Monday,
	// 2026-12-02 a Wednesday. Fridays in Nov 2026: 6, 13, 20, 27; Sundays:
	// 1, 8, 15, 22, 29. Feb 2026 has 28 days. Mondays in 2026 that are the
	// fifth of their month: Mar 30, Jun 29, Aug 31, Nov 30.
	tests := []struct {
		name  string
		rule  string // builder output
		want  string
		loc   *time.Location
		after time.Time
		fires []time.Time // consecutive fire times after `after`
	}{
		{name: "Daily", rule: Daily(10, 15, false), want: "0 15 10 ? * *", loc: time.UTC, after: utc(2026, 11, 27, 10, 15, 0),
			fires: []time.Time{utc(2026, 11, 28, 10, 15, 0), utc(2026, 11, 29, 10, 15, 0)}},
		{name: "Daily weekdays only", rule: Daily(10, 15, true), want: "0 15 10 ? * MON-FRI", loc: time.UTC, after: utc(2026, 11, 27, 10, 15, 0),
			fires: []time.Time{utc(2026, 11, 30, 10, 15, 0), utc(2026, 12, 1, 10, 15, 0)}},
		{name: "Daily midnight", rule: Daily(0, 0, false), want: "0 0 0 ? * *", loc: time.UTC, after: utc(2026, 11, 27, 0, 0, 0),
			fires: []time.Time{utc(2026, 11, 28, 0, 0, 0)}},
		{name: "Weekly", rule: Weekly(time.Wednesday, 9, 0), want: "0 0 9 ? * WED", loc: time.UTC, after: utc(2026, 11, 27, 0, 0, 0),
			fires: []time.Time{utc(2026, 12, 2, 9, 0, 0), utc(2026, 12, 9, 9, 0, 0)}},
		{name: "Weekly on two days", rule: Weekly(time.Monday, 9, 0, time.Thursday), want: "0 0 9 ? * MON,THU", loc: time.UTC, after: utc(2026, 11, 27, 0, 0, 0),
			fires: []time.Time{utc(2026, 11, 30, 9, 0, 0), utc(2026, 12, 3, 9, 0, 0), utc(2026, 12, 7, 9, 0, 0)}},
		{name: "Weekly Sunday in Berlin", rule: Weekly(time.Sunday, 23, 45), want: "0 45 23 ? * SUN", loc: berlin, after: utc(2026, 11, 27, 0, 0, 0),
			// 23:45 CET on Sunday 2026-11-29 is 22:45Z.
			fires: []time.Time{utc(2026, 11, 29, 22, 45, 0)}},
		{name: "MonthlyDay", rule: MonthlyDay(20, 10, 15), want: "0 15 10 20 * ?", loc: time.UTC, after: utc(2026, 11, 27, 0, 0, 0),
			fires: []time.Time{utc(2026, 12, 20, 10, 15, 0), utc(2027, 1, 20, 10, 15, 0)}},
		{name: "MonthlyDay last", rule: MonthlyDay(-1, 10, 15), want: "0 15 10 L * ?", loc: time.UTC, after: utc(2026, 2, 1, 0, 0, 0),
			fires: []time.Time{utc(2026, 2, 28, 10, 15, 0), utc(2026, 3, 31, 10, 15, 0)}},
		{name: "MonthlyNth third Friday", rule: MonthlyNth(3, time.Friday, 10, 15), want: "0 15 10 ? * 6#3", loc: time.UTC, after: utc(2026, 11, 1, 0, 0, 0),
			fires: []time.Time{utc(2026, 11, 20, 10, 15, 0)}},
		{name: "MonthlyNth last Friday", rule: MonthlyNth(-1, time.Friday, 10, 15), want: "0 15 10 ? * 6L", loc: time.UTC, after: utc(2026, 11, 1, 0, 0, 0),
			fires: []time.Time{utc(2026, 11, 27, 10, 15, 0)}},
		{name: "MonthlyNth last Sunday", rule: MonthlyNth(-1, time.Sunday, 8, 0), want: "0 0 8 ? * 1L", loc: time.UTC, after: utc(2026, 11, 1, 0, 0, 0),
			fires: []time.Time{utc(2026, 11, 29, 8, 0, 0)}},
		{name: "MonthlyNth fifth Monday", rule: MonthlyNth(5, time.Monday, 9, 0), want: "0 0 9 ? * 2#5", loc: time.UTC, after: utc(2026, 7, 1, 0, 0, 0),
			fires: []time.Time{utc(2026, 8, 31, 9, 0, 0), utc(2026, 11, 30, 9, 0, 0)}},
		{name: "OnceAt", rule: OnceAt(time.Date(2026, 11, 27, 9, 30, 15, 500, berlin), berlin), want: "15 30 9 27 11 ? 2026",
			// 09:30:15 CET is 08:30:15Z.
			loc: berlin, after: utc(2026, 1, 1, 0, 0, 0), fires: []time.Time{utc(2026, 11, 27, 8, 30, 15)}},
		{name: "OnceAt converts to loc", rule: OnceAt(utc(2026, 11, 27, 14, 30, 0), ny), want: "0 30 9 27 11 ? 2026",
			loc: ny, after: utc(2026, 1, 1, 0, 0, 0), fires: []time.Time{utc(2026, 11, 27, 14, 30, 0)}},
		{name: "OnceAt nil loc", rule: OnceAt(time.Date(2027, 3, 1, 0, 0, 0, 0, ny), nil), want: "0 0 0 1 3 ? 2027",
			loc: ny, after: utc(2026, 1, 1, 0, 0, 0), fires: []time.Time{utc(2027, 3, 1, 5, 0, 0)}},
		// 2026-11-01 06:30Z is 01:30 EST, the second 01:30 in New York; the
		// rule fires at the first occurrence, 01:30 EDT = 05:30Z.
		{name: "OnceAt repeated wall clock", rule: OnceAt(utc(2026, 11, 1, 6, 30, 0), ny), want: "0 30 1 1 11 ? 2026",
			loc: ny, after: utc(2026, 10, 1, 0, 0, 0), fires: []time.Time{utc(2026, 11, 1, 5, 30, 0)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.rule != tc.want {
				t.Errorf("%s = %q, want %q", tc.name, tc.rule, tc.want)
			}
			r, err := Parse(tc.rule)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.rule, err)
			}
			got := r.NextN(tc.after, tc.loc, len(tc.fires))
			if diff := cmp.Diff(tc.fires, got); diff != "" {
				t.Errorf("NextN(%q, %v, %d) mismatch (-want +got):\n%s", tc.rule, tc.after, len(tc.fires), diff)
			}
			if strings.HasPrefix(tc.name, "OnceAt") {
				if next, ok := r.Next(tc.fires[0], tc.loc); ok {
					t.Errorf("Next(%q, %v) = %v, want none (fires once)", tc.rule, tc.fires[0], next)
				}
			}
		})
	}
}

// TestBuildersParse checks that every in-range builder argument yields a
// rule Parse accepts, and out-of-range ones a rule it rejects.
func TestBuildersParse(t *testing.T) {
	t.Parallel()
	var valid []string
	for h := 0; h < 24; h++ {
		for m := 0; m < 60; m += 15 {
			valid = append(valid, Daily(h, m, false), Daily(h, m, true))
			for d := time.Sunday; d <= time.Saturday; d++ {
				valid = append(valid, Weekly(d, h, m), MonthlyNth(-1, d, h, m))
				for n := 1; n <= 5; n++ {
					valid = append(valid, MonthlyNth(n, d, h, m))
				}
			}
		}
	}
	for dom := 1; dom <= 31; dom++ {
		valid = append(valid, MonthlyDay(dom, 12, 0))
	}
	valid = append(valid, MonthlyDay(-1, 12, 0), OnceAt(utc(1970, 1, 1, 0, 0, 0), time.UTC), OnceAt(utc(2099, 12, 31, 23, 59, 59), time.UTC))
	for _, expr := range valid {
		if _, err := Parse(expr); err != nil {
			t.Errorf("Parse(%q) = %v, want no error", expr, err)
		}
	}
	for _, expr := range []string{
		Daily(24, 0, false), Daily(0, 60, true), Weekly(time.Weekday(7), 9, 0), MonthlyDay(0, 9, 0),
		MonthlyDay(32, 9, 0), MonthlyNth(6, time.Monday, 9, 0), MonthlyNth(0, time.Monday, 9, 0),
		OnceAt(utc(2100, 1, 1, 0, 0, 0), time.UTC), OnceAt(utc(1969, 12, 31, 0, 0, 0), time.UTC),
	} {
		if _, err := Parse(expr); err == nil {
			t.Errorf("Parse(%q) succeeded, want error", expr)
		}
	}
}
