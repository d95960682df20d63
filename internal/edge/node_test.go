package edge

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestMissThenHit(t *testing.T) {
	t.Parallel()
	f := setup(t)
	const uri = "/is/image/acme/shoe?wid=100"

	first := f.get(uri)
	second := f.get(uri)

	want := assetBody(uri, 1)
	if first.Status != 200 || first.Body != want || first.cache() != "MISS" {
		t.Fatalf("first = %d %q X-Cache %q, want 200 %q MISS", first.Status, first.Body, first.cache(), want)
	}
	if second.Status != 200 || second.Body != want || second.cache() != "HIT" {
		t.Fatalf("second = %d %q X-Cache %q, want 200 %q HIT", second.Status, second.Body, second.cache(), want)
	}
	if got := f.origin.count("/is/image/acme/shoe"); got != 1 {
		t.Errorf("origin fetches = %d, want 1", got)
	}
	passed := map[string]string{
		"Content-Type":   "image/jpeg",
		"Etag":           etagOf(want),
		"Cache-Control":  "public, max-age=600",
		"Last-Modified":  "Mon, 02 Mar 2026 10:00:00 GMT",
		"Content-Length": strconv.Itoa(len(want)),
		"Xkey":           "acme/shoe",
		"Age":            "0",
	}
	got := map[string]string{}
	for k := range passed {
		got[k] = second.Header.Get(k)
	}
	if d := cmp.Diff(passed, got); d != "" {
		t.Errorf("hit headers (-want +got):\n%s", d)
	}
	if got, want := f.metric("vitrine_edge_requests_total", "result", "hit"), 1.0; got != want {
		t.Errorf("hit metric = %v, want %v", got, want)
	}
	if got, want := f.metric("vitrine_edge_requests_total", "result", "miss"), 1.0; got != want {
		t.Errorf("miss metric = %v, want %v", got, want)
	}
	if got, want := f.metric("vitrine_edge_origin_fetches_total", "code", "2xx"), 1.0; got != want {
		t.Errorf("origin fetch metric = %v, want %v", got, want)
	}
	if got, want := f.metric("vitrine_edge_served_bytes_total", "result", "hit"), float64(len(want)); got != want {
		t.Errorf("bytes served metric = %v, want %v", got, want)
	}
	if got := f.metric("vitrine_edge_entries", "tier", "memory"); got != 1 {
		t.Errorf("memory entries gauge = %v, want 1", got)
	}
}

func TestAgeCountsFromFetch(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.get("/is/image/acme/shoe")
	f.clock.Advance(30 * time.Second)
	if got := f.get("/is/image/acme/shoe").Header.Get("Age"); got != "30" {
		t.Errorf("Age = %q, want 30", got)
	}
}

func TestHeadServedFromCache(t *testing.T) {
	t.Parallel()
	f := setup(t)
	head := f.do(http.MethodHead, "/is/image/acme/shoe")
	get := f.get("/is/image/acme/shoe")
	length := strconv.Itoa(len(assetBody("/is/image/acme/shoe", 1)))
	if head.Status != 200 || head.Body != "" || head.Header.Get("Content-Length") != length {
		t.Errorf("HEAD = %d %q length %q, want 200, no body, length %s", head.Status, head.Body, head.Header.Get("Content-Length"), length)
	}
	if get.cache() != "HIT" || get.Body != assetBody("/is/image/acme/shoe", 1) {
		t.Errorf("GET after HEAD = %s %q, want a HIT with the body", get.cache(), get.Body)
	}
}

func TestClientConditionalFromCache(t *testing.T) {
	t.Parallel()
	f := setup(t)
	etag := f.get("/is/image/acme/shoe").Header.Get("ETag")
	r := f.get("/is/image/acme/shoe", "If-None-Match", etag)
	if r.Status != http.StatusNotModified || r.cache() != "HIT" || r.Body != "" {
		t.Errorf("conditional GET = %d %s %q, want 304 HIT without body", r.Status, r.cache(), r.Body)
	}
	if got := f.origin.count("/is/image/acme/shoe"); got != 1 {
		t.Errorf("origin fetches = %d, want 1", got)
	}
}

func TestRangeFromCache(t *testing.T) {
	t.Parallel()
	f := setup(t)
	const uri = "/is/content/acme/manual"
	f.get(uri)
	r := f.get(uri, "Range", "bytes=4-10")
	body := assetBody(uri, 1)
	if r.Status != http.StatusPartialContent || r.Body != body[4:11] || r.cache() != "HIT" {
		t.Errorf("range = %d %q %s, want 206 %q HIT", r.Status, r.Body, r.cache(), body[4:11])
	}
	if got, want := r.Header.Get("Content-Range"), "bytes 4-10/"+itoa(len(body)); got != want {
		t.Errorf("Content-Range = %q, want %q", got, want)
	}
	// A range on a miss is cut from the full body fetched for the cache.
	r = f.get("/is/content/acme/other", "Range", "bytes=0-3")
	if r.Status != http.StatusPartialContent || r.Body != "/is/" || r.cache() != "MISS" {
		t.Errorf("range on miss = %d %q %s, want 206 %q MISS", r.Status, r.Body, r.cache(), "/is/")
	}
}

func TestUncacheableResponses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		status  int
		headers map[string]string
	}{
		{"no-store", 200, map[string]string{"Cache-Control": "no-store"}},
		{"private", 200, map[string]string{"Cache-Control": "private, max-age=600"}},
		{"no freshness", 200, map[string]string{"ETag": `"x"`}},
		{"set-cookie", 200, map[string]string{"Cache-Control": "max-age=600", "Set-Cookie": "a=b"}},
		{"vary star", 200, map[string]string{"Cache-Control": "max-age=600", "Vary": "*"}},
		{"unpublished 403", 403, map[string]string{"Cache-Control": "no-store"}},
		{"403 with max-age", 403, map[string]string{"Cache-Control": "max-age=600"}},
		{"404", 404, map[string]string{"Cache-Control": "max-age=600"}},
		{"500", 500, nil},
		{"503", 503, map[string]string{"Cache-Control": "max-age=600"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			f.origin.setHandler(func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.headers {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				w.Write([]byte("answer"))
			})
			for i := range 2 {
				r := f.get("/is/image/acme/shoe")
				if r.Status != tt.status || r.Body != "answer" || r.cache() == "HIT" {
					t.Errorf("request %d = %d %q %s, want %d %q and not a HIT", i, r.Status, r.Body, r.cache(), tt.status, "answer")
				}
			}
			if got := f.origin.count("/is/image/acme/shoe"); got != 2 {
				t.Errorf("origin fetches = %d, want 2", got)
			}
			if st := f.node.store.stats(); st.indexed != 0 {
				t.Errorf("index holds %d entries, want 0", st.indexed)
			}
		})
	}
}

func TestVaryOnAccept(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.origin.setHandler(func(w http.ResponseWriter, r *http.Request) {
		format := "jpeg"
		if strings.Contains(r.Header.Get("Accept"), "image/webp") {
			format = "webp"
		}
		w.Header().Set("Cache-Control", "max-age=600")
		w.Header().Set("Vary", "Accept, Accept-Encoding")
		w.Header().Set("Content-Type", "image/"+format)
		w.Write([]byte(format))
	})
	const uri = "/is/image/acme/shoe?wid=100"
	steps := []struct{ accept, wantBody, wantCache string }{
		{"image/webp,*/*", "webp", "MISS"},
		{"image/jpeg", "jpeg", "MISS"},
		{"image/webp,*/*", "webp", "HIT"},
		{"image/jpeg", "jpeg", "HIT"},
	}
	for i, s := range steps {
		r := f.get(uri, "Accept", s.accept, "Accept-Encoding", "gzip-"+itoa(i))
		if r.Body != s.wantBody || r.cache() != s.wantCache {
			t.Errorf("step %d (Accept %q) = %q %s, want %q %s", i, s.accept, r.Body, r.cache(), s.wantBody, s.wantCache)
		}
	}
	if got := f.origin.count("/is/image/acme/shoe"); got != 2 {
		t.Errorf("origin fetches = %d, want 2 (Accept-Encoding is not forwarded, so it does not split the cache)", got)
	}
}

func TestEquivalentURLsShareAnEntry(t *testing.T) {
	t.Parallel()
	f := setup(t)
	uris := []string{
		"/is/image/acme/shoe?wid=100&hei=50",
		"/is/image/acme/shoe?hei=50&wid=100",
		"/is/image/acme/shoe?HEI=50&Wid=100",
		"/is/image/acme/shoe?.promo&wid=100&&hei=50",
		"/is/image/acme/shoe?wid=100&hei=50&.campaign=spring&",
	}
	for _, u := range uris {
		if r := f.get(u); r.Status != 200 {
			t.Fatalf("GET %s = %d", u, r.Status)
		}
	}
	if got := f.origin.count("/is/image/acme/shoe"); got != 1 {
		t.Errorf("origin fetches = %d, want 1", got)
	}
	if got := f.node.store.stats().indexed; got != 1 {
		t.Errorf("entries = %d, want 1", got)
	}
}

func TestCustomNormalize(t *testing.T) {
	t.Parallel()
	f := setup(t, func(c *Config) {
		c.Normalize = func(path, query string) string { return path } // ignore the query
	})
	f.get("/is/image/acme/shoe?wid=1")
	if r := f.get("/is/image/acme/shoe?wid=2"); r.cache() != "HIT" {
		t.Errorf("X-Cache = %s, want HIT under a Normalize that ignores queries", r.cache())
	}
}

func TestAuthorizationPassesThrough(t *testing.T) {
	t.Parallel()
	f := setup(t)
	for range 2 {
		r := f.get("/is/image/acme/private", "Authorization", "Bearer x")
		if r.cache() != "PASS" || r.Status != 200 {
			t.Errorf("authorized GET = %d %s, want 200 PASS", r.Status, r.cache())
		}
	}
	if got := f.origin.lastRequest().Header.Get("Authorization"); got != "Bearer x" {
		t.Errorf("origin saw Authorization %q, want it forwarded", got)
	}
	if got := f.origin.count("/is/image/acme/private"); got != 2 {
		t.Errorf("origin fetches = %d, want 2", got)
	}
}

func TestTooLargePassesThrough(t *testing.T) {
	t.Parallel()
	f := setup(t, func(c *Config) { c.MaxObjectBytes = 10 })
	const uri = "/is/content/acme/video"
	for i := range 2 {
		r := f.get(uri)
		if r.cache() != "PASS" || r.Body != assetBody(uri, 1) {
			t.Errorf("request %d = %s %q, want PASS with the body", i, r.cache(), r.Body)
		}
	}
	r := f.get(uri, "Range", "bytes=0-3")
	if r.Status != http.StatusPartialContent || r.Body != "/is/" {
		t.Errorf("range through pass = %d %q, want 206 %q", r.Status, r.Body, "/is/")
	}
	if got := f.node.store.stats().indexed; got != 0 {
		t.Errorf("entries = %d, want 0", got)
	}
}

func TestOriginDown(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.origin.Close()
	r := f.get("/is/image/acme/shoe")
	if r.Status != http.StatusBadGateway || r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("origin down = %d Cache-Control %q, want 502 no-store", r.Status, r.Header.Get("Cache-Control"))
	}
}

func TestEdgeRoutes(t *testing.T) {
	t.Parallel()
	f := setup(t)
	tests := []struct {
		method, uri string
		want        int
	}{
		{"GET", "/_edge/health", 200},
		{"HEAD", "/_edge/health", 200},
		{"GET", "/_edge/purge", 404},
		{"GET", "/_edge/nothing", 404},
		{"POST", "/is/image/acme/shoe", 405},
		{"DELETE", "/is/image/acme/shoe", 405},
	}
	for _, tt := range tests {
		if got := f.do(tt.method, tt.uri).Status; got != tt.want {
			t.Errorf("%s %s = %d, want %d", tt.method, tt.uri, got, tt.want)
		}
	}
}

func TestServesHTTP2(t *testing.T) {
	t.Parallel()
	f := setup(t)
	srv := httptest.NewUnstartedServer(f.node)
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	for _, want := range []string{"MISS", "HIT"} {
		resp, err := srv.Client().Get(srv.URL + shoe100)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.ProtoMajor != 2 || resp.StatusCode != 200 || resp.Header.Get("X-Cache") != want {
			t.Errorf("%s %d X-Cache %s, want HTTP/2 200 %s", resp.Proto, resp.StatusCode, resp.Header.Get("X-Cache"), want)
		}
	}
}

func TestVaryForgottenWhenOriginStops(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.origin.setCacheControl("max-age=60")
	var vary atomic.Bool
	vary.Store(true)
	f.origin.setHandler(func(w http.ResponseWriter, r *http.Request) {
		if vary.Load() {
			w.Header().Set("Vary", "Accept")
		}
		f.origin.published(w, r)
	})
	f.get(shoe100, "Accept", "image/webp")
	vary.Store(false)
	f.origin.setVersion(2) // a new 200, not a 304 that would keep the stored Vary
	f.clock.Advance(2 * time.Minute)
	if r := f.get(shoe100, "Accept", "image/webp"); r.cache() != "MISS" || r.Body != assetBody(shoe100, 2) {
		t.Fatalf("after expiry = %s %q, want MISS of version 2", r.cache(), r.Body)
	}
	if r := f.get(shoe100, "Accept", "image/png"); r.cache() != "HIT" {
		t.Errorf("X-Cache = %s, want HIT once the origin no longer varies", r.cache())
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
