package varnish

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vitrine/vitrine/internal/edge"
	"github.com/vitrine/vitrine/internal/testenv"
)

// vclPath is the shipped VCL, tested as it is but for the backend address.
const vclPath = "../../../deploy/varnish/vitrine.vcl"

// startVarnish runs varnishd with the shipped VCL in front of origin and
// returns its base URL. Without varnishd the test is skipped, or fails
// under `make test` (VITRINE_TEST_STRICT), which installs it.
func startVarnish(t *testing.T, origin string) string {
	t.Helper()
	return testenv.StartVarnish(t, vclPath, origin, "")
}

// freeAddr finds a loopback port nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// newOrigin answers like the delivery handler: cacheable bodies tagged
// with Xkey company/asset. It counts requests by URL.
func newOrigin(t *testing.T) (*httptest.Server, func(uri string) int) {
	var mu sync.Mutex
	hits := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.RequestURI()]++
		mu.Unlock()
		parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
		w.Header().Set("Cache-Control", "public, max-age=600")
		w.Header().Set("Xkey", strings.Join(parts[len(parts)-2:], "/"))
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write([]byte("rendition of " + r.URL.RequestURI()))
	}))
	t.Cleanup(srv.Close)
	return srv, func(uri string) int {
		mu.Lock()
		defer mu.Unlock()
		return hits[uri]
	}
}

const (
	a100 = "/is/image/acme/a?wid=100"
	a200 = "/is/image/acme/a?wid=200"
	b100 = "/is/image/acme/b?wid=100"
)

func xcache(t *testing.T, base, uri string) string {
	t.Helper()
	resp, err := http.Get(base + uri)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	// The origin sees the URL with its query sorted by the VCL.
	if resp.StatusCode != 200 || !strings.HasPrefix(string(body), "rendition of /is/image/") {
		t.Fatalf("GET %s = %d %q", uri, resp.StatusCode, body)
	}
	return resp.Header.Get("X-Cache")
}

func wantCache(t *testing.T, base string, want map[string]string) {
	t.Helper()
	got := map[string]string{}
	for u := range want {
		got[u] = xcache(t, base, u)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("X-Cache by URL (-want +got):\n%s", d)
	}
}

func TestVarnishPurges(t *testing.T) {
	t.Parallel()
	origin, hits := newOrigin(t)
	v := startVarnish(t, origin.URL)
	c := &Client{URLs: []string{v}}
	ctx := context.Background()

	wantCache(t, v, map[string]string{a100: "MISS", a200: "MISS", b100: "MISS"})
	wantCache(t, v, map[string]string{a100: "HIT", a200: "HIT", b100: "HIT"})
	if xcache(t, v, "/is/image/acme/a?hei=5&wid=100") != "MISS" || xcache(t, v, "/is/image/acme/a?wid=100&hei=5") != "HIT" {
		t.Error("modifier order split the cache: the VCL sorts the query")
	}

	rep := c.Purge(ctx, edge.PurgeRequest{ID: "k", Keys: []string{"acme/a"}})
	if want := []edge.EdgeResult{{Edge: v, OK: true, Purged: 3, Attempts: 1}}; !cmp.Equal(want, rep.Results, cmp.FilterPath(func(p cmp.Path) bool {
		return p.Last().String() == ".Latency"
	}, cmp.Ignore())) {
		t.Errorf("key purge report = %+v, want %+v", rep.Results, want)
	}
	wantCache(t, v, map[string]string{a100: "MISS", a200: "MISS", b100: "HIT"})
	if got := hits(a100); got != 2 {
		t.Errorf("origin saw %s %d times, want 2", a100, got)
	}

	if rep := c.Purge(ctx, edge.PurgeRequest{ID: "u", URLs: []string{"https://cdn.example.com" + b100}}); !rep.Confirmed() {
		t.Fatalf("URL purge = %+v", rep)
	}
	wantCache(t, v, map[string]string{a100: "HIT", b100: "MISS"})

	if rep := c.Purge(ctx, edge.PurgeRequest{ID: "all", All: true}); !rep.Confirmed() {
		t.Fatalf("purge all = %+v", rep)
	}
	wantCache(t, v, map[string]string{a100: "MISS", a200: "MISS", b100: "MISS"})
}

func TestVarnishDoesNotCacheErrors(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	n := 0
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		mu.Unlock()
		w.Header().Set("Cache-Control", "max-age=600") // wrong, but must not stick
		http.Error(w, "not published", http.StatusForbidden)
	}))
	t.Cleanup(origin.Close)
	v := startVarnish(t, origin.URL)
	for range 2 {
		resp, err := http.Get(v + "/is/image/acme/secret")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("status = %d, want 403", resp.StatusCode)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if n != 2 {
		t.Errorf("origin requests = %d, want 2", n)
	}
}

func TestClientReportsUnreachableVarnish(t *testing.T) {
	t.Parallel()
	c := &Client{URLs: []string{"http://" + freeAddr(t)}}
	rep := c.Purge(context.Background(), edge.PurgeRequest{ID: "x", Keys: []string{"acme/a"}})
	if rep.Confirmed() || rep.Results[0].Error == "" {
		t.Errorf("report = %+v, want an unconfirmed result with an error", rep)
	}
}
