package cron

import (
	"fmt"
	"strconv"
	"strings"
)

// dayMode says which of day-of-month and day-of-week selects the days, and how.
type dayMode uint8

const (
	dayOfMonth    dayMode = iota // value list in day-of-month; day-of-week is '?'
	dayLast                      // L, L-n, LW or L-nW in day-of-month
	dayNearest                   // nW in day-of-month
	dayOfWeek                    // value list in day-of-week; day-of-month is '?'
	dayLastOfWeek                // nL in day-of-week
	dayNthOfWeek                 // n#k in day-of-week
)

// Rule is a parsed Quartz-style cron rule. Obtain one from [Parse] or
// [MustParse]; the zero value is not a usable rule. A Rule is immutable and
// safe for concurrent use. Rules can be compared with ==; parsing a rule's
// String() yields an equal Rule.
type Rule struct {
	sets    [numFields]bitset // value sets; sets[fDOM] and sets[fDOW] only in list modes
	hasYear bool              // the rule had a 7th (year) field
	days    dayMode
	offset  int  // dayLast: days before the last day of the month (L-offset)
	weekday bool // dayLast: nearest weekday modifier (LW, L-nW)
	dayArg  int  // dayNearest: day of month; dayLastOfWeek, dayNthOfWeek: weekday 1-7
	nth     int  // dayNthOfWeek: 1-5
}

// MustParse is like [Parse] but panics if expr is invalid. It is meant for
// rules that are constants in the program.
func MustParse(expr string) *Rule {
	r, err := Parse(expr)
	if err != nil {
		panic(err)
	}
	return r
}

// Parse parses a Quartz-style cron rule of 6 or 7 whitespace-separated
// fields: seconds minutes hours day-of-month month day-of-week [year].
// See the package documentation for the accepted syntax. Errors are of type
// *[ParseError].
func Parse(expr string) (*Rule, error) {
	toks := strings.Fields(expr)
	if len(toks) != 6 && len(toks) != 7 {
		reason := fmt.Sprintf("expected 6 or 7 fields (seconds minutes hours day-of-month month day-of-week [year]), got %d", len(toks))
		if len(toks) == 5 {
			reason += "; rules start with a seconds field, e.g. \"0 15 10 ? * MON-FRI\""
		}
		return nil, &ParseError{Value: expr, Reason: reason}
	}
	r := &Rule{}
	for _, f := range []fieldID{fSecond, fMinute, fHour, fMonth} {
		s, err := parseList(f, toks[f])
		if err != nil {
			return nil, err
		}
		r.sets[f] = s
	}
	if len(toks) == 7 {
		s, err := parseList(fYear, toks[fYear])
		if err != nil {
			return nil, err
		}
		r.sets[fYear], r.hasYear = s, true
	} else {
		r.sets[fYear] = full(fYear)
	}
	domAny, err := r.parseDOM(toks[fDOM])
	if err != nil {
		return nil, err
	}
	dowAny, err := r.parseDOW(toks[fDOW])
	if err != nil {
		return nil, err
	}
	switch {
	case domAny && dowAny:
		return nil, &ParseError{Field: fields[fDOM].name, Value: toks[fDOM],
			Reason: "day-of-month and day-of-week cannot both be '?'; give one of them a value ('*' for every day)"}
	case !domAny && !dowAny:
		return nil, &ParseError{Field: fields[fDOW].name, Value: toks[fDOW],
			Reason: fmt.Sprintf("cannot be combined with day-of-month %q: exactly one of day-of-month and day-of-week must be '?'", toks[fDOM])}
	}
	return r, nil
}

// String returns the rule in canonical form: numbers instead of names,
// value sets written as "*", "start/step" or lists of values and ranges.
// The result parses back to an equal Rule.
func (r *Rule) String() string {
	parts := make([]string, 0, numFields)
	parts = append(parts, render(fSecond, r.sets[fSecond]), render(fMinute, r.sets[fMinute]), render(fHour, r.sets[fHour]))
	dom, dow := "?", "?"
	switch r.days {
	case dayOfMonth:
		dom = render(fDOM, r.sets[fDOM])
	case dayLast:
		dom = "L"
		if r.offset > 0 {
			dom += "-" + strconv.Itoa(r.offset)
		}
		if r.weekday {
			dom += "W"
		}
	case dayNearest:
		dom = strconv.Itoa(r.dayArg) + "W"
	case dayOfWeek:
		dow = render(fDOW, r.sets[fDOW])
	case dayLastOfWeek:
		dow = strconv.Itoa(r.dayArg) + "L"
	case dayNthOfWeek:
		dow = strconv.Itoa(r.dayArg) + "#" + strconv.Itoa(r.nth)
	}
	parts = append(parts, dom, render(fMonth, r.sets[fMonth]), dow)
	if r.hasYear {
		parts = append(parts, render(fYear, r.sets[fYear]))
	}
	return strings.Join(parts, " ")
}

// parseDOM parses the day-of-month field; it reports whether it was '?'.
func (r *Rule) parseDOM(tok string) (bool, error) {
	up := upper(tok)
	fail := func(format string, args ...any) (bool, error) {
		return false, &ParseError{Field: fields[fDOM].name, Value: tok, Reason: fmt.Sprintf(format, args...)}
	}
	switch {
	case up == "?":
		return true, nil
	case strings.HasPrefix(up, "L"):
		if strings.ContainsAny(up, ",/") {
			return fail("'L' cannot be combined with a list or an increment")
		}
		rest := up[1:]
		if strings.HasSuffix(rest, "W") {
			r.weekday = true
			rest = rest[:len(rest)-1]
		}
		if rest != "" {
			n, ok := atoi(strings.TrimPrefix(rest, "-"))
			if rest[0] != '-' || !ok {
				return fail("'L' may only be followed by -n (days before the last day) and/or W, e.g. L, L-3, LW")
			}
			if n > 30 {
				return fail("offset %s after 'L-' is out of range 0-30", rest[1:])
			}
			r.offset = n
		}
		r.days = dayLast
	case strings.HasSuffix(up, "W"):
		n, ok := atoi(up[:len(up)-1])
		if !ok {
			return fail("'W' must follow a single day of the month, e.g. 15W (not a list, range or increment)")
		}
		if n < 1 || n > 31 {
			return fail("%s is out of range 1-31", up[:len(up)-1])
		}
		r.days, r.dayArg = dayNearest, n
	default:
		s, err := parseList(fDOM, tok)
		if err != nil {
			return false, err
		}
		r.sets[fDOM], r.days = s, dayOfMonth
	}
	return false, nil
}

// parseDOW parses the day-of-week field; it reports whether it was '?'.
func (r *Rule) parseDOW(tok string) (bool, error) {
	up := upper(tok)
	fail := func(format string, args ...any) (bool, error) {
		return false, &ParseError{Field: fields[fDOW].name, Value: tok, Reason: fmt.Sprintf(format, args...)}
	}
	// single parses the weekday in front of '#' or 'L'.
	single := func(s, example string) (int, string) {
		if !isValue(fDOW, s) {
			return 0, "must follow a single day of the week, e.g. " + example + " (not a list, range or increment)"
		}
		return value(fDOW, s)
	}
	switch {
	case up == "?":
		return true, nil
	case up == "L": // Quartz: 'L' alone in day-of-week is 7, Saturday.
		r.sets[fDOW].add(7)
		r.days = dayOfWeek
	case strings.Contains(up, "#"):
		if strings.Contains(up, ",") {
			return fail("'#' cannot be combined with a list (one nth weekday per rule)")
		}
		day, nth, _ := strings.Cut(up, "#")
		d, reason := single(day, "6#3")
		if reason != "" {
			return fail("'#' %s", reason)
		}
		n, ok := atoi(nth)
		if !ok || n < 1 || n > 5 {
			return fail("'#' must be followed by a number 1-5, e.g. 6#3 for the third Friday")
		}
		r.days, r.dayArg, r.nth = dayNthOfWeek, d, n
	case strings.HasSuffix(up, "L"):
		if strings.Contains(up, ",") {
			return fail("'L' cannot be combined with a list")
		}
		d, reason := single(up[:len(up)-1], "6L")
		if reason != "" {
			return fail("'L' %s", reason)
		}
		r.days, r.dayArg = dayLastOfWeek, d
	default:
		s, err := parseList(fDOW, tok)
		if err != nil {
			return false, err
		}
		r.sets[fDOW], r.days = s, dayOfWeek
	}
	return false, nil
}

// parseList parses a comma-separated list of values, ranges and increments.
func parseList(f fieldID, tok string) (bitset, error) {
	var s bitset
	for _, item := range strings.Split(upper(tok), ",") {
		if reason := parseItem(f, item, &s); reason != "" {
			return s, &ParseError{Field: fields[f].name, Value: tok, Reason: reason}
		}
	}
	return s, nil
}

// parseItem adds one list element (*, v, a-b, with optional /step) to s. It
// returns a non-empty reason on error.
func parseItem(f fieldID, item string, s *bitset) string {
	spec := &fields[f]
	if item == "" {
		return "empty element in list"
	}
	if strings.Contains(item, "?") {
		if f == fDOM || f == fDOW {
			return "'?' must be the whole field"
		}
		return "'?' is only allowed in day-of-month and day-of-week"
	}
	base, stepText, hasStep := strings.Cut(item, "/")
	lo, hi, step := spec.lo, spec.hi, 1
	if hasStep {
		n, ok := atoi(stepText)
		if !ok {
			return fmt.Sprintf("'/' must be followed by an increment (a number), got %q", stepText)
		}
		if n < 1 || n > spec.maxStep {
			return fmt.Sprintf("increment %s is out of range 1-%d", stepText, spec.maxStep)
		}
		step = n
	}
	switch {
	case base == "*" || (base == "" && hasStep): // Quartz reads "/5" as "*/5"
	case strings.Contains(base, "-") && !strings.HasPrefix(base, "L-"):
		a, b, _ := strings.Cut(base, "-")
		if a == "" || b == "" {
			return fmt.Sprintf("incomplete range %q (negative numbers are not allowed)", base)
		}
		var reason string
		if lo, reason = value(f, a); reason != "" {
			return reason
		}
		if hi, reason = value(f, b); reason != "" {
			return reason
		}
		if hi < lo && !spec.wrap {
			return fmt.Sprintf("range %s is reversed (%s ranges cannot wrap around)", base, spec.name)
		}
	default:
		var reason string
		if lo, reason = value(f, base); reason != "" {
			return reason
		}
		if !hasStep {
			hi = lo
		}
	}
	s.addRange(f, lo, hi, step)
	return ""
}

// value parses a single number or name of field f.
func value(f fieldID, s string) (int, string) {
	spec := &fields[f]
	if n, ok := atoi(s); ok {
		if n < spec.lo || n > spec.hi {
			rng := fmt.Sprintf("%d-%d", spec.lo, spec.hi)
			if spec.names != nil {
				rng += " or " + spec.names[0] + "-" + spec.names[len(spec.names)-1]
			}
			if f == fDOW {
				rng += ", 1 = Sunday"
			}
			return 0, fmt.Sprintf("%s is out of range %s", s, rng)
		}
		return n, ""
	}
	for i, name := range spec.names {
		if s == name {
			return spec.lo + i, ""
		}
	}
	return 0, badValue(f, s)
}

// isValue reports whether s is syntactically a single number or name of f.
func isValue(f fieldID, s string) bool {
	if _, ok := atoi(s); ok {
		return true
	}
	for _, name := range fields[f].names {
		if s == name {
			return true
		}
	}
	return false
}

// badValue explains why s is not a value of field f, recognising special
// characters used in the wrong place.
func badValue(f fieldID, s string) string {
	spec := &fields[f]
	days := f == fDOM || f == fDOW
	switch {
	case s == "":
		return "missing value"
	case strings.Contains(s, "#"):
		if f == fDOW {
			return "'#' must be the whole field, as weekday#n, e.g. 6#3"
		}
		return "'#' is only allowed in day-of-week"
	case s == "L" || s == "LW" || strings.HasPrefix(s, "L-") || (strings.HasSuffix(s, "L") && isValue(f, s[:len(s)-1])):
		if days {
			return "'L' must be the whole field (not part of a list or range)"
		}
		return "'L' is only allowed in day-of-month and day-of-week"
	case strings.HasSuffix(s, "W") && isValue(f, s[:len(s)-1]):
		if f == fDOM {
			return "'W' must be the whole field, after a single day, e.g. 15W"
		}
		return "'W' is only allowed in day-of-month"
	case days && strings.HasSuffix(s, "C") && isValue(f, s[:len(s)-1]):
		return "'C' (calendar) is not supported"
	case spec.names != nil:
		return fmt.Sprintf("%q is not a number or a name (%s-%s)", s, spec.names[0], spec.names[len(spec.names)-1])
	default:
		return fmt.Sprintf("%q is not a number", s)
	}
}

// atoi parses an unsigned decimal number. Numbers too large for any field
// are clamped to 9999 so that they are reported as out of range.
func atoi(s string) (int, bool) {
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	s = strings.TrimLeft(s, "0")
	if len(s) > 4 {
		return 9999, true
	}
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// upper upper-cases ASCII letters only, so that no non-ASCII text can turn
// into a name (strings.ToUpper maps "ſ" to "S").
func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - ('a' - 'A')
		}
	}
	return string(b)
}
