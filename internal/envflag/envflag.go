// Package envflag is a flag.FlagSet whose flags take their defaults from
// environment variables, for the VITRINE_* configuration of the commands.
//
// Unlike reading a variable with its parse error ignored, a Set remembers
// what was wrong: Parse fails with the variable's (or flag's) name and the
// bad value, and each flag may carry checks (Min, OneOf) that name them the
// same way. Flags are registered in groups, and the usage lists them by
// group with their variables.
package envflag

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Set is a group of flags, each with an environment variable as its
// default. A flag given on the command line wins over its variable.
type Set struct {
	name    string
	fs      *flag.FlagSet
	lookup  func(string) (string, bool)
	flags   []*entry
	byName  map[string]*entry
	group   string
	summary string
}

type entry struct {
	name, env, usage, group, def string
	v                            value
	raw                          string // the value as given, flag or variable
	fromEnv                      bool
}

// Set and String make an entry the flag.Value the FlagSet holds, so the
// value is remembered as the user wrote it.
func (e *entry) Set(raw string) error {
	e.raw = raw
	return e.v.Set(raw)
}

func (e *entry) String() string {
	if e == nil || e.v == nil {
		return ""
	}
	return e.v.String()
}

// IsBoolFlag lets boolean flags be given without a value.
func (e *entry) IsBoolFlag() bool { return e.v.kind() == KindBool }

// value is a flag.Value with its kind (for usage and tests) and the
// checks of its final value.
type value interface {
	flag.Value
	kind() Kind
	check() error
}

// Kind is the type of a flag's value.
type Kind string

// The kinds of flags.
const (
	KindString   Kind = "string"
	KindBool     Kind = "bool"
	KindInt      Kind = "int"
	KindBytes    Kind = "bytes"
	KindDuration Kind = "duration"
)

// New returns an empty Set for the command name. lookup reads the
// environment (os.LookupEnv in main); output receives usage and flag
// errors.
func New(name string, lookup func(string) (string, bool), output io.Writer) *Set {
	s := &Set{name: name, fs: flag.NewFlagSet(name, flag.ContinueOnError), lookup: lookup, byName: map[string]*entry{}}
	s.fs.SetOutput(output)
	s.fs.Usage = func() { s.PrintUsage(s.fs.Output()) }
	return s
}

// Summary sets the line printed above the flags in the usage.
func (s *Set) Summary(text string) { s.summary = text }

// Group starts a group: the flags registered next are listed under title.
func (s *Set) Group(title string) { s.group = title }

func (s *Set) add(name, env, usage string, v value) {
	if _, dup := s.byName[name]; dup {
		panic("envflag: flag " + name + " registered twice")
	}
	e := &entry{name: name, env: env, usage: usage, group: s.group, def: v.String(), v: v}
	s.flags = append(s.flags, e)
	s.byName[name] = e
	s.fs.Var(e, name, usage)
}

// Parse parses the command line, then the variables of the flags not
// given on it, then runs every flag's checks. It returns all the problems
// found, each naming the flag or variable and the bad value. A bad flag on
// the command line is reported by the flag package (with the usage) and
// stops there; flag.ErrHelp is returned for -h.
func (s *Set) Parse(args []string) error {
	if err := s.fs.Parse(args); err != nil {
		return err
	}
	given := map[string]bool{}
	s.fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var errs []error
	for _, e := range s.flags {
		if given[e.name] || e.env == "" {
			continue
		}
		raw, ok := s.lookup(e.env)
		if !ok || raw == "" {
			continue
		}
		if err := e.Set(raw); err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: %w", e.env, raw, err))
			continue
		}
		e.fromEnv = true
	}
	for _, e := range s.flags {
		if err := e.v.check(); err != nil {
			errs = append(errs, s.Errorf(e.name, "%w", err))
		}
	}
	return errors.Join(errs...)
}

// Args returns the arguments left after the flags.
func (s *Set) Args() []string { return s.fs.Args() }

// Source names where flag name's value came from: its variable when the
// value was read from the environment, else the flag.
func (s *Set) Source(name string) string {
	e, ok := s.byName[name]
	switch {
	case !ok:
		return "--" + name
	case e.fromEnv:
		return e.env
	default:
		return "--" + name
	}
}

// Errorf returns an error about flag name's value, naming its source and
// the value as given: VITRINE_JOB_WORKERS="0": must be at least 1.
func (s *Set) Errorf(name, format string, args ...any) error {
	e, ok := s.byName[name]
	if !ok {
		return fmt.Errorf("--%s: %w", name, fmt.Errorf(format, args...))
	}
	if e.fromEnv {
		return fmt.Errorf("%s=%q: %w", e.env, e.raw, fmt.Errorf(format, args...))
	}
	raw := e.raw
	if raw == "" {
		raw = e.v.String() // the default
	}
	return fmt.Errorf("--%s=%q: %w", name, raw, fmt.Errorf(format, args...))
}

// Flag describes one registered flag.
type Flag struct {
	Name, Env, Group, Usage, Default string
	Kind                             Kind
}

// Flags lists the registered flags in registration order.
func (s *Set) Flags() []Flag {
	out := make([]Flag, 0, len(s.flags))
	for _, e := range s.flags {
		out = append(out, Flag{Name: e.name, Env: e.env, Group: e.group, Usage: e.usage, Default: e.def, Kind: e.v.kind()})
	}
	return out
}

// PrintUsage writes the usage: the summary, then the flags by group, each
// with its variable and default.
func (s *Set) PrintUsage(w io.Writer) {
	if s.summary != "" {
		fmt.Fprintln(w, s.summary)
	} else {
		fmt.Fprintf(w, "usage: %s [flags]\n", s.name)
	}
	group := "\x00"
	for _, e := range s.flags {
		if e.group != group {
			group = e.group
			fmt.Fprintf(w, "\n%s:\n", group)
		}
		line := "  --" + e.name
		if e.v.kind() != KindBool {
			line += " " + strings.ToUpper(string(e.v.kind()))
		}
		if e.env != "" {
			line += "  [" + e.env + "]"
		}
		fmt.Fprintln(w, line)
		usage := e.usage
		if e.def != "" && !(e.v.kind() == KindBool && e.def == "false") {
			usage += fmt.Sprintf(" (default %s)", e.def)
		}
		fmt.Fprintf(w, "      %s\n", usage)
	}
}
