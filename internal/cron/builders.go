package cron

import (
	"fmt"
	"strconv"
	"time"
)

// The builders below produce the rules behind the non-custom schedule kinds
// of the publish-job UI and API. Arguments are not validated: an
// out-of-range argument yields a rule that Parse rejects with a ParseError
// naming the field, which callers should surface.

var dayNames = [...]string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}

// dayName returns the Quartz name of a weekday ("MON"), or its Quartz number
// (Sunday = 1) for values outside Sunday-Saturday.
func dayName(day time.Weekday) string {
	if day >= time.Sunday && day <= time.Saturday {
		return dayNames[day]
	}
	return strconv.Itoa(int(day) + 1)
}

// Daily returns a rule firing every day at hour:min:00, or only Monday to
// Friday when weekdaysOnly is set: Daily(10, 15, false) is "0 15 10 ? * *",
// Daily(10, 15, true) is "0 15 10 ? * MON-FRI".
func Daily(hour, min int, weekdaysOnly bool) string {
	dow := "*"
	if weekdaysOnly {
		dow = "MON-FRI"
	}
	return fmt.Sprintf("0 %d %d ? * %s", min, hour, dow)
}

// Weekly returns a rule firing every week on day, and on each of more, at
// hour:min:00: Weekly(time.Wednesday, 9, 0) is "0 0 9 ? * WED",
// Weekly(time.Monday, 9, 0, time.Thursday) is "0 0 9 ? * MON,THU".
func Weekly(day time.Weekday, hour, min int, more ...time.Weekday) string {
	names := dayName(day)
	for _, d := range more {
		names += "," + dayName(d)
	}
	return fmt.Sprintf("0 %d %d ? * %s", min, hour, names)
}

// MonthlyDay returns a rule firing every month on day dom (1-31) at
// hour:min:00, or on the last day of the month when dom is -1:
// MonthlyDay(20, 10, 15) is "0 15 10 20 * ?", MonthlyDay(-1, 10, 15) is
// "0 15 10 L * ?". As in Quartz, a day the month does not have (the 31st in
// April) does not fire that month; use -1 for "last day".
func MonthlyDay(dom, hour, min int) string {
	d := strconv.Itoa(dom)
	if dom == -1 {
		d = "L"
	}
	return fmt.Sprintf("0 %d %d %s * ?", min, hour, d)
}

// MonthlyNth returns a rule firing on the nth (1-5) given weekday of every
// month at hour:min:00, or on the last one when n is -1:
// MonthlyNth(3, time.Friday, 10, 15) is "0 15 10 ? * 6#3",
// MonthlyNth(-1, time.Friday, 10, 15) is "0 15 10 ? * 6L". A month without a
// 5th such weekday is skipped.
func MonthlyNth(n int, day time.Weekday, hour, min int) string {
	spec := strconv.Itoa(int(day)+1) + "#" + strconv.Itoa(n)
	if n == -1 {
		spec = strconv.Itoa(int(day)+1) + "L"
	}
	return fmt.Sprintf("0 %d %d ? * %s", min, hour, spec)
}

// OnceAt returns a rule with a year field that fires exactly once, at the
// wall-clock time of t in loc (t's own location when loc is nil), truncated
// to the second: OnceAt(2026-11-27 09:30 in loc, loc) is
// "0 30 9 27 11 ? 2026". Evaluate the rule in the same loc. If t is the
// second occurrence of a wall-clock time repeated by a daylight-saving change,
// the rule fires at the first occurrence (see the package documentation).
// Years outside 1970-2099 yield a rule Parse rejects.
func OnceAt(t time.Time, loc *time.Location) string {
	if loc != nil {
		t = t.In(loc)
	}
	return fmt.Sprintf("%d %d %d %d %d ? %d", t.Second(), t.Minute(), t.Hour(), t.Day(), int(t.Month()), t.Year())
}
