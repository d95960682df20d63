package cron

import (
	"math/bits"
	"time"
)

// Next returns the first fire time strictly after after, evaluating the rule
// as wall-clock time in loc (after's own location when loc is nil). The
// result is in loc. It returns false when the rule cannot fire after after
// and before the end of year [MaxYear].
//
// Wall-clock times skipped by a daylight-saving change fire at the instant
// the clocks jump (the first valid instant after the gap); wall-clock times
// that occur twice fire once, at their first occurrence. See the package
// documentation.
func (r *Rule) Next(after time.Time, loc *time.Location) (time.Time, bool) {
	if loc == nil {
		loc = after.Location()
	}
	a := after.In(loc)
	if a.Year() > MaxYear {
		return time.Time{}, false
	}
	start := mkCivil(MinYear, 1, 1, 0, 0, 0)
	if a.Year() >= MinYear {
		start = startCivil(a)
	}
	for {
		c, ok := r.nextCivil(start)
		if !ok {
			return time.Time{}, false
		}
		if t := resolve(c, loc); t.After(after) {
			return t, true
		}
		// Not reached for real time zones (startCivil already skips wall
		// clock times that map to instants <= after); kept as a safety net.
		start = c + 1
	}
}

// NextN returns up to n successive fire times after after (see [Rule.Next]).
// It returns fewer when the rule stops firing, and nil when n <= 0.
func (r *Rule) NextN(after time.Time, loc *time.Location, n int) []time.Time {
	var out []time.Time
	for len(out) < n {
		t, ok := r.Next(after, loc)
		if !ok {
			break
		}
		out = append(out, t)
		after = t
	}
	return out
}

// civil is a wall-clock time to the second, as seconds since 1970-01-01
// 00:00:00 of a clock with no time zone.
type civil int64

func civilOf(t time.Time) civil {
	y, m, d := t.Date()
	h, mi, s := t.Clock()
	return mkCivil(y, int(m), d, h, mi, s)
}

func mkCivil(y, m, d, h, mi, s int) civil {
	return civil(daysFromCivil(y, m, d)*86400 + int64(h*3600+mi*60+s))
}

// split returns the date and clock of c.
func (c civil) split() (y, m, d, h, mi, s int) {
	days := int64(c) / 86400
	secs := int(int64(c) - days*86400)
	if secs < 0 {
		days--
		secs += 86400
	}
	y, m, d = civilFromDays(days)
	return y, m, d, secs / 3600, secs / 60 % 60, secs % 60
}

// startCivil returns the earliest wall-clock second whose fire instant is
// after a (a is already in the evaluation location).
func startCivil(a time.Time) civil {
	start := civilOf(a) + 1
	// If a lies in the second pass of a repeated wall-clock period (clocks
	// went back at zs), every wall-clock time of that period fires at its
	// first occurrence, which is before a: start after the period.
	zs, _ := a.ZoneBounds()
	if zs.IsZero() {
		return start
	}
	_, off := a.Zone()
	_, prevOff := zs.Add(-time.Second).Zone()
	if overlap := prevOff - off; overlap > 0 && a.Sub(zs) < time.Duration(overlap)*time.Second {
		if end := civilOf(zs) + civil(overlap); end > start {
			return end
		}
	}
	return start
}

// resolve converts wall-clock time c in loc to an instant: a time in a
// daylight-saving gap becomes the instant the gap ends; an ambiguous time
// becomes its first occurrence.
func resolve(c civil, loc *time.Location) time.Time {
	y, m, d, h, mi, s := c.split()
	t := time.Date(y, time.Month(m), d, h, mi, s, 0, loc)
	zs, ze := t.ZoneBounds()
	if civilOf(t) != c {
		// c does not exist. time.Date normalised it using the offset on one
		// side of the gap, so the gap's transition is one of t's zone bounds.
		for _, tr := range []time.Time{zs, ze} {
			if tr.IsZero() {
				continue
			}
			_, before := tr.Add(-time.Second).Zone()
			_, after := tr.Zone()
			begin := civilOf(tr) - civil(after-before) // wall clock just before the jump
			if begin <= c && c < civilOf(tr) {
				return tr
			}
		}
		return t
	}
	// c exists; if clocks went back at zs and c also existed before zs,
	// prefer that earlier occurrence.
	if !zs.IsZero() {
		_, off := t.Zone()
		_, prevOff := zs.Add(-time.Second).Zone()
		if prevOff > off {
			if early := t.Add(-time.Duration(prevOff-off) * time.Second); early.Before(zs) && civilOf(early) == c {
				return early
			}
		}
	}
	return t
}

// nextCivil returns the first wall-clock second >= start that the rule
// matches, skipping whole years, months, days, hours and minutes that
// cannot match. It returns false past the end of MaxYear.
func (r *Rule) nextCivil(start civil) (civil, bool) {
	y, mo, d, h, mi, s := start.split()
	if y < MinYear {
		y, mo, d, h, mi, s = MinYear, 1, 1, 0, 0, 0
	}
	maskY, maskM, mask := 0, 0, uint64(0) // cached day mask of (maskY, maskM)
	for y <= MaxYear {
		ny := r.sets[fYear].next(y-MinYear) + MinYear
		if ny < MinYear || ny > MaxYear {
			return 0, false
		}
		if ny != y {
			y, mo, d, h, mi, s = ny, 1, 1, 0, 0, 0
		}
		nm := r.sets[fMonth].next(mo)
		if nm < 0 || nm > 12 {
			y, mo, d, h, mi, s = y+1, 1, 1, 0, 0, 0
			continue
		}
		if nm != mo {
			mo, d, h, mi, s = nm, 1, 0, 0, 0
		}
		if maskY != y || maskM != mo {
			maskY, maskM, mask = y, mo, r.dayMask(y, mo)
		}
		nd := nextBit(mask, d)
		if nd < 0 {
			mo, d, h, mi, s = mo+1, 1, 0, 0, 0
			if mo > 12 {
				y, mo = y+1, 1
			}
			continue
		}
		if nd != d {
			d, h, mi, s = nd, 0, 0, 0
		}
		nh := r.sets[fHour].next(h)
		if nh < 0 || nh > 23 {
			d, h, mi, s = d+1, 0, 0, 0
			continue
		}
		if nh != h {
			h, mi, s = nh, 0, 0
		}
		nmi := r.sets[fMinute].next(mi)
		if nmi < 0 || nmi > 59 {
			h, mi, s = h+1, 0, 0
			continue
		}
		if nmi != mi {
			mi, s = nmi, 0
		}
		ns := r.sets[fSecond].next(s)
		if ns < 0 || ns > 59 {
			mi, s = mi+1, 0
			continue
		}
		return mkCivil(y, mo, d, h, mi, ns), true
	}
	return 0, false
}

// dayMask returns the days of month m of year y the rule fires on, as bits
// 1-31.
func (r *Rule) dayMask(y, m int) uint64 {
	dim := daysIn(y, m)
	first := weekday(y, m, 1) // 0 = Sunday
	switch r.days {
	case dayOfMonth:
		return r.sets[fDOM][0] & (1<<(dim+1) - 2)
	case dayLast:
		d := dim - r.offset
		if d < 1 {
			return 0
		}
		if r.weekday {
			d = nearestWeekday(d, dim, first)
		}
		return 1 << d
	case dayNearest:
		if r.dayArg > dim {
			return 0 // e.g. 31W in a 30-day month: there is no 31st to be near
		}
		return 1 << nearestWeekday(r.dayArg, dim, first)
	case dayOfWeek:
		var mask uint64
		for d := 1; d <= dim; d++ {
			if r.sets[fDOW].has((first+d-1)%7 + 1) {
				mask |= 1 << d
			}
		}
		return mask
	case dayLastOfWeek:
		last := (first + dim - 1) % 7
		return 1 << (dim - (last-(r.dayArg-1)+7)%7)
	case dayNthOfWeek:
		d := 1 + (r.dayArg-1-first+7)%7 + 7*(r.nth-1)
		if d > dim {
			return 0 // no 5th such weekday this month
		}
		return 1 << d
	}
	return 0
}

// nearestWeekday returns the Monday-Friday day nearest to day d of a month of
// dim days starting on weekday first, without leaving the month (Quartz 'W').
func nearestWeekday(d, dim, first int) int {
	switch (first + d - 1) % 7 {
	case 6: // Saturday: the Friday before, or Monday 3rd if d is the 1st
		if d == 1 {
			return 3
		}
		return d - 1
	case 0: // Sunday: the Monday after, or Friday if d is the last day
		if d == dim {
			return d - 2
		}
		return d + 1
	}
	return d
}

// nextBit returns the smallest set bit index >= i in mask, or -1.
func nextBit(mask uint64, i int) int {
	if i > 63 {
		return -1
	}
	mask &= ^uint64(0) << uint(i)
	if mask == 0 {
		return -1
	}
	return bits.TrailingZeros64(mask)
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y, m int) int {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// weekday returns the day of the week of y-m-d, 0 = Sunday.
func weekday(y, m, d int) int {
	w := (daysFromCivil(y, m, d) + 4) % 7 // 1970-01-01 was a Thursday
	if w < 0 {
		w += 7
	}
	return int(w)
}

// daysFromCivil returns the number of days from 1970-01-01 to y-m-d in the
// proleptic Gregorian calendar (H. Hinnant's algorithm).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int64) (y, m, d int) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = int(doy - (153*mp+2)/5 + 1)
	m = int(mp + 3)
	if m > 12 {
		m -= 12
	}
	y = int(yoe + era*400)
	if m <= 2 {
		y++
	}
	return y, m, d
}
