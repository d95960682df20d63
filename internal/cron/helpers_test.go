package cron

import (
	"testing"
	"time"
	_ "time/tzdata" // tests must not depend on the host's zoneinfo
)

// This file holds test helpers, including a brute-force reference matcher
// that is deliberately written differently from next.go: it inspects one
// wall-clock time with the time package instead of building day masks.

func loadLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("LoadLocation(%q): %v", name, err)
	}
	return loc
}

// utc returns a UTC time to the second.
func utc(y, m, d, h, mi, s int) time.Time {
	return time.Date(y, time.Month(m), d, h, mi, s, 0, time.UTC)
}

// hasValue reports whether field f of r accepts value v.
func hasValue(r *Rule, f fieldID, v int) bool {
	i := v - fields[f].base
	return i >= 0 && i < 192 && r.sets[f][i/64]&(1<<(uint(i)%64)) != 0
}

// matches reports whether the wall-clock time of t (in t's location) is one
// the rule selects.
func matches(r *Rule, t time.Time) bool {
	if t.Nanosecond() != 0 || t.Year() < MinYear || t.Year() > MaxYear {
		return false
	}
	return hasValue(r, fYear, t.Year()) && hasValue(r, fMonth, int(t.Month())) &&
		dayMatches(r, t) && hasValue(r, fHour, t.Hour()) &&
		hasValue(r, fMinute, t.Minute()) && hasValue(r, fSecond, t.Second())
}

// dayMatches reports whether the day of t is selected by the rule's
// day-of-month / day-of-week part, straight from the definitions.
func dayMatches(r *Rule, t time.Time) bool {
	y, m, d := t.Date()
	lastDay := time.Date(y, m+1, 0, 12, 0, 0, 0, time.UTC).Day()
	quartzDOW := int(t.Weekday()) + 1 // 1 = Sunday
	switch r.days {
	case dayOfMonth:
		return hasValue(r, fDOM, d)
	case dayLast:
		target := lastDay - r.offset
		if target < 1 {
			return false
		}
		if r.weekday {
			return d == nearestWeekdayRef(y, m, target)
		}
		return d == target
	case dayNearest:
		return r.dayArg <= lastDay && d == nearestWeekdayRef(y, m, r.dayArg)
	case dayOfWeek:
		return hasValue(r, fDOW, quartzDOW)
	case dayLastOfWeek:
		return quartzDOW == r.dayArg && d+7 > lastDay
	case dayNthOfWeek:
		return quartzDOW == r.dayArg && (d-1)/7+1 == r.nth
	}
	return false
}

// nearestWeekdayRef scans month m for the Monday-Friday closest to target.
func nearestWeekdayRef(y int, m time.Month, target int) int {
	best, bestDist := 0, 99
	for d := 1; ; d++ {
		day := time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
		if day.Month() != m {
			return best
		}
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		dist := d - target
		if dist < 0 {
			dist = -dist
		}
		if dist < bestDist {
			best, bestDist = d, dist
		}
	}
}

// bruteNext finds the first time after `after` matching r by walking
// forward in loc (which must have no daylight-saving changes), skipping
// non-matching days, hours and minutes. It gives up after limit.
func bruteNext(r *Rule, after time.Time, loc *time.Location, limit time.Duration) (time.Time, bool) {
	t := after.In(loc).Truncate(time.Second).Add(time.Second)
	end := after.Add(limit)
	for t.Before(end) && t.Year() <= MaxYear {
		y, m, d := t.Date()
		switch {
		case !hasValue(r, fYear, y) || !hasValue(r, fMonth, int(m)) || !dayMatches(r, t):
			t = time.Date(y, m, d+1, 0, 0, 0, 0, loc)
		case !hasValue(r, fHour, t.Hour()):
			t = time.Date(y, m, d, t.Hour()+1, 0, 0, 0, loc)
		case !hasValue(r, fMinute, t.Minute()):
			t = time.Date(y, m, d, t.Hour(), t.Minute()+1, 0, 0, loc)
		case !hasValue(r, fSecond, t.Second()):
			t = t.Add(time.Second)
		default:
			return t, true
		}
	}
	return time.Time{}, false
}
