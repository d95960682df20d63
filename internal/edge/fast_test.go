package edge

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vitrine/vitrine/internal/front"
)

// serveFast offers the request method target with header lines to the
// node's fast path, as the front's hit loop does, and returns its reply
// read back as a client would (nil when declined).
func (f *fixture) serveFast(method, target string, header ...string) *reply {
	f.t.Helper()
	head := method + " " + target + " HTTP/1.1\r\nHost: edge.test\r\n"
	for i := 0; i+1 < len(header); i += 2 {
		head += header[i] + ": " + header[i+1] + "\r\n"
	}
	r, ok := front.NewFastRequest([]byte(head+"\r\n"), "/is/image/")
	if !ok {
		f.t.Fatalf("%q does not qualify for the hit loop", head)
	}
	rep := front.FastReply{Head: make([]byte, 0, 512)}
	if !f.node.ServeFast(r, &rep) {
		if len(rep.Head) != 0 || rep.Body != nil {
			f.t.Errorf("%s %s: declined after writing %q", method, target, rep.Head)
		}
		return nil
	}
	raw := append(rep.Head, "Date: Mon, 02 Mar 2026 10:00:00 GMT\r\n\r\n"...)
	raw = append(raw, rep.Body...)
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), &http.Request{Method: method})
	if err != nil {
		f.t.Fatalf("%s %s: the fast reply does not parse: %v\n%q", method, target, err, rep.Head)
	}
	body, _ := io.ReadAll(resp.Body)
	return &reply{Status: resp.StatusCode, Header: resp.Header, Body: string(body)}
}

// The fast path answers a memory-tier hit exactly as ServeHTTP does: the
// same status, headers (but Date) and body, and the same hit metrics.
func TestServeFastAnswersAsServeHTTP(t *testing.T) {
	t.Parallel()
	f := setup(t, func(c *Config) { c.ForwardHeaders = []string{"Accept"} })
	f.origin.setHandler(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "vary") {
			w.Header().Set("Vary", "Accept")
			w.Header().Add("Link", "<a>; rel=preload")
			w.Header().Add("Link", "<b>; rel=preload")
		}
		if strings.Contains(r.URL.Path, "sniffed") {
			w.Header()["Content-Type"] = nil // the edge sniffs it, as net/http would
		}
		f.origin.published(w, r)
	})
	cases := []struct {
		method, target string
		header         []string
	}{
		{"GET", "/is/image/acme/shoe", nil},
		{"HEAD", "/is/image/acme/shoe", nil},
		{"GET", "/is/image/acme/shoe?wid=100&hei=50", nil},
		{"GET", "/is/image/acme/shoe?HEI=50&wid=100", nil}, // the same entry, normalised
		{"GET", "/is/image/acme/vary", []string{"Accept", "image/webp"}},
		{"GET", "/is/image/acme/vary", []string{"Accept", "image/jpeg"}},
		{"GET", "/is/image/acme/sniffed", nil},
		{"GET", "/is/image/acme/odd!$&'()*,;=:@-._~", nil},
	}
	for _, tc := range cases {
		f.do(tc.method, tc.target, tc.header...) // a miss fills the memory tier
		f.clock.Advance(3 * time.Second)
		hits, hitBytes := f.metric("vitrine_edge_requests_total", "result", "hit"), f.metric("vitrine_edge_served_bytes_total", "result", "hit")
		want := f.do(tc.method, tc.target, tc.header...)
		if want.cache() != "HIT" {
			t.Fatalf("%s %s: ServeHTTP answered %q, want a HIT to compare with", tc.method, tc.target, want.cache())
		}
		got := f.serveFast(tc.method, tc.target, tc.header...)
		if got == nil {
			t.Errorf("%s %s: the fast path declined a fresh memory-tier hit", tc.method, tc.target)
			continue
		}
		want.Header.Del("Date")
		got.Header.Del("Date")
		if d := cmp.Diff(want, *got); d != "" {
			t.Errorf("%s %s: fast reply differs from ServeHTTP's (-ServeHTTP +fast):\n%s", tc.method, tc.target, d)
		}
		if h := f.metric("vitrine_edge_requests_total", "result", "hit") - hits; h != 2 {
			t.Errorf("%s %s: hit metric grew by %v, want 2", tc.method, tc.target, h)
		}
		if b := f.metric("vitrine_edge_served_bytes_total", "result", "hit") - hitBytes; b != float64(2*len(want.Body)) {
			t.Errorf("%s %s: hit bytes grew by %v, want %d", tc.method, tc.target, b, 2*len(want.Body))
		}
	}
}

// Anything but a fresh 200 in memory for a target in the form ServeHTTP
// reads is declined, untouched, for ServeHTTP to answer.
func TestServeFastDeclines(t *testing.T) {
	t.Parallel()
	f := setup(t, func(c *Config) { c.ForwardHeaders = []string{"Accept"} })
	f.origin.setHandler(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.Contains(r.URL.Path, "vary"):
			w.Header().Set("Vary", "Accept")
		case strings.Contains(r.URL.Path, "private"):
			f.origin.setCacheControl("private")
			defer f.origin.setCacheControl("public, max-age=600")
		case strings.Contains(r.URL.Path, "gone"):
			w.Header().Set("Cache-Control", "max-age=600")
			http.Error(w, "gone", http.StatusNotFound)
			return
		case strings.Contains(r.URL.Path, "short"):
			w.Header().Set("Cache-Control", "max-age=1")
			w.Write([]byte("short"))
			return
		}
		f.origin.published(w, r)
	})
	for _, p := range []string{"/is/image/acme/shoe", "/is/image/acme/vary", "/is/image/acme/gone", "/is/image/acme/short",
		"/is/image/acme/summer%20sale", "/is/image/acme/private"} {
		f.get(p, "Accept", "image/webp")
	}
	f.clock.Advance(2 * time.Second) // "short" is stale now
	cases := []struct {
		name, target string
		header       []string
	}{
		{"not cached", "/is/image/acme/boot", nil},
		{"credentials", "/is/image/acme/shoe", []string{"Authorization", "Bearer x"}},
		{"range", "/is/image/acme/shoe", []string{"Range", "bytes=0-1"}},
		{"precondition", "/is/image/acme/shoe", []string{"If-None-Match", `"x"`}},
		{"precondition, lower case", "/is/image/acme/shoe", []string{"if-modified-since", "Mon, 02 Mar 2026 10:00:00 GMT"}},
		{"repeated slash", "/is/image//acme/shoe", nil},
		{"trailing slash", "/is/image/acme/shoe/", nil},
		{"plus for a space", "/is/image/acme/summer+sale", nil},
		{"escaped path", "/is/image/acme/summer%20sale", nil},
		{"another Vary value", "/is/image/acme/vary", []string{"Accept", "image/avif"}},
		{"not a 200", "/is/image/acme/gone", nil},
		{"stale", "/is/image/acme/short", nil},
		{"hit for pass", "/is/image/acme/private", nil},
	}
	for _, tc := range cases {
		if got := f.serveFast("GET", tc.target, tc.header...); got != nil {
			t.Errorf("%s: the fast path answered %d %s, want it declined", tc.name, got.Status, got.cache())
		}
	}
	// The control: the same node answers a plain hit on the fast path.
	if got := f.serveFast("GET", "/is/image/acme/shoe"); got == nil || got.cache() != "HIT" {
		t.Errorf("plain hit: %v, want a HIT", got)
	}
}

// A fast hit allocates no more than the target's string (the key lookup):
// no header map, no formatting, no context.
func TestServeFastAllocations(t *testing.T) {
	f := setup(t)
	const target = "/is/image/acme/shoe?wid=100"
	f.get(target)
	r, ok := front.NewFastRequest([]byte("GET "+target+" HTTP/1.1\r\nHost: edge.test\r\nAccept: image/webp\r\nUser-Agent: test\r\n\r\n"), "/is/image/")
	if !ok {
		t.Fatal("the request does not qualify")
	}
	rep := front.FastReply{Head: make([]byte, 0, 1024)}
	allocs := testing.AllocsPerRun(200, func() {
		rep.Head, rep.Body = rep.Head[:0], nil
		if !f.node.ServeFast(r, &rep) {
			t.Fatal("declined")
		}
	})
	if allocs > 1 {
		t.Errorf("%v allocations per fast hit, want at most 1", allocs)
	}
}
