package edge

import (
	"net/http"
	"strings"
	"sync"
	"testing"
)

// collapse makes the flight announce each request that starts waiting on
// another's fetch.
func (f *fixture) collapse() <-chan string {
	joined := make(chan string, 100)
	f.node.flight.onJoin = func(key string) { joined <- key }
	return joined
}

// concurrently runs n GETs of uri with the given headers per request and
// returns their replies once all are done.
func (f *fixture) concurrently(n int, uri string, header func(i int) []string) []reply {
	replies := make([]reply, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { replies[i] = f.get(uri, header(i)...) })
	}
	wg.Wait()
	return replies
}

func TestConcurrentMissesCollapse(t *testing.T) {
	t.Parallel()
	f := setup(t)
	joined := f.collapse()
	entered, release := f.blockingOrigin()
	const n = 20
	const uri = "/is/image/acme/shoe?wid=300"

	done := make(chan []reply)
	go func() { done <- f.concurrently(n, uri, func(int) []string { return nil }) }()
	<-entered // the leader reached the origin
	for range n - 1 {
		<-joined // every other request waits on the leader's fetch
	}
	close(release)
	replies := <-done

	want := assetBody(uri, 1)
	for i, r := range replies {
		if r.Status != 200 || r.Body != want || r.cache() != "MISS" {
			t.Errorf("reply %d = %d %q %s, want 200 %q MISS", i, r.Status, r.Body, r.cache(), want)
		}
	}
	if got := f.origin.count("/is/image/acme/shoe"); got != 1 {
		t.Errorf("origin fetches = %d, want 1", got)
	}
	if got := f.metric("vitrine_edge_collapsed_total"); got != n-1 {
		t.Errorf("collapsed metric = %v, want %d", got, n-1)
	}
}

func TestCollapsedErrorsAreSharedNotStored(t *testing.T) {
	t.Parallel()
	f := setup(t)
	joined := f.collapse()
	entered, release := make(chan struct{}, 10), make(chan struct{})
	f.origin.setHandler(func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		<-release
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, "Image or content not found or not published", http.StatusForbidden)
	})
	const n = 5
	done := make(chan []reply)
	go func() { done <- f.concurrently(n, "/is/image/acme/secret", func(int) []string { return nil }) }()
	<-entered
	for range n - 1 {
		<-joined
	}
	close(release)
	for i, r := range <-done {
		if r.Status != http.StatusForbidden {
			t.Errorf("reply %d = %d, want 403", i, r.Status)
		}
	}
	if got := f.origin.count("/is/image/acme/secret"); got != 1 {
		t.Errorf("origin fetches = %d, want 1: concurrent requests share one answer", got)
	}
	if r := f.get("/is/image/acme/secret"); r.cache() == "HIT" {
		t.Errorf("later request X-Cache = %s, want the 403 not stored", r.cache())
	}
}

func TestCollapsedPrivateIsNotShared(t *testing.T) {
	t.Parallel()
	f := setup(t)
	joined := f.collapse()
	entered, release := make(chan struct{}, 10), make(chan struct{})
	var first sync.Once
	f.origin.setHandler(func(w http.ResponseWriter, r *http.Request) {
		first.Do(func() {
			entered <- struct{}{}
			<-release
		})
		w.Header().Set("Cache-Control", "private, max-age=60")
		w.Write([]byte("for " + r.Header.Get("X-Forwarded-For")))
	})
	const n = 4
	done := make(chan []reply)
	go func() { done <- f.concurrently(n, "/is/image/acme/mine", func(int) []string { return nil }) }()
	<-entered
	for range n - 1 {
		<-joined
	}
	close(release)
	for i, r := range <-done {
		if r.Status != 200 || r.cache() == "HIT" {
			t.Errorf("reply %d = %d %s, want 200 not from cache", i, r.Status, r.cache())
		}
	}
	if got := f.origin.count("/is/image/acme/mine"); got != n {
		t.Errorf("origin fetches = %d, want %d: each waiter fetches a private answer itself", got, n)
	}
}

func TestCollapsedFetchVaryingOnAnotherAccept(t *testing.T) {
	t.Parallel()
	f := setup(t)
	joined := f.collapse()
	entered, release := make(chan struct{}, 10), make(chan struct{})
	var first sync.Once
	f.origin.setHandler(func(w http.ResponseWriter, r *http.Request) {
		first.Do(func() {
			entered <- struct{}{}
			<-release
		})
		w.Header().Set("Cache-Control", "max-age=600")
		w.Header().Set("Vary", "Accept")
		if strings.Contains(r.Header.Get("Accept"), "webp") {
			w.Write([]byte("webp"))
		} else {
			w.Write([]byte("jpeg"))
		}
	})
	const uri = "/is/image/acme/shoe"
	webp := make(chan reply)
	go func() { webp <- f.get(uri, "Accept", "image/webp") }()
	<-entered // the webp request leads; the URL's Vary is not known yet
	jpeg := make(chan reply)
	go func() { jpeg <- f.get(uri, "Accept", "image/jpeg") }()
	<-joined
	close(release)

	if r := <-webp; r.Body != "webp" {
		t.Errorf("webp request got %q", r.Body)
	}
	if r := <-jpeg; r.Body != "jpeg" {
		t.Errorf("jpeg request got %q, want its own variant rather than the leader's", r.Body)
	}
	if r := f.get(uri, "Accept", "image/jpeg"); r.Body != "jpeg" || r.cache() != "HIT" {
		t.Errorf("jpeg again = %q %s, want jpeg HIT", r.Body, r.cache())
	}
}
