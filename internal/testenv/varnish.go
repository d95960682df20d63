package testenv

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// StartVarnish runs varnishd with the VCL at vclPath in front of origin
// (its backend host and port replaced), listening on listen (a free
// loopback port when empty), and returns its base URL. Without varnishd the test is skipped, or fails
// under `make test` (VITRINE_TEST_STRICT), which installs it.
func StartVarnish(t *testing.T, vclPath, origin, listen string) string {
	t.Helper()
	bin := RequireTool(t, "varnishd")
	vcl, err := os.ReadFile(vclPath)
	if err != nil {
		t.Fatal(err)
	}
	host, port, err := net.SplitHostPort(strings.TrimPrefix(origin, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	backend := regexp.MustCompile(`\.host = "[^"]*";\s*\.port = "[^"]*";`)
	if !backend.Match(vcl) {
		t.Fatal("no backend host and port in the VCL")
	}
	vcl = backend.ReplaceAll(vcl, []byte(fmt.Sprintf(`.host = %q; .port = %q;`, host, port)))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "vitrine.vcl"), vcl, 0o644); err != nil {
		t.Fatal(err)
	}
	if listen == "" {
		listen = freeLoopback(t)
	}
	// -F keeps varnishd in the foreground, so the test owns the process;
	// -j none runs it without the privilege-dropping jail a test cannot
	// set up.
	cmd := exec.Command(bin, "-F", "-j", "none", "-n", filepath.Join(dir, "work"),
		"-a", listen, "-f", filepath.Join(dir, "vitrine.vcl"), "-s", "malloc,32m")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The log is read until varnishd exits, by this goroutine; cleanup
	// kills varnishd and waits for both.
	ready := make(chan struct{})
	var logMu sync.Mutex
	var log strings.Builder
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		sc := bufio.NewScanner(out)
		once := sync.Once{}
		for sc.Scan() {
			logMu.Lock()
			log.WriteString(sc.Text() + "\n")
			logMu.Unlock()
			if strings.Contains(sc.Text(), "Child launched OK") {
				once.Do(func() { close(ready) })
			}
		}
		io.Copy(io.Discard, out)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-drained
		cmd.Wait()
	})
	select {
	case <-ready:
	case <-drained:
		logMu.Lock()
		defer logMu.Unlock()
		t.Fatalf("varnishd exited before it was ready:\n%s", log.String())
	case <-time.After(time.Minute):
		logMu.Lock()
		defer logMu.Unlock()
		t.Fatalf("varnishd not ready after a minute:\n%s", log.String())
	}
	if err := awaitListening(listen, drained); err != nil {
		logMu.Lock()
		defer logMu.Unlock()
		t.Fatalf("varnishd: %v\n%s", err, log.String())
	}
	return "http://" + listen
}

// awaitListening waits for addr to accept connections. The manager binds
// the socket but the child calls listen() only once it runs, after the log
// line StartVarnish waits for, and nothing announces that: polling an
// external process is the one wait left.
func awaitListening(addr string, exited <-chan struct{}) error {
	deadline := time.Now().Add(30 * time.Second)
	for wait := time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			return c.Close()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not listening on %s after 30s: %w", addr, err)
		}
		select {
		case <-exited:
			return fmt.Errorf("exited before listening on %s", addr)
		case <-time.After(wait):
		}
	}
}

// freeLoopback finds a loopback port nothing listens on.
func freeLoopback(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
