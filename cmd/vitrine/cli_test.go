package main

import (
	"bytes"
	"context"
	"flag"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/cobra"
)

var update = flag.Bool("update", false, "rewrite testdata/help/*.golden from the current help output")

// secretMarker stands for a real token or secret in the environment: no
// help output may contain it.
const secretMarker = "vtr_SECRET_MARKER_must_not_show_0123456789"

// commandPaths lists every command's words below the root ("assets ls").
func commandPaths(c *cobra.Command, prefix []string) [][]string {
	var out [][]string
	for _, s := range c.Commands() {
		if s.Hidden || s.Name() == "help" {
			continue
		}
		p := append(append([]string{}, prefix...), s.Name())
		out = append(out, p)
		out = append(out, commandPaths(s, p)...)
	}
	return out
}

// TestHelp: every command's --help is on stdout, exits 0, matches its
// golden file, and never shows a secret from the environment; `vitrine
// help CMD` prints the same. Regenerate with go test -run TestHelp -update.
func TestHelp(t *testing.T) {
	for _, v := range []string{"VITRINE_TOKEN", "VITRINE_ADMIN_TOKEN", "VITRINE_PURGE_SECRET", "VITRINE_URL", "VITRINE_COMPANY"} {
		t.Setenv(v, secretMarker)
	}
	paths := append([][]string{nil}, commandPaths(newRoot(nil, nil), nil)...)
	if len(paths) < 50 {
		t.Fatalf("only %d commands found", len(paths))
	}
	for _, p := range paths {
		name := strings.Join(append([]string{"vitrine"}, p...), "-")
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Main(context.Background(), append(append([]string{}, p...), "--help"), &stdout, &stderr)
			if code != exitOK || stderr.Len() > 0 {
				t.Fatalf("%s --help = %d, stderr %q; want 0 and nothing", name, code, stderr.String())
			}
			out := stdout.String()
			if strings.Contains(out, secretMarker) {
				t.Errorf("%s --help shows a value from the environment:\n%s", name, out)
			}
			if len(p) > 0 && p[0] != "completion" && p[0] != "serve" && p[0] != "edge" && p[0] != "backup" && p[0] != "migrate" && !strings.Contains(out, "Examples:") {
				t.Errorf("%s --help has no examples", name)
			}
			var viaHelp bytes.Buffer
			if code := Main(context.Background(), append([]string{"help"}, p...), &viaHelp, &stderr); code != exitOK {
				t.Errorf("vitrine help %v = %d", p, code)
			} else if len(p) > 0 && p[0] != "serve" && p[0] != "edge" && p[0] != "backup" && p[0] != "migrate" && viaHelp.String() != out {
				t.Errorf("vitrine help %v differs from --help:\n%s", p, cmp.Diff(out, viaHelp.String()))
			}
			golden := filepath.Join("testdata", "help", name+".golden")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, stdout.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (go test -run TestHelp -update writes it)", err)
			}
			if d := cmp.Diff(string(want), out); d != "" {
				t.Errorf("%s --help differs from %s (-want +got):\n%s", name, golden, d)
			}
		})
	}
}

// TestExitCodes: 0 for success and help, 2 for a wrong command line (with
// a suggestion where one fits), 1 for a failure, in users' words.
func TestExitCodes(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close() // nothing listens there now
	t.Setenv("VITRINE_TOKEN", "")
	for _, tc := range []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{}, exitOK, "Usage:", ""},
		{[]string{"--help"}, exitOK, "Exit codes: 0 ok, 1 error, 2 usage", ""},
		{[]string{"help", "assets"}, exitOK, "vitrine assets [command]", ""},
		{[]string{"assets"}, exitOK, "Available Commands:", ""},
		{[]string{"version"}, exitOK, "vitrine ", ""},
		{[]string{"completion", "bash"}, exitOK, "bash completion", ""},
		{[]string{"completion", "zsh"}, exitOK, "zsh completion", ""},
		{[]string{"completion", "fish"}, exitOK, "fish completion", ""},
		{[]string{"asets"}, exitUsage, "", "Did you mean this?\n\tassets"},
		{[]string{"assets", "lss"}, exitUsage, "", "Did you mean this?\n\tls"},
		{[]string{"assets", "ls", "--bogus"}, exitUsage, "", "unknown flag: --bogus"},
		{[]string{"assets", "show"}, exitUsage, "", "want 1 argument(s), got 0"},
		{[]string{"assets", "rename", "a"}, exitUsage, "", "vitrine assets rename NAME NEW"},
		{[]string{"publish"}, exitUsage, "", "name assets or --folder"},
		{[]string{"publish", "shoe", "--notify", "http://example.com/hook"}, exitUsage, "", "covers folders (--folder) or the whole company, not named assets"},
		{[]string{"publish", "--job", "Nightly", "--delivery"}, exitUsage, "", "a publish job cannot take it"},
		{[]string{"settings", "set", "novalue"}, exitUsage, "", `"novalue" is not KEY=VALUE`},
		{[]string{"version", "extra"}, exitUsage, "", "takes no arguments"},
		{[]string{"assets", "ls"}, exitError, "", "no API token: set VITRINE_TOKEN or --token"},
		{[]string{"assets", "ls", "--token", "t", "--url", closed}, exitError, "",
			"cannot reach the server at " + closed + " — is `vitrine serve` running?"},
		{[]string{"invalidate", "x", "--token", "t", "--server", closed}, exitError, "", "cannot reach the server at " + closed},
		{[]string{"wait", "--url", closed, "--timeout", "1ms"}, exitError, "", "did not come up within 1ms"},
		{[]string{"upload", "--token", "t", "/nonexistent/file.jpg"}, exitError, "", "no such file"},
	} {
		t.Run(strings.Join(tc.args, "_"), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Main(context.Background(), tc.args, &stdout, &stderr)
			if code != tc.code || !strings.Contains(stdout.String(), tc.stdout) || !strings.Contains(stderr.String(), tc.stderr) {
				t.Errorf("vitrine %q = %d\nstdout: %s\nstderr: %s\nwant %d, stdout with %q, stderr with %q",
					tc.args, code, stdout.String(), stderr.String(), tc.code, tc.stdout, tc.stderr)
			}
		})
	}
}

// TestCollectSkipsHidden: a directory upload leaves out hidden files and
// directories (and counts them) unless asked, and keeps the structure
// under the destination folder.
func TestCollectSkipsHidden(t *testing.T) {
	t.Parallel()
	root := filepath.Join(t.TempDir(), "shoot")
	for _, f := range []string{"a.jpg", "sub/b.jpg", ".hidden/secret.jpg", ".DS_Store", "sub/.c.jpg"} {
		p := filepath.Join(root, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		include    bool
		want       []string
		wantHidden int
	}{
		{false, []string{"/p/shoot a.jpg", "/p/shoot/sub b.jpg"}, 3},
		{true, []string{"/p/shoot .DS_Store", "/p/shoot/.hidden secret.jpg", "/p/shoot a.jpg", "/p/shoot/sub .c.jpg", "/p/shoot/sub b.jpg"}, 0},
	} {
		items, _, hidden, err := collect([]string{root}, "/p", tc.include)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, it := range items {
			got = append(got, it.folder+" "+filepath.Base(it.path))
		}
		if d := cmp.Diff(tc.want, got); d != "" || hidden != tc.wantHidden {
			t.Errorf("collect(include hidden %v) = %d hidden, want %d; files (-want +got):\n%s", tc.include, hidden, tc.wantHidden, d)
		}
	}
}
