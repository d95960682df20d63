package cron

import (
	"errors"
	"strings"
	"testing"
)

func TestParseValid(t *testing.T) {
	t.Parallel()
	for _, expr := range []string{
		"0 0 12 * * ?", "0 15 10 ? * *", "0 0/5 14 * * ?", "0 0/5 14,18 * * ?", "0 10,44 14 ? 3 WED",
		"0 15 10 ? * MON-FRI", "0 15 10 20 * ?", "0 15 10 L * ?", "0 15 10 ? * 6L", "0 15 10 ? * 6#3",
		"0 0 0 L-3 * ?", "0 0 0 LW * ?", "0 0 0 L-30W * ?", "0 0 0 l-0 * ?", "0 0 0 15W * ?", "0 0 0 1w * ?",
		"0 0 0 ? * L", "0 0 0 ? * fril", "0 0 0 ? * FRI#5", "0 0 0 ? * 2#1",
		"0 0 0 * * ? *", "0 0 0 * * ? 2027", "0 0 0 * * ? 2026-2028", "0 0 0 * * ? 2027/2", "0 0 0 * * ? 1970,2099",
		"*/5 * * * * ?", "/5 * * * * ?", "5/15 * * * * ?", "0 5-50/10 * * * ?", "0 0 22-2 * * ?", "0 0 0 ? * FRI-MON",
		"0 0 0 ? * MON-FRI/2", "0 0 0 1 nov-feb ?", "0 0 0 1 jan,Mar,DEC ?",
		"  0\t0 0  * *   ?  ", "00 05 09 * * ?", "0 0 0 *,1 * ?",
	} {
		t.Run(expr, func(t *testing.T) {
			t.Parallel()
			if _, err := Parse(expr); err != nil {
				t.Errorf("Parse(%q) = %v, want no error", expr, err)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, expr string
		field      string // "" for whole-rule errors
		value      string // expected ParseError.Value
		reason     string // substring of the reason
	}{
		{"empty", "", "", "", "got 0"},
		{"five fields", "0 15 10 ? *", "", "0 15 10 ? *", "got 5"},
		{"five fields notes example", "0 10,44 14 ? 3", "", "0 10,44 14 ? 3", "seconds field"},
		{"eight fields", "0 0 12 * * ? 2026 x", "", "0 0 12 * * ? 2026 x", "got 8"},
		{"seconds out of range", "60 0 0 * * ?", "seconds", "60", "60 is out of range 0-59"},
		{"minutes out of range", "0 0,60 0 * * ?", "minutes", "0,60", "60 is out of range 0-59"},
		{"hours out of range", "0 0 24 * * ?", "hours", "24", "24 is out of range 0-23"},
		{"day-of-month zero", "0 0 0 0 * ?", "day-of-month", "0", "0 is out of range 1-31"},
		{"day-of-month 32", "0 0 0 32 * ?", "day-of-month", "32", "out of range 1-31"},
		{"month 13", "0 0 0 1 13 ?", "month", "13", "13 is out of range 1-12 or JAN-DEC"},
		{"month zero", "0 0 0 1 0 ?", "month", "0", "out of range"},
		{"day-of-week 8", "0 0 0 ? * 8", "day-of-week", "8", "8 is out of range 1-7 or SUN-SAT, 1 = Sunday"},
		{"day-of-week zero", "0 0 0 ? * 0", "day-of-week", "0", "out of range"},
		{"year 1969", "0 0 0 1 1 ? 1969", "year", "1969", "out of range 1970-2099"},
		{"year 2100", "0 0 0 1 1 ? 2100", "year", "2100", "out of range 1970-2099"},
		{"huge number", "0 0 0 1 1 ? 123456789", "year", "123456789", "123456789 is out of range"},
		{"reversed year range", "0 0 0 1 1 ? 2028-2026", "year", "2028-2026", "reversed"},
		{"both days specified", "0 0 0 1 * MON", "day-of-week", "MON", "exactly one of day-of-month and day-of-week must be '?'"},
		{"both days specified notes example", "0 15 10 * * 6#3", "day-of-week", "6#3", `day-of-month "*"`},
		{"neither day", "0 0 0 ? * ?", "day-of-month", "?", "cannot both be '?'"},
		{"bad character hours", "0 0 1x * * ?", "hours", "1x", `"1X" is not a number`},
		{"bad month name", "0 0 0 1 FOO ?", "month", "FOO", "not a number or a name (JAN-DEC)"},
		{"day name in month", "0 0 0 1 MON ?", "month", "MON", "not a number or a name"},
		{"month name in day-of-week", "0 0 0 ? * JAN", "day-of-week", "JAN", "(SUN-SAT)"},
		{"negative", "-1 0 0 * * ?", "seconds", "-1", `incomplete range "-1"`},
		{"open range", "0 5- 0 * * ?", "minutes", "5-", "incomplete range"},
		{"empty list element", "0 1, * * * ?", "minutes", "1,", "empty element"},
		{"question mark in seconds", "? 0 0 * * ?", "seconds", "?", "only allowed in day-of-month and day-of-week"},
		{"question mark in list", "0 0 0 ?,1 * ?", "day-of-month", "?,1", "'?' must be the whole field"},
		{"zero increment", "0 */0 * * * ?", "minutes", "*/0", "increment 0 is out of range 1-59"},
		{"increment too large", "0 0 */24 * * ?", "hours", "*/24", "increment 24 is out of range 1-23"},
		{"missing increment", "0 0/ * * * ?", "minutes", "0/", "'/' must be followed by an increment"},
		{"L in hours", "0 0 L * * ?", "hours", "L", "'L' is only allowed in day-of-month and day-of-week"},
		{"L in list", "0 0 0 L,15 * ?", "day-of-month", "L,15", "'L' cannot be combined"},
		{"L offset too large", "0 0 0 L-31 * ?", "day-of-month", "L-31", "offset 31 after 'L-' is out of range 0-30"},
		{"L garbage", "0 0 0 LX * ?", "day-of-month", "LX", "'L' may only be followed by"},
		{"L inside list", "0 0 0 1,L * ?", "day-of-month", "1,L", "'L' must be the whole field"},
		{"W with range", "0 0 0 1-5W * ?", "day-of-month", "1-5W", "'W' must follow a single day"},
		{"W out of range", "0 0 0 32W * ?", "day-of-month", "32W", "32 is out of range 1-31"},
		{"W in day-of-week", "0 0 0 ? * 2W", "day-of-week", "2W", "'W' is only allowed in day-of-month"},
		{"W in minutes", "0 5W 0 * * ?", "minutes", "5W", "'W' is only allowed in day-of-month"},
		{"hash in day-of-month", "0 0 0 5#2 * ?", "day-of-month", "5#2", "'#' is only allowed in day-of-week"},
		{"hash sixth", "0 0 0 ? * MON#6", "day-of-week", "MON#6", "'#' must be followed by a number 1-5"},
		{"hash zero", "0 0 0 ? * 2#0", "day-of-week", "2#0", "1-5"},
		{"hash with list", "0 0 0 ? * 2#1,3#1", "day-of-week", "2#1,3#1", "'#' cannot be combined with a list"},
		{"hash with range", "0 0 0 ? * 2-3#1", "day-of-week", "2-3#1", "'#' must follow a single day of the week"},
		{"hash day out of range", "0 0 0 ? * 9#1", "day-of-week", "9#1", "9 is out of range"},
		{"last weekday with list", "0 0 0 ? * 1,6L", "day-of-week", "1,6L", "'L' cannot be combined with a list"},
		{"last weekday with range", "0 0 0 ? * 2-6L", "day-of-week", "2-6L", "'L' must follow a single day of the week"},
		{"L in day-of-week list", "0 0 0 ? * 1,L", "day-of-week", "1,L", "'L' cannot be combined with a list"},
		{"L in day-of-week range", "0 0 0 ? * L-2", "day-of-week", "L-2", "'L' must be the whole field"},
		{"C unsupported", "0 0 0 5C * ?", "day-of-month", "5C", "'C' (calendar) is not supported"},
		{"double range", "0 1-2-3 0 * * ?", "minutes", "1-2-3", `"2-3" is not a number`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := Parse(tc.expr)
			if err == nil {
				t.Fatalf("Parse(%q) = %v, want error", tc.expr, r)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error %T %v, want *ParseError", tc.expr, err, err)
			}
			if pe.Field != tc.field || pe.Value != tc.value || !strings.Contains(pe.Reason, tc.reason) {
				t.Errorf("Parse(%q) = %+v, want Field %q, Value %q, Reason containing %q", tc.expr, *pe, tc.field, tc.value, tc.reason)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "cron: invalid ") || !strings.Contains(msg, tc.field) || !strings.Contains(msg, `"`+tc.value+`"`) {
				t.Errorf("Parse(%q) error message %q does not name field %q and value %q", tc.expr, msg, tc.field, tc.value)
			}
		})
	}
}

func TestStringRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"0 0 12 * * ?", "0 0 12 * * ?"},
		{"0 0/5 14,18 * * ?", "0 0/5 14,18 * * ?"},
		{"0 10,44 14 ? 3 WED", "0 10,44 14 ? 3 4"},
		{"0 15 10 ? * MON-FRI", "0 15 10 ? * 2-6"},
		{"0 15 10 ? * 6L", "0 15 10 ? * 6L"},
		{"0 15 10 ? * fri#3", "0 15 10 ? * 6#3"},
		{"0 15 10 l * ?", "0 15 10 L * ?"},
		{"0 0 0 L-3W jan-mar ?", "0 0 0 L-3W 1-3 ?"},
		{"0 0 0 L-0 * ?", "0 0 0 L * ?"},
		{"0 0 0 LW * ?", "0 0 0 LW * ?"},
		{"0 0 0 15W * ?", "0 0 0 15W * ?"},
		{"0 0 0 ? * L", "0 0 0 ? * 7"},
		{"0 0 22-2 * * ?", "0 0 0-2,22,23 * * ?"},
		{"0 0 0 ? * FRI-MON", "0 0 0 ? * 1,2,6,7"},
		{"*/20 * * * * ?", "0/20 * * * * ?"},
		{"/15 */1 0-23 1-31 JAN-DEC ?", "0/15 * * * * ?"},
		{"0 5-55/10 * * * ?", "0 5/10 * * * ?"},
		{"0 5-50/10 * * * ?", "0 5,15,25,35,45 * * * ?"},
		{"0 5-40/10 * * * ?", "0 5,15,25,35 * * * ?"},
		{"0 0 0 */2 * ?", "0 0 0 1/2 * ?"},
		{"0 0 0 ? * MON-FRI/2", "0 0 0 ? * 2/2"},
		{"0 0 0 1,2,3,5,7,8 * ?", "0 0 0 1-3,5,7,8 * ?"},
		{"0 0 12 1 1 ? 2027/2", "0 0 12 1 1 ? 2027/2"},
		{"0 0 12 1 1 ? 1970-2099", "0 0 12 1 1 ? *"},
		{"0 0 12 1 1 ? 2026-2028,2030", "0 0 12 1 1 ? 2026-2028,2030"},
		{"00 07 9 * * ?", "0 7 9 * * ?"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			r, err := Parse(tc.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.in, err)
			}
			if got := r.String(); got != tc.want {
				t.Errorf("Parse(%q).String() = %q, want %q", tc.in, got, tc.want)
			}
			back, err := Parse(r.String())
			if err != nil {
				t.Fatalf("Parse(%q) (from String): %v", r.String(), err)
			}
			if *back != *r {
				t.Errorf("Parse(%q) != Parse(%q)", r.String(), tc.in)
			}
		})
	}
}

func TestMustParsePanics(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Errorf("MustParse(%q) did not panic", "bad")
		}
	}()
	MustParse("bad")
}
