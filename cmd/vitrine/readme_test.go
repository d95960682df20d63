package main_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// tourStep is one command of the README tour and the text its output must
// contain (after "# →"; empty: it only has to succeed).
type tourStep struct {
	line int
	cmd  string
	want string
}

// readmeTour extracts the shell blocks between <!-- tour: begin --> and
// <!-- tour: end --> in order, one step per command line (a line ending in
// a backslash continues on the next).
func readmeTour(t *testing.T, path string) []tourStep {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var steps []tourStep
	in, block := false, false
	var cont string
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case strings.TrimSpace(line) == "<!-- tour: begin -->":
			in = true
		case strings.TrimSpace(line) == "<!-- tour: end -->":
			in = false
		case in && strings.HasPrefix(line, "```sh"):
			block = true
		case in && block && strings.HasPrefix(line, "```"):
			block = false
		case in && block:
			if strings.HasSuffix(line, "\\") {
				cont += strings.TrimSuffix(line, "\\") + " "
				continue
			}
			line, cont = cont+line, ""
			cmd, want, _ := strings.Cut(line, "# →")
			if strings.TrimSpace(cmd) == "" {
				continue
			}
			steps = append(steps, tourStep{line: n, cmd: strings.TrimSpace(cmd), want: strings.TrimSpace(want)})
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return steps
}

// tourScript is the steps as one bash script, run in one shell so that
// variables carry from step to step as they do in a terminal. A step ending
// in & runs in the background (each step is closed on a line of its own,
// so a trailing comment stays a comment) with its output in a log; every other step
// must exit 0 and print its expected text, or the script stops there.
func tourScript(steps []tourStep) string {
	var b strings.Builder
	b.WriteString(`set -u
make() { echo "make $*: skipped, the test built ./vitrine"; }
trap 'kill $(jobs -p) 2>/dev/null; wait' EXIT
__fail() { echo "TOUR FAILED at README.md:$1: $2"; exit 1; }
`)
	for i, s := range steps {
		fmt.Fprintf(&b, "echo '$ %s'\n", strings.ReplaceAll(s.cmd, "'", `'\''`))
		if cmd, ok := strings.CutSuffix(s.cmd, "&"); ok {
			fmt.Fprintf(&b, "{ %s\n} >\"$TOUR_LOGS/step%d.log\" 2>&1 &\n", cmd, i)
			continue
		}
		fmt.Fprintf(&b, "{ %s\n} >\"$TOUR_LOGS/out\" 2>&1; __rc=$?; cat \"$TOUR_LOGS/out\"; echo\n", s.cmd)
		fmt.Fprintf(&b, "[ $__rc -eq 0 ] || __fail %d \"exit status $__rc\"\n", s.line)
		if s.want != "" {
			q := strings.ReplaceAll(s.want, "'", `'\''`)
			fmt.Fprintf(&b, "grep -qF -- '%s' \"$TOUR_LOGS/out\" || __fail %d 'the output lacks: %s'\n", q, s.line, q)
		}
	}
	b.WriteString("echo TOUR PASSED\n")
	return b.String()
}

// TestReadmeTour runs the README's tour, pasted in order, against a real
// server and edge on free loopback ports, in a fresh directory that holds
// what a clone offers the tour (./vitrine, tools/, go.mod).
func TestReadmeTour(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("the tour needs curl")
	}
	steps := readmeTour(t, filepath.Join("..", "..", "README.md"))
	if len(steps) < 30 {
		t.Fatalf("found %d tour steps in README.md; want the whole tour between the markers", len(steps))
	}
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	dir, logs := t.TempDir(), t.TempDir()
	for _, l := range [][2]string{{binary(t), "vitrine"}, {filepath.Join(repo, "tools"), "tools"},
		{filepath.Join(repo, "go.mod"), "go.mod"}, {filepath.Join(repo, "go.sum"), "go.sum"}} {
		if err := os.Symlink(l[0], filepath.Join(dir, l[1])); err != nil {
			t.Fatal(err)
		}
	}
	script := filepath.Join(logs, "tour.sh")
	if err := os.WriteFile(script, []byte(tourScript(steps)), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "VITRINE_ADDR="+freeAddr(t), "EDGE_ADDR="+freeAddr(t), "VITRINE_DATA="+filepath.Join(dir, "data"),
		"SECRET=tour-test-purge-secret-0123456789", "TOUR_LOGS="+logs, "VITRINE_TOKEN=", "VITRINE_URL=", "VITRINE_COMPANY=")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The tour's background steps (serve, edge) outlive the script when
	// its trap kills only the subshells that started them: stop the whole
	// process group, before the temporary directories go.
	t.Cleanup(func() { stopGroup(t, cmd.Process.Pid) })
	err = cmd.Wait()
	out := buf.Bytes()
	if err != nil || !strings.Contains(string(out), "TOUR PASSED") {
		var bg strings.Builder
		matches, _ := filepath.Glob(filepath.Join(logs, "step*.log"))
		for _, m := range matches {
			b, _ := os.ReadFile(m)
			fmt.Fprintf(&bg, "--- %s\n%s\n", filepath.Base(m), b)
		}
		t.Fatalf("the README tour failed (%v):\n%s\nbackground processes:\n%s", err, out, bg.String())
	}
}

// stopGroup ends what is left of process group pgid: SIGTERM, up to 10 s
// for the servers to stop, then SIGKILL.
func stopGroup(t *testing.T, pgid int) {
	if err := syscall.Kill(-pgid, syscall.SIGTERM); err == syscall.ESRCH {
		return
	}
	deadline := time.Now().Add(10 * time.Second)
	for groupRunning(pgid) {
		if time.Now().After(deadline) {
			t.Logf("process group %d did not stop on SIGTERM in 10 s: killed", pgid)
			syscall.Kill(-pgid, syscall.SIGKILL)
			return
		}
		time.Sleep(10 * time.Millisecond) // polling for the group's end: no event to wait on for processes not our children
	}
}

// groupRunning reports whether a process of group pgid is alive, zombies
// aside: orphans are reaped by PID 1, sometimes late.
func groupRunning(pgid int) bool {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // gone meanwhile
		}
		// pid (comm) state ppid pgrp …; comm may hold spaces and parentheses.
		i := bytes.LastIndex(b, []byte(") "))
		if i < 0 {
			continue
		}
		fields := strings.Fields(string(b[i+2:]))
		if len(fields) < 3 {
			continue
		}
		if fields[2] == strconv.Itoa(pgid) && fields[0] != "Z" {
			return true
		}
	}
	return false
}
