package envflag

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
)

// Check is a rule on a flag's final value, run by Parse.
type Check[T any] func(T) error

// Min requires a value of at least min.
func Min[T cmp.Ordered](min T) Check[T] {
	return func(v T) error {
		if v < min {
			return fmt.Errorf("must be at least %v", min)
		}
		return nil
	}
}

// Positive requires a value above zero.
func Positive[T cmp.Ordered]() Check[T] {
	return func(v T) error {
		var zero T
		if v <= zero {
			return errors.New("must be positive")
		}
		return nil
	}
}

// OneOf requires one of the given strings.
func OneOf(allowed ...string) Check[string] {
	return func(v string) error {
		for _, a := range allowed {
			if v == a {
				return nil
			}
		}
		return fmt.Errorf("must be %s", strings.Join(allowed, " or "))
	}
}

type typed[T any] struct {
	p      *T
	k      Kind
	parse  func(string) (T, error)
	format func(T) string
	checks []Check[T]
}

func (v *typed[T]) Set(s string) error {
	x, err := v.parse(s)
	if err != nil {
		return err
	}
	*v.p = x
	return nil
}

func (v *typed[T]) String() string { return v.format(*v.p) }
func (v *typed[T]) kind() Kind     { return v.k }

func (v *typed[T]) check() error {
	for _, c := range v.checks {
		if err := c(*v.p); err != nil {
			return err
		}
	}
	return nil
}

// String registers a string flag; *p holds its default.
func (s *Set) String(p *string, name, env, usage string, checks ...Check[string]) {
	s.add(name, env, usage, &typed[string]{p: p, k: KindString, checks: checks,
		parse: func(x string) (string, error) { return x, nil }, format: func(x string) string { return x }})
}

// Bool registers a boolean flag: true or false (also 1, 0, t, f).
func (s *Set) Bool(p *bool, name, env, usage string) {
	s.add(name, env, usage, &typed[bool]{p: p, k: KindBool, parse: parseBool, format: strconv.FormatBool})
}

// Int registers an integer flag.
func (s *Set) Int(p *int, name, env, usage string, checks ...Check[int]) {
	s.add(name, env, usage, &typed[int]{p: p, k: KindInt, checks: checks, parse: parseInt, format: strconv.Itoa})
}

// Bytes registers a size in bytes: plain bytes (2147483648) or with a
// unit, decimal (2GB, 500kB) or binary (2GiB, 512MiB).
func (s *Set) Bytes(p *int64, name, env, usage string, checks ...Check[int64]) {
	s.add(name, env, usage, &typed[int64]{p: p, k: KindBytes, checks: checks, parse: ParseBytes, format: FormatBytes})
}

// Duration registers a duration flag: 90s, 2m, 1h30m.
func (s *Set) Duration(p *time.Duration, name, env, usage string, checks ...Check[time.Duration]) {
	s.add(name, env, usage, &typed[time.Duration]{p: p, k: KindDuration, checks: checks, parse: parseDuration,
		format: time.Duration.String})
}

func parseBool(s string) (bool, error) {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, errors.New("not a boolean: use true or false")
	}
	return b, nil
}

func parseInt(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, errors.New("not a whole number")
	}
	return n, nil
}

func parseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, errors.New("not a duration: use a number with a unit, like 90s, 2m or 1h30m")
	}
	return d, nil
}

// ParseBytes parses a size: plain bytes, or a number with a decimal (kB,
// MB, GB, TB) or binary (KiB, MiB, GiB, TiB) unit.
func ParseBytes(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	n, err := humanize.ParseBytes(s)
	if err != nil || strings.HasPrefix(s, "-") {
		return 0, errors.New("not a size: use bytes, or a number with a unit like 500MB or 2GiB")
	}
	if n > math.MaxInt64 {
		return 0, errors.New("too large")
	}
	return int64(n), nil
}

// FormatBytes writes a size the way ParseBytes reads it: with the largest
// binary unit that divides it exactly, else in bytes.
func FormatBytes(n int64) string {
	for _, u := range []struct {
		name string
		size int64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n != 0 && n%u.size == 0 {
			return strconv.FormatInt(n/u.size, 10) + u.name
		}
	}
	return strconv.FormatInt(n, 10)
}
