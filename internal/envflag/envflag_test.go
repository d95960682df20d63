package envflag_test

import (
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/vitrine/vitrine/internal/envflag"
)

type config struct {
	Name    string
	On      bool
	Workers int
	Max     int64
	Tick    time.Duration
	Mode    string
}

func newSet(env map[string]string, c *config) *envflag.Set {
	*c = config{Name: "n", Workers: 4, Max: 2 << 30, Tick: time.Second, Mode: "text"}
	s := envflag.New("test", func(k string) (string, bool) { v, ok := env[k]; return v, ok }, io.Discard)
	s.Group("General")
	s.String(&c.Name, "name", "T_NAME", "a name")
	s.Bool(&c.On, "on", "T_ON", "a switch")
	s.Group("Limits")
	s.Int(&c.Workers, "workers", "T_WORKERS", "workers", envflag.Min(1))
	s.Bytes(&c.Max, "max", "T_MAX", "largest body", envflag.Min(int64(1)))
	s.Duration(&c.Tick, "tick", "T_TICK", "tick", envflag.Min(time.Millisecond))
	s.String(&c.Mode, "mode", "T_MODE", "format", envflag.OneOf("text", "json"))
	return s
}

func TestParse(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
		want config
	}{
		{"defaults", nil, nil, config{Name: "n", Workers: 4, Max: 2 << 30, Tick: time.Second, Mode: "text"}},
		{"env", map[string]string{"T_NAME": "x", "T_ON": "true", "T_WORKERS": "8", "T_MAX": "2147483648", "T_TICK": "5s", "T_MODE": "json"}, nil,
			config{Name: "x", On: true, Workers: 8, Max: 2 << 30, Tick: 5 * time.Second, Mode: "json"}},
		{"empty variable is unset", map[string]string{"T_WORKERS": ""}, nil, config{Name: "n", Workers: 4, Max: 2 << 30, Tick: time.Second, Mode: "text"}},
		{"flag wins over a variable, even a bad one", map[string]string{"T_WORKERS": "abc"}, []string{"--workers", "2"},
			config{Name: "n", Workers: 2, Max: 2 << 30, Tick: time.Second, Mode: "text"}},
		{"bool flag without value", nil, []string{"--on"}, config{Name: "n", On: true, Workers: 4, Max: 2 << 30, Tick: time.Second, Mode: "text"}},
		{"decimal size", map[string]string{"T_MAX": "2GB"}, nil, config{Name: "n", Workers: 4, Max: 2e9, Tick: time.Second, Mode: "text"}},
		{"binary size", nil, []string{"--max", "512MiB"}, config{Name: "n", Workers: 4, Max: 512 << 20, Tick: time.Second, Mode: "text"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var c config
			s := newSet(tt.env, &c)
			if err := s.Parse(tt.args); err != nil {
				t.Fatalf("Parse(%q) with %v: %v", tt.args, tt.env, err)
			}
			if c != tt.want {
				t.Errorf("Parse(%q) with %v = %+v, want %+v", tt.args, tt.env, c, tt.want)
			}
		})
	}
}

func TestParseErrorsNameTheSource(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
		want []string // each in the error
	}{
		{"bad int", map[string]string{"T_WORKERS": "abc"}, nil, []string{`T_WORKERS="abc"`, "not a whole number"}},
		{"bad bool", map[string]string{"T_ON": "yes"}, nil, []string{`T_ON="yes"`, "not a boolean"}},
		{"bad duration", map[string]string{"T_TICK": "5"}, nil, []string{`T_TICK="5"`, "not a duration"}},
		{"bad size", map[string]string{"T_MAX": "2XB"}, nil, []string{`T_MAX="2XB"`, "not a size"}},
		{"negative size", map[string]string{"T_MAX": "-1GB"}, nil, []string{`T_MAX="-1GB"`, "not a size"}},
		{"out of range from env", map[string]string{"T_WORKERS": "0"}, nil, []string{`T_WORKERS="0"`, "at least 1"}},
		{"out of range from flag", nil, []string{"--workers=-3"}, []string{`--workers="-3"`, "at least 1"}},
		{"size out of range", map[string]string{"T_MAX": "0"}, nil, []string{`T_MAX="0"`, "at least 1"}},
		{"not one of", map[string]string{"T_MODE": "xml"}, nil, []string{`T_MODE="xml"`, "must be text or json"}},
		{"all problems at once", map[string]string{"T_WORKERS": "abc", "T_TICK": "0s"}, nil,
			[]string{`T_WORKERS="abc"`, `T_TICK="0s"`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var c config
			err := newSet(tt.env, &c).Parse(tt.args)
			if err == nil {
				t.Fatalf("Parse(%q) with %v = nil, want an error", tt.args, tt.env)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Parse(%q) with %v = %q, want it to contain %q", tt.args, tt.env, err, w)
				}
			}
		})
	}
}

func TestBadFlagValue(t *testing.T) {
	t.Parallel()
	var c config
	var out strings.Builder
	s := newSet(nil, &c)
	s2 := envflag.New("test", func(string) (string, bool) { return "", false }, &out)
	s2.Int(&c.Workers, "workers", "T_WORKERS", "workers")
	if err := s2.Parse([]string{"--workers", "abc"}); err == nil || !strings.Contains(err.Error(), `"abc"`) || !strings.Contains(err.Error(), "workers") {
		t.Errorf("Parse(--workers abc) = %v, want an error naming the flag and value", err)
	}
	if err := s.Parse([]string{"-h"}); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("Parse(-h) = %v, want flag.ErrHelp", err)
	}
}

func TestUsageGroupsFlags(t *testing.T) {
	t.Parallel()
	var c config
	var out strings.Builder
	newSet(nil, &c).PrintUsage(&out)
	got := out.String()
	for _, w := range []string{"General:\n  --name STRING  [T_NAME]\n      a name (default n)\n  --on  [T_ON]\n      a switch\n",
		"Limits:\n  --workers INT  [T_WORKERS]", "--max BYTES  [T_MAX]\n      largest body (default 2GiB)"} {
		if !strings.Contains(got, w) {
			t.Errorf("usage = \n%s\nwant it to contain %q", got, w)
		}
	}
	if strings.Index(got, "General:") > strings.Index(got, "Limits:") {
		t.Errorf("usage lists groups out of order:\n%s", got)
	}
}

func TestBytes(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		want int64
	}{{"0", 0}, {"2147483648", 2 << 30}, {"2GB", 2e9}, {"2 GiB", 2 << 30}, {"512MiB", 512 << 20}, {"500kB", 500e3}, {"1KiB", 1024}} {
		got, err := envflag.ParseBytes(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseBytes(%q) = %d, %v, want %d", tt.in, got, err, tt.want)
		}
	}
	for _, tt := range []struct {
		in   int64
		want string
	}{{2 << 30, "2GiB"}, {3072, "3KiB"}, {1536, "1536"}, {1000, "1000"}, {0, "0"}} {
		if got := envflag.FormatBytes(tt.in); got != tt.want {
			t.Errorf("FormatBytes(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
