package delivery

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
)

// A hot name's entry expiring under load: the requests that miss it
// together make one database read, and all get its answer.
func TestLookupOnceCollapsesMisses(t *testing.T) {
	h := &Handler{lookups: newTTLCache[lookupResult](time.Hour, 100, time.Now)}
	gate := make(chan struct{})
	var reads atomic.Int32
	read := func(context.Context) (lookupResult, bool) {
		reads.Add(1)
		<-gate
		return lookupResult{e: &vitrine.CatalogEntry{Name: "shoe"}}, true
	}
	const n = 16
	var arrived, done sync.WaitGroup
	arrived.Add(n)
	got := make([]lookupResult, n)
	for i := range n {
		done.Go(func() {
			arrived.Done()
			r, err := h.lookupOnce(context.Background(), "acme", "k", read)
			if err != nil {
				t.Error(err)
			}
			got[i] = r
		})
	}
	arrived.Wait()
	close(gate)
	done.Wait()
	if r := reads.Load(); r != 1 {
		t.Errorf("%d database reads for %d requests missing together, want 1", r, n)
	}
	for i, r := range got {
		if r.e == nil || r.e.Name != "shoe" {
			t.Errorf("request %d got %+v", i, r)
		}
	}
	if r, ok := h.lookups.get("acme", "k"); !ok || r.e.Name != "shoe" {
		t.Errorf("the answer was not kept: %+v %v", r, ok)
	}
}

// A request that comes after a change does not share a read begun before
// it, and the read begun before it is not kept.
func TestLookupOnceAfterChange(t *testing.T) {
	h := &Handler{lookups: newTTLCache[lookupResult](time.Hour, 100, time.Now)}
	started, gate := make(chan struct{}), make(chan struct{})
	oldDone := make(chan lookupResult)
	go func() {
		r, _ := h.lookupOnce(context.Background(), "acme", "k", func(context.Context) (lookupResult, bool) {
			close(started)
			<-gate
			return lookupResult{err: vitrine.Errorf(vitrine.ENOTPUBLISHED, "not published")}, true
		})
		oldDone <- r
	}()
	<-started
	h.Forget("acme") // the publication commits while the old read runs
	r, err := h.lookupOnce(context.Background(), "acme", "k", func(context.Context) (lookupResult, bool) {
		return lookupResult{e: &vitrine.CatalogEntry{Name: "shoe"}}, true
	})
	if err != nil || r.e == nil {
		t.Fatalf("after the change: %+v, %v; want the new read's entry", r, err)
	}
	close(gate)
	if old := <-oldDone; vitrine.ErrorCode(old.err) != vitrine.ENOTPUBLISHED {
		t.Errorf("the old read's answer: %+v", old)
	}
	if r, ok := h.lookups.get("acme", "k"); !ok || r.e == nil {
		t.Errorf("kept %+v %v, want the entry read after the change", r, ok)
	}
}

// A request whose client leaves stops waiting; the read goes on for the
// others and is kept.
func TestLookupOnceWaiterLeaves(t *testing.T) {
	h := &Handler{lookups: newTTLCache[lookupResult](time.Hour, 100, time.Now)}
	started, gate, finished := make(chan struct{}), make(chan struct{}), make(chan struct{})
	read := func(ctx context.Context) (lookupResult, bool) {
		close(started)
		<-gate
		defer close(finished)
		if ctx.Err() != nil {
			return lookupResult{err: ctx.Err()}, false
		}
		return lookupResult{e: &vitrine.CatalogEntry{Name: "shoe"}}, true
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error)
	go func() {
		_, err := h.lookupOnce(ctx, "acme", "k", read)
		errc <- err
	}()
	<-started
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("the leaving request got %v, want context.Canceled", err)
	}
	close(gate)
	<-finished
	// Either this joins the read's flight, or the flight has ended, and
	// with it the read's put: then the cache holds its answer.
	r, err := h.lookupOnce(context.Background(), "acme", "k", func(context.Context) (lookupResult, bool) {
		r, _ := h.lookups.get("acme", "k")
		return r, false
	})
	if err != nil || r.e == nil || r.e.Name != "shoe" {
		t.Errorf("after the read: %+v, %v; want the entry read for the request that left", r, err)
	}
}

// A read that panics answers an error to the requests waiting on it, is
// not kept, and does not end the process.
func TestLookupOncePanic(t *testing.T) {
	h := &Handler{lookups: newTTLCache[lookupResult](time.Hour, 100, time.Now)}
	r, err := h.lookupOnce(context.Background(), "acme", "k", func(context.Context) (lookupResult, bool) {
		panic("driver bug")
	})
	if err != nil || r.err == nil || !strings.Contains(r.err.Error(), "driver bug") {
		t.Errorf("got %+v, %v; want an answer carrying the panic as an error", r, err)
	}
	if _, ok := h.lookups.get("acme", "k"); ok {
		t.Error("the panic's answer was kept")
	}
}

// With LookupTTL 0 ("never reuse") requests do not share reads either.
func TestLookupOnceTTLZero(t *testing.T) {
	h := &Handler{lookups: newTTLCache[lookupResult](0, 100, time.Now)}
	gate := make(chan struct{})
	var reads atomic.Int32
	read := func(context.Context) (lookupResult, bool) {
		if reads.Add(1) == 2 {
			close(gate) // the second read began while the first waits
		}
		<-gate
		return lookupResult{e: &vitrine.CatalogEntry{Name: "shoe"}}, true
	}
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() { h.lookupOnce(context.Background(), "acme", "k", read) })
	}
	wg.Wait() // with a shared read, the first would wait for ever and the test time out
	if r := reads.Load(); r != 2 {
		t.Errorf("%d reads for 2 requests with LookupTTL 0, want 2", r)
	}
}
