package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vitrine/vitrine/internal/envflag"
)

// badValues holds a value each kind of flag refuses.
var badValues = map[envflag.Kind]string{
	envflag.KindInt:      "abc",
	envflag.KindBytes:    "2XB",
	envflag.KindDuration: "5",
	envflag.KindBool:     "maybe",
}

// configCase is one bad setting: Main must exit non-zero, say want (the
// variable and the value, or the flag), and leave the data directory
// alone.
type configCase struct {
	name    string
	command string // serve or edge
	env     [2]string
	args    []string
	want    []string
}

// configCases lists a bad value for every numeric, duration and boolean
// variable of serve and edge, read from their registered flags, and the
// out-of-range and cross-flag mistakes.
func configCases(t *testing.T) []configCase {
	t.Helper()
	var cases []configCase
	seen := map[string]bool{}
	for command, set := range map[string]*envflag.Set{
		"serve": func() *envflag.Set { _, s := newServeFlags(os.LookupEnv, io.Discard); return s }(),
		"edge":  func() *envflag.Set { _, s := newEdgeFlags(os.LookupEnv, io.Discard); return s }(),
	} {
		for _, f := range set.Flags() {
			bad, ok := badValues[f.Kind]
			if !ok {
				continue
			}
			seen[f.Env] = true
			cases = append(cases, configCase{name: command + "/" + f.Env, command: command, env: [2]string{f.Env, bad},
				want: []string{fmt.Sprintf("%s=%q", f.Env, bad)}})
		}
	}
	for _, v := range []string{"VITRINE_JOB_WORKERS", "VITRINE_JOB_TICK", "VITRINE_JOB_RESCUE_AFTER", "VITRINE_MAX_UPLOAD",
		"VITRINE_TLS_SELF_SIGNED", "VITRINE_ALLOW_PRIVATE_FETCH", "VITRINE_EDGE_MEMORY_BYTES", "VITRINE_EDGE_DISK_BYTES",
		"VITRINE_EDGE_MAX_OBJECT_BYTES", "VITRINE_EDGE_PURGE_MAX_SKEW", "VITRINE_EDGE_STALE_WHILE_REVALIDATE", "VITRINE_EDGE_ORIGIN_TIMEOUT"} {
		if !seen[v] {
			t.Errorf("no bad-value case for %s", v)
		}
	}
	for _, c := range []configCase{
		{"serve", "serve", [2]string{"VITRINE_JOB_WORKERS", "0"}, nil, []string{`VITRINE_JOB_WORKERS="0"`, "at least 1"}},
		{"serve", "serve", [2]string{"VITRINE_JOB_WORKERS", "-2"}, nil, []string{`VITRINE_JOB_WORKERS="-2"`}},
		{"serve", "serve", [2]string{"VITRINE_JOB_TICK", "0s"}, nil, []string{`VITRINE_JOB_TICK="0s"`}},
		{"serve", "serve", [2]string{"VITRINE_JOB_RESCUE_AFTER", "10ms"}, nil, []string{`VITRINE_JOB_RESCUE_AFTER="10ms"`, "at least 1s"}},
		{"serve", "serve", [2]string{"VITRINE_MAX_UPLOAD", "0"}, nil, []string{`VITRINE_MAX_UPLOAD="0"`}},
		{"serve", "serve", [2]string{"VITRINE_MAX_UPLOAD", "two gigs"}, nil, []string{`VITRINE_MAX_UPLOAD="two gigs"`}},
		{"serve", "serve", [2]string{"VITRINE_MISSED_RUNS", "never"}, nil, []string{`VITRINE_MISSED_RUNS="never"`, "catch_up_once or skip"}},
		{"serve", "serve", [2]string{"VITRINE_BLOBS", "/var/blobs"}, nil, []string{`VITRINE_BLOBS="/var/blobs"`, "file:///path"}},
		{"serve", "serve", [2]string{"VITRINE_BLOBS", "s3://media?part_size=1MiB"}, nil, []string{`VITRINE_BLOBS="s3://media?part_size=1MiB"`, "5 MiB"}},
		{"serve", "serve", [2]string{"VITRINE_LOG_FORMAT", "xml"}, nil, []string{`VITRINE_LOG_FORMAT="xml"`}},
		{"serve", "serve", [2]string{"VITRINE_INIT_COMPANY", "Not A Company"}, nil, []string{`VITRINE_INIT_COMPANY="Not A Company"`}},
		{"serve", "serve", [2]string{"VITRINE_ADMIN_TOKEN", "short"}, nil, []string{"VITRINE_ADMIN_TOKEN", "at least 16"}},
		{"serve", "serve", [2]string{"VITRINE_EDGES", "http://127.0.0.1:1"}, nil, []string{"VITRINE_EDGES needs --purge-secret"}},
		{"serve", "serve", [2]string{"VITRINE_PURGE_SECRET", "short"}, []string{"--edges", "http://127.0.0.1:1"}, []string{"VITRINE_PURGE_SECRET", "at least 16"}},
		{"serve", "serve", [2]string{"VITRINE_VARNISH", "varnish:6081"}, nil, []string{`VITRINE_VARNISH="varnish:6081"`}},
		{"serve", "serve", [2]string{"VITRINE_TLS_CERT", "missing.pem"}, nil, []string{"VITRINE_TLS_CERT and --tls-key go together"}},
		{"serve", "serve", [2]string{"VITRINE_TLS_CERT", "missing.pem"}, []string{"--tls-key", "missing-key.pem"}, []string{`VITRINE_TLS_CERT="missing.pem"`}},
		{"serve", "serve", [2]string{}, []string{"--job-workers", "abc"}, []string{`"abc"`, "-job-workers"}},
		{"serve", "serve", [2]string{}, []string{"--job-workers", "0"}, []string{`--job-workers="0"`}},
		{"edge", "edge", [2]string{"VITRINE_EDGE_MEMORY_BYTES", "0"}, nil, []string{`VITRINE_EDGE_MEMORY_BYTES="0"`}},
		{"edge", "edge", [2]string{"VITRINE_EDGE_PURGE_MAX_SKEW", "0s"}, nil, []string{`VITRINE_EDGE_PURGE_MAX_SKEW="0s"`}},
		{"edge", "edge", [2]string{"VITRINE_EDGE_ORIGIN_TIMEOUT", "-1s"}, nil, []string{`VITRINE_EDGE_ORIGIN_TIMEOUT="-1s"`}},
		{"edge", "edge", [2]string{"VITRINE_EDGE_STALE_WHILE_REVALIDATE", "-1s"}, nil, []string{`VITRINE_EDGE_STALE_WHILE_REVALIDATE="-1s"`}},
		{"edge", "edge", [2]string{"VITRINE_PURGE_SECRET", "short"}, nil, []string{"--purge-secret", "at least 16"}}, // the flag given wins
		{"edge", "edge", [2]string{"VITRINE_PURGE_SECRET", ""}, nil, []string{"--purge-secret", "is required"}},
		{"edge", "edge", [2]string{"VITRINE_EDGE_FORWARD_HEADERS", "Accept,Cookie"}, nil, []string{"Cookie"}},
	} {
		if c.env[0] != "" {
			c.name += "/" + c.env[0] + "=" + c.env[1]
		}
		if len(c.args) > 0 {
			c.name += "/" + strings.Join(c.args, " ")
		}
		cases = append(cases, c)
	}
	return cases
}

// TestBadConfigNamesIt runs Main in-process with each bad setting: it must
// fail naming the variable (or flag) and its value, before the data
// directory (serve) or the disk tier (edge) is created. The context is
// cancelled, so a setting wrongly accepted ends the command at once
// instead of serving, and the directory it made fails the test.
func TestBadConfigNamesIt(t *testing.T) {
	// Not parallel: t.Setenv.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, c := range configCases(t) {
		t.Run(c.name, func(t *testing.T) {
			if c.env[0] != "" {
				t.Setenv(c.env[0], c.env[1])
			}
			dir := filepath.Join(t.TempDir(), "data")
			var args []string
			switch c.command {
			case "serve":
				args = []string{"serve", "--data", dir, "--addr", "127.0.0.1:0"}
			case "edge":
				args = []string{"edge", "--origin", "http://127.0.0.1:1", "--purge-secret", "edge-secret-0123456789", "--disk-dir", dir, "--addr", "127.0.0.1:0"}
				if c.env[0] == "VITRINE_PURGE_SECRET" {
					args[4] = c.env[1]
				}
			}
			var stderr strings.Builder
			code := Main(ctx, append(args, c.args...), io.Discard, &stderr)
			if code == 0 {
				t.Errorf("Main(%q) with %s=%q = 0, want a failure", args, c.env[0], c.env[1])
			}
			for _, w := range c.want {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("Main(%q) with %s=%q said\n%s\nwant it to contain %s", args, c.env[0], c.env[1], stderr.String(), w)
				}
			}
			if c.env[0] == "VITRINE_ADMIN_TOKEN" || c.env[0] == "VITRINE_PURGE_SECRET" {
				if strings.Contains(stderr.String(), `"short"`) {
					t.Errorf("the error shows the secret: %s", stderr.String())
				}
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("Main(%q) with %s=%q touched %s (stat: %v)", args, c.env[0], c.env[1], dir, err)
			}
		})
	}
}

// TestServeHelpGroupsFlags: --help lists the flags by component, each
// with its variable, on stdout, and exits 0.
func TestServeHelpGroupsFlags(t *testing.T) {
	t.Parallel()
	var stdout strings.Builder
	if code := Main(context.Background(), []string{"serve", "--help"}, &stdout, io.Discard); code != 0 {
		t.Errorf("serve --help = %d, want 0", code)
	}
	out := stdout.String()
	last := -1
	for _, w := range []string{"Server:", "--max-upload BYTES  [VITRINE_MAX_UPLOAD]", "Storage:", "--data STRING  [VITRINE_DATA]",
		"Jobs:", "--job-workers INT  [VITRINE_JOB_WORKERS]", "CDN and edges:", "--edges STRING  [VITRINE_EDGES]", "Logging and debugging:"} {
		i := strings.Index(out, w)
		if i < last {
			t.Errorf("serve --help lacks %q after the previous group:\n%s", w, out)
		}
		last = i
	}
}
