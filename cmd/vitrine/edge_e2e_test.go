package main_test

import (
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestEdgeBinary runs `vitrine serve` with one `vitrine edge` in front:
// delivery through the edge, and an unpublish purged from it at once.
func TestEdgeBinary(t *testing.T) {
	t.Parallel()
	const secret = "e2e-purge-secret-0123456789"
	edgeAddr := freeAddr(t)
	s := startServer(t, "--edges", "http://"+edgeAddr, "--purge-secret", secret)
	startEdge(t, s.url, edgeAddr, secret)
	edgeURL := "http://" + edgeAddr
	s.cli(t, s.token, "upload", writeJPEG(t, t.TempDir(), "cap.jpg", 40, 30, 4))
	get := func() (int, string) {
		resp, err := http.Get(edgeURL + "/is/image/demo/cap?wid=20")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode, resp.Header.Get("X-Cache")
	}
	if st, xc := get(); st != 200 || xc != "MISS" {
		t.Errorf("first request through the edge = %d %s, want 200 MISS", st, xc)
	}
	if st, xc := get(); st != 200 || xc != "HIT" {
		t.Errorf("second request = %d %s, want 200 HIT", st, xc)
	}
	out := s.cli(t, s.token, "unpublish", "cap")
	if !strings.Contains(out, "unpublished") {
		t.Errorf("unpublish: %s", out)
	}
	if st, _ := get(); st != 403 {
		t.Errorf("after unpublish the edge answers %d, want 403", st)
	}
	out = s.cli(t, s.token, "invalidate", "cap", "--all-renditions")
	if !strings.Contains(out, "succeeded") || !strings.Contains(out, "1 edge") {
		t.Errorf("invalidate: %s", out)
	}
}

// startEdge runs `vitrine edge` on addr in front of origin, stopped when
// the test ends, and returns once it serves.
func startEdge(t *testing.T, origin, addr, secret string) {
	t.Helper()
	cmd := exec.Command(binary(t), "edge", "--origin", origin, "--addr", addr, "--purge-secret", secret)
	log := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() })
	log.waitFor(t, "vitrine edge serving", 30*time.Second)
}
