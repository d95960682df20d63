package cron

import (
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// nextCase lists the consecutive fire times of rule after `after`. All
// expected times are written by hand from the calendar facts stated in the
// comments (checked against `cal`/`zdump`, not against this package).
type nextCase struct {
	name  string
	rule  string
	after time.Time
	want  []time.Time // consecutive fire times; empty: Next reports false
	// exhausted: after the last wanted time the rule never fires again.
	exhausted bool
}

func runNextCases(t *testing.T, loc *time.Location, cases []nextCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := Parse(tc.rule)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.rule, err)
			}
			got, ok := r.Next(tc.after, loc)
			if len(tc.want) == 0 {
				if ok {
					t.Fatalf("Next(%q, %v) = %v, want none", tc.rule, tc.after, got)
				}
				return
			}
			if !ok || !got.Equal(tc.want[0]) {
				t.Errorf("Next(%q, %v) = %v, %v, want %v", tc.rule, tc.after, got, ok, tc.want[0])
			}
			if got.Location() != loc {
				t.Errorf("Next(%q, %v) location = %v, want %v", tc.rule, tc.after, got.Location(), loc)
			}
			all := r.NextN(tc.after, loc, len(tc.want))
			if diff := cmp.Diff(tc.want, all); diff != "" {
				t.Errorf("NextN(%q, %v, %d) mismatch (-want +got):\n%s", tc.rule, tc.after, len(tc.want), diff)
			}
			if tc.exhausted {
				last := tc.want[len(tc.want)-1]
				if extra, ok := r.Next(last, loc); ok {
					t.Errorf("Next(%q, %v) = %v, want none", tc.rule, last, extra)
				}
			}
		})
	}
}

// Every example of dynamic-media-notes.md §2.5, in its correct Quartz form.
func TestNextQuartzExamples(t *testing.T) {
	t.Parallel()
	// Calendar facts: 2026-11-27 is a Friday, 2026-11-30 a Monday.
	// Wednesdays in March 2026: 4, 11, 18, 25; in March 2027: 3, 10, 17, 24, 31.
	// Last Fridays: 2026-11-27, 2026-12-25, 2027-01-29, 2027-02-26.
	// Third Fridays: 2026-11-20, 2026-12-18, 2027-01-15.
	every5 := func(day, hour int) []time.Time {
		var out []time.Time
		for m := 0; m < 60; m += 5 {
			out = append(out, utc(2026, 11, day, hour, m, 0))
		}
		return out
	}
	runNextCases(t, time.UTC, []nextCase{
		{name: "noon daily", rule: "0 0 12 * * ?", after: utc(2026, 11, 27, 11, 59, 59),
			want: []time.Time{utc(2026, 11, 27, 12, 0, 0), utc(2026, 11, 28, 12, 0, 0)}},
		{name: "noon daily strictly after", rule: "0 0 12 * * ?", after: utc(2026, 11, 27, 12, 0, 0),
			want: []time.Time{utc(2026, 11, 28, 12, 0, 0)}},
		{name: "10:15 daily", rule: "0 15 10 ? * *", after: utc(2026, 12, 31, 10, 15, 0),
			want: []time.Time{utc(2027, 1, 1, 10, 15, 0), utc(2027, 1, 2, 10, 15, 0)}},
		{name: "every 5 min 14:00-14:55", rule: "0 0/5 14 * * ?", after: utc(2026, 11, 27, 13, 0, 0),
			want: append(every5(27, 14), utc(2026, 11, 28, 14, 0, 0))},
		{name: "every 5 min 14h and 18h", rule: "0 0/5 14,18 * * ?", after: utc(2026, 11, 27, 14, 55, 0),
			want: append(every5(27, 18), utc(2026, 11, 28, 14, 0, 0))},
		// The notes print "0 10,44 14 ? 3" (5 fields, weekday lost); Quartz
		// has "0 10,44 14 ? 3 WED".
		{name: "Wednesdays in March", rule: "0 10,44 14 ? 3 WED", after: utc(2026, 3, 4, 14, 10, 0),
			want: []time.Time{utc(2026, 3, 4, 14, 44, 0), utc(2026, 3, 11, 14, 10, 0), utc(2026, 3, 11, 14, 44, 0)}},
		{name: "Wednesdays in March next year", rule: "0 10,44 14 ? 3 WED", after: utc(2026, 3, 25, 14, 44, 0),
			want: []time.Time{utc(2027, 3, 3, 14, 10, 0), utc(2027, 3, 3, 14, 44, 0), utc(2027, 3, 10, 14, 10, 0)}},
		// The notes print "0 15 10 ? *"; Quartz has "0 15 10 ? * MON-FRI".
		{name: "weekdays 10:15", rule: "0 15 10 ? * MON-FRI", after: utc(2026, 11, 27, 10, 15, 0),
			want: []time.Time{utc(2026, 11, 30, 10, 15, 0), utc(2026, 12, 1, 10, 15, 0)}},
		{name: "20th of the month", rule: "0 15 10 20 * ?", after: utc(2026, 11, 27, 0, 0, 0),
			want: []time.Time{utc(2026, 12, 20, 10, 15, 0), utc(2027, 1, 20, 10, 15, 0)}},
		{name: "last day of the month", rule: "0 15 10 L * ?", after: utc(2026, 11, 27, 0, 0, 0),
			want: []time.Time{utc(2026, 11, 30, 10, 15, 0), utc(2026, 12, 31, 10, 15, 0), utc(2027, 1, 31, 10, 15, 0), utc(2027, 2, 28, 10, 15, 0)}},
		{name: "last Friday", rule: "0 15 10 ? * 6L", after: utc(2026, 11, 1, 0, 0, 0),
			want: []time.Time{utc(2026, 11, 27, 10, 15, 0), utc(2026, 12, 25, 10, 15, 0), utc(2027, 1, 29, 10, 15, 0), utc(2027, 2, 26, 10, 15, 0)}},
		// The notes print "0 15 10 * * 6#3", which breaks the '?' rule;
		// Quartz has "0 15 10 ? * 6#3".
		{name: "third Friday", rule: "0 15 10 ? * 6#3", after: utc(2026, 11, 1, 0, 0, 0),
			want: []time.Time{utc(2026, 11, 20, 10, 15, 0), utc(2026, 12, 18, 10, 15, 0), utc(2027, 1, 15, 10, 15, 0)}},
	})
}

func TestNextDaySpecials(t *testing.T) {
	t.Parallel()
	// Calendar facts (2026 unless stated):
	//   Feb has 28 days, Feb 2028 has 29; Mar 31, Apr 30.
	//   Jan 31 is a Saturday, Feb 28 a Saturday, Mar 31 a Tuesday,
	//   Apr 30 a Thursday, May 31 a Sunday, Jul 31 a Friday.
	//   Mar 28 is a Saturday, Apr 27 a Monday.
	//   Months with five Mondays: Mar (30th), Jun (29th), Aug (31st), Nov (30th).
	//   Aug 15 is a Saturday, Sep 15 a Tuesday, Oct 15 a Thursday, Nov 15 a Sunday.
	//   Aug 1 is a Saturday, Sep 1 a Tuesday, Feb 1 a Sunday, Jul 1 a Wednesday.
	//   2027-05-01 is a Saturday. 2026-11-28 and 2026-12-05 are Saturdays.
	runNextCases(t, time.UTC, []nextCase{
		{name: "L-3", rule: "0 0 0 L-3 * ?", after: utc(2026, 2, 1, 0, 0, 0),
			want: []time.Time{utc(2026, 2, 25, 0, 0, 0), utc(2026, 3, 28, 0, 0, 0), utc(2026, 4, 27, 0, 0, 0)}},
		{name: "L-3 leap February", rule: "0 0 0 L-3 * ?", after: utc(2028, 2, 1, 0, 0, 0),
			want: []time.Time{utc(2028, 2, 26, 0, 0, 0)}},
		{name: "LW", rule: "0 0 0 LW * ?", after: utc(2026, 1, 1, 0, 0, 0),
			want: []time.Time{utc(2026, 1, 30, 0, 0, 0), utc(2026, 2, 27, 0, 0, 0), utc(2026, 3, 31, 0, 0, 0), utc(2026, 4, 30, 0, 0, 0), utc(2026, 5, 29, 0, 0, 0)}},
		{name: "L-3W", rule: "0 0 0 L-3W * ?", after: utc(2026, 2, 1, 0, 0, 0),
			// Feb 25 is a Wednesday; Mar 28 a Saturday -> Fri 27; Apr 27 a Monday.
			want: []time.Time{utc(2026, 2, 25, 0, 0, 0), utc(2026, 3, 27, 0, 0, 0), utc(2026, 4, 27, 0, 0, 0)}},
		{name: "2#5 skips months without a fifth Monday", rule: "0 0 9 ? * 2#5", after: utc(2026, 1, 1, 0, 0, 0),
			want: []time.Time{utc(2026, 3, 30, 9, 0, 0), utc(2026, 6, 29, 9, 0, 0), utc(2026, 8, 31, 9, 0, 0), utc(2026, 11, 30, 9, 0, 0)}},
		{name: "2#1 first Monday", rule: "0 0 9 ? * 2#1", after: utc(2026, 1, 1, 0, 0, 0),
			// Jan 2026 Mondays 5,...; Feb 2; Mar 2.
			want: []time.Time{utc(2026, 1, 5, 9, 0, 0), utc(2026, 2, 2, 9, 0, 0), utc(2026, 3, 2, 9, 0, 0)}},
		{name: "15W Saturday and Sunday", rule: "0 0 12 15W * ?", after: utc(2026, 8, 1, 0, 0, 0),
			want: []time.Time{utc(2026, 8, 14, 12, 0, 0), utc(2026, 9, 15, 12, 0, 0), utc(2026, 10, 15, 12, 0, 0), utc(2026, 11, 16, 12, 0, 0)}},
		{name: "15W after the moved day", rule: "0 0 12 15W * ?", after: utc(2026, 8, 14, 12, 0, 0),
			want: []time.Time{utc(2026, 9, 15, 12, 0, 0)}},
		{name: "1W Saturday the 1st stays in the month", rule: "0 0 12 1W * ?", after: utc(2026, 7, 2, 0, 0, 0),
			want: []time.Time{utc(2026, 8, 3, 12, 0, 0), utc(2026, 9, 1, 12, 0, 0)}},
		{name: "1W Sunday the 1st", rule: "0 0 12 1W * ?", after: utc(2026, 1, 15, 0, 0, 0),
			want: []time.Time{utc(2026, 2, 2, 12, 0, 0)}},
		{name: "1W 2027-05", rule: "0 0 12 1W * ?", after: utc(2027, 4, 2, 0, 0, 0),
			want: []time.Time{utc(2027, 5, 3, 12, 0, 0)}},
		{name: "31W Sunday last day and short months", rule: "0 0 12 31W * ?", after: utc(2026, 4, 1, 0, 0, 0),
			want: []time.Time{utc(2026, 5, 29, 12, 0, 0), utc(2026, 7, 31, 12, 0, 0)}},
		{name: "L alone in day-of-week is Saturday", rule: "0 0 0 ? * L", after: utc(2026, 11, 27, 0, 0, 0),
			want: []time.Time{utc(2026, 11, 28, 0, 0, 0), utc(2026, 12, 5, 0, 0, 0)}},
		{name: "1L last Sunday", rule: "0 0 0 ? * 1L", after: utc(2026, 11, 1, 0, 0, 0),
			// Sundays in Nov 2026: 1, 8, 15, 22, 29.
			want: []time.Time{utc(2026, 11, 29, 0, 0, 0)}},
		{name: "31st skips short months", rule: "0 0 0 31 * ?", after: utc(2026, 1, 31, 0, 0, 0),
			want: []time.Time{utc(2026, 3, 31, 0, 0, 0), utc(2026, 5, 31, 0, 0, 0), utc(2026, 7, 31, 0, 0, 0), utc(2026, 8, 31, 0, 0, 0)}},
	})
}

func TestNextLeapYears(t *testing.T) {
	t.Parallel()
	// Leap years: 2028, 2032, 2096 (2100 is not one, and is out of range).
	runNextCases(t, time.UTC, []nextCase{
		{name: "Feb 29", rule: "0 0 0 29 2 ?", after: utc(2026, 1, 1, 0, 0, 0),
			want: []time.Time{utc(2028, 2, 29, 0, 0, 0), utc(2032, 2, 29, 0, 0, 0)}},
		{name: "Feb 29 last in range", rule: "0 0 0 29 2 ?", after: utc(2095, 1, 1, 0, 0, 0),
			want: []time.Time{utc(2096, 2, 29, 0, 0, 0)}, exhausted: true},
		{name: "last day of February", rule: "0 0 0 L 2 ?", after: utc(2026, 3, 1, 0, 0, 0),
			want: []time.Time{utc(2027, 2, 28, 0, 0, 0), utc(2028, 2, 29, 0, 0, 0)}},
		{name: "Feb 30 never", rule: "0 0 0 30 2 ?", after: utc(2026, 1, 1, 0, 0, 0)},
		{name: "31st of 30-day months never", rule: "0 0 0 31 4,6,9,11 ?", after: utc(1970, 1, 1, 0, 0, 0)},
		// 2028-02-01 is a Tuesday: leap February 2028 has five Tuesdays, not Mondays.
		{name: "fifth Monday of February 2027-2029", rule: "0 0 0 ? 2 2#5 2027-2029", after: utc(2026, 1, 1, 0, 0, 0)},
	})
}

func TestNextYearField(t *testing.T) {
	t.Parallel()
	runNextCases(t, time.UTC, []nextCase{
		{name: "single year", rule: "0 0 12 1 1 ? 2027", after: utc(2026, 6, 1, 0, 0, 0),
			want: []time.Time{utc(2027, 1, 1, 12, 0, 0)}, exhausted: true},
		{name: "year range", rule: "0 0 12 1 1 ? 2026-2028", after: utc(2025, 12, 31, 0, 0, 0),
			want: []time.Time{utc(2026, 1, 1, 12, 0, 0), utc(2027, 1, 1, 12, 0, 0), utc(2028, 1, 1, 12, 0, 0)}, exhausted: true},
		{name: "year increment", rule: "0 0 12 1 1 ? 2027/2", after: utc(2026, 1, 1, 0, 0, 0),
			want: []time.Time{utc(2027, 1, 1, 12, 0, 0), utc(2029, 1, 1, 12, 0, 0), utc(2031, 1, 1, 12, 0, 0)}},
		{name: "year increment reaches 2099", rule: "0 0 12 1 1 ? 2027/2", after: utc(2098, 6, 1, 0, 0, 0),
			want: []time.Time{utc(2099, 1, 1, 12, 0, 0)}, exhausted: true},
		{name: "past year", rule: "0 0 12 1 1 ? 2020", after: utc(2026, 1, 1, 0, 0, 0)},
		{name: "year list", rule: "0 0 0 1 1 ? 2030,2026", after: utc(2026, 1, 1, 0, 0, 0),
			want: []time.Time{utc(2030, 1, 1, 0, 0, 0)}, exhausted: true},
		{name: "before 1970 starts at 1970", rule: "0 0 0 1 1 ?", after: utc(1960, 5, 1, 0, 0, 0),
			want: []time.Time{utc(1970, 1, 1, 0, 0, 0)}},
		{name: "last second of range", rule: "* * * * * ?", after: utc(2099, 12, 31, 23, 59, 58),
			want: []time.Time{utc(2099, 12, 31, 23, 59, 59)}, exhausted: true},
		{name: "after 2099", rule: "* * * * * ?", after: utc(2100, 1, 1, 0, 0, 0)},
		{name: "far future", rule: "* * * * * ?", after: time.Date(200000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{name: "zero time", rule: "0 0 0 1 1 ? 2026", after: time.Time{},
			want: []time.Time{utc(2026, 1, 1, 0, 0, 0)}, exhausted: true},
	})
}

func TestNextIncrementsNamesSeconds(t *testing.T) {
	t.Parallel()
	// Calendar facts: 2026-11-27 is a Friday; 2026-01-30 a Friday, 2026-01-31
	// a Saturday; 2026-07-01 a Wednesday; 2026-12-04 a Friday.
	runNextCases(t, time.UTC, []nextCase{
		{name: "5-50/10 minutes", rule: "0 5-50/10 9 * * ?", after: utc(2026, 11, 27, 9, 0, 0),
			want: []time.Time{utc(2026, 11, 27, 9, 5, 0), utc(2026, 11, 27, 9, 15, 0), utc(2026, 11, 27, 9, 25, 0),
				utc(2026, 11, 27, 9, 35, 0), utc(2026, 11, 27, 9, 45, 0), utc(2026, 11, 28, 9, 5, 0)}},
		{name: "*/5 months", rule: "0 0 0 1 */5 ?", after: utc(2026, 1, 1, 0, 0, 0),
			want: []time.Time{utc(2026, 6, 1, 0, 0, 0), utc(2026, 11, 1, 0, 0, 0), utc(2027, 1, 1, 0, 0, 0)}},
		{name: "/15 shorthand", rule: "/15 0 0 * * ?", after: utc(2026, 11, 27, 0, 0, 0),
			want: []time.Time{utc(2026, 11, 27, 0, 0, 15), utc(2026, 11, 27, 0, 0, 30), utc(2026, 11, 27, 0, 0, 45), utc(2026, 11, 28, 0, 0, 0)}},
		{name: "wrapped hours with increment", rule: "0 0 22-2/2 * * ?", after: utc(2026, 11, 27, 21, 0, 0),
			want: []time.Time{utc(2026, 11, 27, 22, 0, 0), utc(2026, 11, 28, 0, 0, 0), utc(2026, 11, 28, 2, 0, 0), utc(2026, 11, 28, 22, 0, 0)}},
		{name: "every 20 seconds", rule: "*/20 * * * * ?", after: utc(2026, 11, 27, 12, 0, 5),
			want: []time.Time{utc(2026, 11, 27, 12, 0, 20), utc(2026, 11, 27, 12, 0, 40), utc(2026, 11, 27, 12, 1, 0)}},
		{name: "fixed second", rule: "30 * * * * ?", after: utc(2026, 11, 27, 12, 0, 30),
			want: []time.Time{utc(2026, 11, 27, 12, 1, 30)}},
		{name: "second list", rule: "15,45 0 0 * * ?", after: utc(2026, 11, 27, 0, 0, 15),
			want: []time.Time{utc(2026, 11, 27, 0, 0, 45), utc(2026, 11, 28, 0, 0, 15)}},
		{name: "sub-second after before fire", rule: "0 0 12 * * ?", after: utc(2026, 11, 27, 11, 59, 59).Add(999999999),
			want: []time.Time{utc(2026, 11, 27, 12, 0, 0)}},
		{name: "sub-second after past fire", rule: "0 0 12 * * ?", after: utc(2026, 11, 27, 12, 0, 0).Add(time.Millisecond),
			want: []time.Time{utc(2026, 11, 28, 12, 0, 0)}},
		{name: "lower-case names", rule: "0 0 9 ? JAN,jul mon-fri", after: utc(2026, 1, 30, 9, 0, 0),
			want: []time.Time{utc(2026, 7, 1, 9, 0, 0), utc(2026, 7, 2, 9, 0, 0)}},
		{name: "wrapped weekdays FRI-MON", rule: "0 0 9 ? * FRI-MON", after: utc(2026, 11, 25, 0, 0, 0),
			want: []time.Time{utc(2026, 11, 27, 9, 0, 0), utc(2026, 11, 28, 9, 0, 0), utc(2026, 11, 29, 9, 0, 0),
				utc(2026, 11, 30, 9, 0, 0), utc(2026, 12, 4, 9, 0, 0)}},
		{name: "wrapped months NOV-FEB", rule: "0 0 0 1 NOV-FEB ?", after: utc(2026, 2, 2, 0, 0, 0),
			want: []time.Time{utc(2026, 11, 1, 0, 0, 0), utc(2026, 12, 1, 0, 0, 0), utc(2027, 1, 1, 0, 0, 0),
				utc(2027, 2, 1, 0, 0, 0), utc(2027, 11, 1, 0, 0, 0)}},
		{name: "wrapped days of month 30-2", rule: "0 0 0 30-2 * ?", after: utc(2026, 1, 29, 0, 0, 0),
			// January has 31 days, February 28 (no 30th).
			want: []time.Time{utc(2026, 1, 30, 0, 0, 0), utc(2026, 1, 31, 0, 0, 0), utc(2026, 2, 1, 0, 0, 0),
				utc(2026, 2, 2, 0, 0, 0), utc(2026, 3, 1, 0, 0, 0)}},
		{name: "every second rolls over the year", rule: "* * * * * ?", after: utc(2026, 12, 31, 23, 59, 59),
			want: []time.Time{utc(2027, 1, 1, 0, 0, 0), utc(2027, 1, 1, 0, 0, 1)}},
	})
}

func TestNextNoLocationUsesAfter(t *testing.T) {
	t.Parallel()
	berlin := loadLoc(t, "Europe/Berlin")
	r := MustParse("0 0 9 * * ?")
	after := time.Date(2026, 11, 27, 10, 0, 0, 0, berlin)
	got, ok := r.Next(after, nil)
	want := time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC) // 09:00 CET
	if !ok || !got.Equal(want) || got.Location() != berlin {
		t.Errorf("Next(%q, %v) = %v, want %v in %v", r, after, got, want, berlin)
	}
}

func TestNextNEdges(t *testing.T) {
	t.Parallel()
	r := MustParse("0 0 12 * * ?")
	after := utc(2026, 1, 1, 0, 0, 0)
	for _, n := range []int{0, -1} {
		if got := r.NextN(after, time.UTC, n); got != nil {
			t.Errorf("NextN(%q, %v, %d) = %v, want nil", r, after, n, got)
		}
	}
	once := MustParse("0 0 12 1 1 ? 2026")
	got := once.NextN(after, time.UTC, 5)
	if diff := cmp.Diff([]time.Time{utc(2026, 1, 1, 12, 0, 0)}, got); diff != "" {
		t.Errorf("NextN(%q, %v, 5) mismatch (-want +got):\n%s", once, after, diff)
	}
}

// TestNextAgreesWithBruteForce compares Next with the brute-force reference
// over many starting points for rules covering every day mode.
func TestNextAgreesWithBruteForce(t *testing.T) {
	t.Parallel()
	rules := []string{
		"0 0 12 * * ?", "*/7 */11 */5 * * ?", "0 15 10 ? * MON-FRI", "0 0 0 L * ?", "0 0 0 L-5W * ?",
		"0 30 9 15W * ?", "0 30 9 1W * ?", "0 0 8 ? * 6L", "0 0 8 ? * 2#5", "0 0 0 29 2 ?",
		"0 0 22-2 28-3 NOV-FEB ?", "59 59 23 31 12 ? 2026/3", "0 0 0 ? * SAT,SUN",
	}
	fixed := time.FixedZone("UTC+05:30", 5*3600+1800)
	for _, expr := range rules {
		t.Run(expr, func(t *testing.T) {
			t.Parallel()
			r := MustParse(expr)
			for _, loc := range []*time.Location{time.UTC, fixed} {
				after := utc(2026, 1, 1, 0, 0, 0).Add(-37 * time.Hour)
				for i := 0; i < 60; i++ {
					got, ok := r.Next(after, loc)
					want, wok := bruteNext(r, after, loc, 6*366*24*time.Hour)
					if ok != wok || !got.Equal(want) {
						t.Fatalf("Next(%q, %v) in %v = %v, %v, want %v, %v", expr, after, loc, got, ok, want, wok)
					}
					after = after.Add(131*time.Hour + 17*time.Minute + 13*time.Second)
				}
			}
		})
	}
}

// TestNextConcurrent: one Rule is shared by many goroutines (the scheduler
// ticks every entry at once); each must see the same, correct fire times.
// The 100 times cross a weekend, so the rule's day masks are rebuilt while
// other goroutines read them.
func TestNextConcurrent(t *testing.T) {
	t.Parallel()
	r := MustParse("0 0/15 * ? * MON-FRI")
	ny := loadLoc(t, "America/New_York")
	// Calendar facts: 2026-01-02 is a Friday, 2026-01-05 the next Monday.
	after := time.Date(2026, 1, 2, 20, 0, 0, 0, ny)
	var want []time.Time
	for i := range 15 { // Friday 20:15 to 23:45
		want = append(want, time.Date(2026, 1, 2, 20, 15+15*i, 0, 0, ny))
	}
	for i := range 85 { // Monday from 00:00, every 15 minutes
		want = append(want, time.Date(2026, 1, 5, 0, 15*i, 0, 0, ny))
	}
	const n = 8
	got := make([][]time.Time, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { got[i] = r.NextN(after, ny, len(want)) })
	}
	wg.Wait()
	for i := range n {
		if diff := cmp.Diff(want, got[i]); diff != "" {
			t.Errorf("goroutine %d: NextN(%v, 100) mismatch (-want +got):\n%s", i, after, diff)
		}
	}
}
