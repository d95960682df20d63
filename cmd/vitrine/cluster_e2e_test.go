package main_test

import (
	"bufio"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vitrine/vitrine/internal/testenv"
)

// TestNodesForgetTogether: two serve nodes on one PostgreSQL database and
// one blob store, each keeping catalog lookups for an hour. A change made
// through one node (an unpublish, a preset) is seen by the other at once:
// the change's notification drops the other's cached lookups. Without it
// node B would answer from its cache for the hour.
func TestNodesForgetTogether(t *testing.T) {
	t.Parallel()
	dsn := testenv.PostgresDSN(t)
	blobs := "file://" + filepath.Join(t.TempDir(), "blobs")
	a := startNode(t, t.TempDir(), "--db", dsn, "--blobs", blobs, "--lookup-ttl", "1h")
	b := startNode(t, t.TempDir(), "--db", dsn, "--blobs", blobs, "--lookup-ttl", "1h")
	a.uploadFiles(t, "/products", "shoe.jpg")
	if st := a.call(t, "POST", "/publication", map[string]any{"action": "publish", "assets": []string{"shoe"}}, nil); st != 200 {
		t.Fatalf("publish through A: %d", st)
	}
	status := func(n *node, path string) int {
		resp, err := http.Get(n.url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	// B has not looked shoe up yet: it reads the catalog and keeps it.
	if st := status(b, "/is/image/demo/shoe?wid=4"); st != 200 {
		t.Fatalf("B serves the published shoe: %d", st)
	}

	// A live event stream open on B (the workspace's live pages use it).
	req, _ := http.NewRequest("GET", b.url+"/api/v1/companies/demo/events", nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("event stream on B: %v %v", resp, err)
	}
	defer resp.Body.Close()
	lines := make(chan string, 100)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()

	// Unpublish through A: B stops serving it.
	start := time.Now()
	if st := a.call(t, "POST", "/publication", map[string]any{"action": "unpublish", "assets": []string{"shoe"}}, nil); st != 200 {
		t.Fatalf("unpublish through A: %d", st)
	}
	returned := time.Since(start)
	var seen time.Duration
	if !eventually(30*time.Second, 5*time.Millisecond, func() bool {
		seen = time.Since(start)
		return status(b, "/is/image/demo/shoe?wid=4") == 403
	}) {
		t.Fatal("node B still serves the asset A unpublished 30 s ago (its cached lookup was not dropped)")
	}
	t.Logf("unpublish returned on A in %v; B refused it %v after the call began", returned, seen)
	// B's stream tells of A's unpublish.
	for got := false; !got; {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("B's event stream ended")
			}
			got = strings.HasPrefix(l, "data:") && strings.Contains(l, `"shoe"`)
		case <-time.After(30 * time.Second):
			t.Fatal("B's event stream did not tell of A's unpublish within 30 s")
		}
	}

	// Settings: a preset saved through A is known to B.
	body := map[string]any{"presets": map[string]string{"thumb": "wid=8&hei=8&fit=crop"}}
	if st := a.call(t, "PATCH", "/settings", body, nil); st != 200 {
		t.Fatalf("save a preset through A: %d", st)
	}
	if st := a.call(t, "POST", "/publication", map[string]any{"action": "publish", "assets": []string{"shoe"}}, nil); st != 200 {
		t.Fatalf("publish again through A: %d", st)
	}
	if !eventually(30*time.Second, 5*time.Millisecond, func() bool { return status(b, "/is/image/demo/shoe?$thumb$") == 200 }) {
		t.Fatalf("node B does not know the preset (or the republish) A saved: %d", status(b, "/is/image/demo/shoe?$thumb$"))
	}
}
