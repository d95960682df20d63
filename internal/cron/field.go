package cron

import (
	"math/bits"
	"strconv"
	"strings"
)

// fieldID identifies one of the seven rule fields, in rule order.
type fieldID int

const (
	fSecond fieldID = iota
	fMinute
	fHour
	fDOM
	fMonth
	fDOW
	fYear
	numFields
)

// Bounds of the optional year field (Quartz limits).
const (
	MinYear = 1970 // first year a rule can fire in
	MaxYear = 2099 // last year a rule can fire in; Next gives up after it
)

// fieldSpec describes the accepted values of one field.
type fieldSpec struct {
	name    string   // used in error messages
	lo, hi  int      // inclusive value range
	base    int      // bit index = value - base
	maxStep int      // largest accepted increment after '/'
	names   []string // upper-case names for lo, lo+1, ... (month, day-of-week)
	wrap    bool     // reversed ranges (22-2) wrap around instead of failing
}

var fields = [numFields]fieldSpec{
	fSecond: {name: "seconds", lo: 0, hi: 59, maxStep: 59, wrap: true},
	fMinute: {name: "minutes", lo: 0, hi: 59, maxStep: 59, wrap: true},
	fHour:   {name: "hours", lo: 0, hi: 23, maxStep: 23, wrap: true},
	fDOM:    {name: "day-of-month", lo: 1, hi: 31, maxStep: 31, wrap: true},
	fMonth: {name: "month", lo: 1, hi: 12, maxStep: 12, wrap: true,
		names: []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}},
	fDOW: {name: "day-of-week", lo: 1, hi: 7, maxStep: 7, wrap: true,
		names: []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}},
	fYear: {name: "year", lo: MinYear, hi: MaxYear, base: MinYear, maxStep: MaxYear - MinYear},
}

// bitset holds the accepted values of a field; bit i means value i+base.
// 192 bits cover every field, the year field (130 values) being the largest.
type bitset [3]uint64

func (s *bitset) add(i int)      { s[i>>6] |= 1 << (uint(i) & 63) }
func (s *bitset) has(i int) bool { return i >= 0 && i < 192 && s[i>>6]&(1<<(uint(i)&63)) != 0 }

// next returns the smallest set index >= i, or -1 if there is none.
func (s *bitset) next(i int) int {
	if i < 0 {
		i = 0
	}
	for w := i >> 6; w < len(s); w++ {
		word := s[w]
		if w == i>>6 {
			word &= ^uint64(0) << (uint(i) & 63)
		}
		if word != 0 {
			return w<<6 + bits.TrailingZeros64(word)
		}
	}
	return -1
}

// addRange adds lo..hi (values, not indexes) stepping by step. When hi < lo
// the range wraps past the field maximum back to its minimum, as in Quartz.
func (s *bitset) addRange(f fieldID, lo, hi, step int) {
	spec := &fields[f]
	span := spec.hi - spec.lo + 1
	if hi < lo {
		hi += span
	}
	for v := lo; v <= hi; v += step {
		w := v
		if w > spec.hi {
			w -= span
		}
		s.add(w - spec.base)
	}
}

// full returns the bitset with every value of field f.
func full(f fieldID) bitset {
	var s bitset
	s.addRange(f, fields[f].lo, fields[f].hi, 1)
	return s
}

// render formats a field's value set in canonical, re-parseable form:
// "*" for every value, "a/n" for an arithmetic progression running to the
// field maximum, otherwise a list of values and ranges ("1-5,10,20-22").
func render(f fieldID, s bitset) string {
	spec := &fields[f]
	if s == full(f) {
		return "*"
	}
	var vals []int
	for i := s.next(0); i >= 0; i = s.next(i + 1) {
		vals = append(vals, i+spec.base)
	}
	if len(vals) >= 3 {
		step := vals[1] - vals[0]
		prog := step > 1 && vals[len(vals)-1]+step > spec.hi
		for k := 2; prog && k < len(vals); k++ {
			prog = vals[k]-vals[k-1] == step
		}
		if prog {
			return strconv.Itoa(vals[0]) + "/" + strconv.Itoa(step)
		}
	}
	var b strings.Builder
	for k := 0; k < len(vals); {
		j := k
		for j+1 < len(vals) && vals[j+1] == vals[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(vals[k]))
		switch {
		case j-k >= 2:
			b.WriteByte('-')
			b.WriteString(strconv.Itoa(vals[j]))
		case j-k == 1:
			b.WriteByte(',')
			b.WriteString(strconv.Itoa(vals[j]))
		}
		k = j + 1
	}
	return b.String()
}
