package varnish

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/edge"
)

// TestVarnishKeysCannotSplit: an id with a space, a comma or unicode is one
// key for xkey, so purging it drops its objects and nothing of the ids its
// words spell (issue 15, item 1); a reply tagged with many keys over
// several Xkey lines (a set listing its members) is purged by any of them.
func TestVarnishKeysCannotSplit(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	hits := map[string]int{}
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/is/image/"), "/")
		w.Header().Set("Cache-Control", "public, max-age=600")
		w.Header().Add("Xkey", vitrine.SurrogateKey(parts[0], parts[1]))
		if r.URL.Query().Get("req") == "set" {
			// Members on further lines of at most 4000 bytes, as delivery
			// splits long lists.
			var line []string
			for i := range 300 {
				line = append(line, vitrine.SurrogateKey(parts[0], "member é "+strings.Repeat("x", i%7)+string(rune('a'+i%26))))
				if i%60 == 59 {
					w.Header().Add("Xkey", strings.Join(line, " "))
					line = nil
				}
			}
			w.Header().Add("Xkey", vitrine.SurrogateKey(parts[0], "summer, sale"))
		}
		w.Write([]byte("rendition of " + r.URL.RequestURI()))
	}))
	t.Cleanup(origin.Close)
	v := startVarnish(t, origin.URL)
	c := &Client{URLs: []string{v}}
	ids := []string{"summer sale", "summer", "sale", "summer, sale", "été／x"}
	get := func(id, query string) string {
		t.Helper()
		resp, err := http.Get(v + "/is/image/acme/" + url.PathEscape(id) + query)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("GET %q = %d", id, resp.StatusCode)
		}
		return resp.Header.Get("X-Cache")
	}
	for _, id := range ids {
		get(id, "?wid=60")
	}
	get("lookbook", "?req=set")
	if x := get("summer sale", "?wid=60"); x != "HIT" {
		t.Fatalf("second GET = %s, want HIT", x)
	}
	rep := c.Purge(context.Background(), edge.PurgeRequest{ID: "p", Keys: []string{vitrine.SurrogateKey("acme", "summer, sale"), vitrine.SurrogateKey("acme", "summer sale")}})
	if !rep.Confirmed() || rep.Results[0].Purged != 3 {
		t.Errorf("purge = %+v, want 3 objects (two ids, and the set listing one)", rep.Results)
	}
	want := map[string]string{"summer sale": "MISS", "summer, sale": "MISS", "summer": "HIT", "sale": "HIT", "été／x": "HIT"}
	for id, w := range want {
		if got := get(id, "?wid=60"); got != w {
			t.Errorf("after the purge %q = %s, want %s", id, got, w)
		}
	}
	if got := get("lookbook", "?req=set"); got != "MISS" {
		t.Errorf("set listing a purged member = %s, want MISS", got)
	}
	rep = c.Purge(context.Background(), edge.PurgeRequest{ID: "u", Keys: []string{vitrine.SurrogateKey("acme", "été／x")}})
	if !rep.Confirmed() || rep.Results[0].Purged != 1 {
		t.Errorf("unicode purge = %+v, want 1 object", rep.Results)
	}
}

// TestVarnishRefusesPreview: the preview host's address allow-list would
// see Varnish's address, so the VCL never forwards /preview (item 12).
func TestVarnishRefusesPreview(t *testing.T) {
	t.Parallel()
	origin, hits := newOrigin(t)
	v := startVarnish(t, origin.URL)
	resp, err := http.Get(v + "/preview/is/image/acme/a")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || hits("/preview/is/image/acme/a") != 0 {
		t.Errorf("GET /preview = %d, origin hits %d; want 404 without the origin", resp.StatusCode, hits("/preview/is/image/acme/a"))
	}
}
