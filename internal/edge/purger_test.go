package edge

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// switchable wraps an edge so a test can take it down (503 for
// everything, health included) and bring it back.
type switchable struct {
	h    http.Handler
	down atomic.Bool
}

func (s *switchable) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.down.Load() {
		http.Error(w, "down", http.StatusServiceUnavailable)
		return
	}
	s.h.ServeHTTP(w, r)
}

func newTestPurger(t *testing.T, edges ...string) *Purger {
	t.Helper()
	// Dated by the same fake clock the edges read.
	p, err := NewPurger(PurgerConfig{Edges: edges, Secret: testSecret, Attempts: 2, Backoff: time.Millisecond, Now: newFakeClock().Now}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// ignoreTiming leaves out what varies from run to run.
var ignoreTiming = cmpopts.IgnoreFields(EdgeResult{}, "Latency", "Error")

func TestPurgerThreeEdgesOneDown(t *testing.T) {
	t.Parallel()
	e1, e2, e3 := setup(t), setup(t), setup(t)
	sw := &switchable{h: e3.node}
	e3srv := httptest.NewServer(sw)
	t.Cleanup(e3srv.Close)
	for _, e := range []*fixture{e1, e2, e3} {
		e.warm(shoe100, boot100)
	}
	p := newTestPurger(t, e1.edge.URL, e2.edge.URL, e3srv.URL)

	sw.down.Store(true)
	rep := p.Purge(context.Background(), PurgeRequest{ID: "republish-1", Keys: []string{"acme/shoe"}})
	want := PurgeReport{ID: "republish-1", Results: []EdgeResult{
		{Edge: e1.edge.URL, OK: true, Purged: 1, Attempts: 1},
		{Edge: e2.edge.URL, OK: true, Purged: 1, Attempts: 1},
		{Edge: e3srv.URL, Attempts: 2},
	}}
	if d := cmp.Diff(want, rep, ignoreTiming); d != "" {
		t.Errorf("report (-want +got):\n%s", d)
	}
	if rep.Confirmed() || !strings.Contains(rep.Results[2].Error, "503") {
		t.Errorf("report confirmed %v, error of the down edge %q; want unconfirmed with the 503", rep.Confirmed(), rep.Results[2].Error)
	}
	if d := cmp.Diff([]string{e3srv.URL}, rep.Unconfirmed()); d != "" {
		t.Errorf("unconfirmed (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{e3srv.URL}, p.Pending()); d != "" {
		t.Errorf("pending (-want +got):\n%s", d)
	}
	e1.wantCache(map[string]string{shoe100: "MISS", boot100: "HIT"})

	// Still down: the catch-up waits.
	if rep := p.RunOnce(context.Background()); len(rep.Results) != 1 || rep.Results[0].OK {
		t.Errorf("RunOnce while down = %+v, want one failed result", rep)
	}
	if len(p.Pending()) != 1 {
		t.Errorf("pending = %v, want the down edge", p.Pending())
	}

	// Back up, it still holds what it should have dropped, until the
	// catch-up drops everything.
	sw.down.Store(false)
	rep = p.RunOnce(context.Background())
	if len(rep.Results) != 1 || !rep.Results[0].OK || rep.Results[0].Purged != 2 || rep.Results[0].Edge != e3srv.URL {
		t.Errorf("catch-up report = %+v, want the edge confirming 2 entries dropped", rep)
	}
	if len(p.Pending()) != 0 {
		t.Errorf("pending after catch-up = %v, want none", p.Pending())
	}
	e3.wantCache(map[string]string{shoe100: "MISS", boot100: "MISS"})
	if rep := p.RunOnce(context.Background()); len(rep.Results) != 0 {
		t.Errorf("RunOnce with nothing pending = %+v, want no results", rep)
	}
}

func TestPurgerRetriesTransientFailures(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.warm(shoe100)
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		f.node.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	rep := newTestPurger(t, srv.URL).Purge(context.Background(), PurgeRequest{ID: "r", URLs: []string{shoe100}})
	want := []EdgeResult{{Edge: srv.URL, OK: true, Purged: 1, Attempts: 2}}
	if d := cmp.Diff(want, rep.Results, ignoreTiming); d != "" {
		t.Errorf("results (-want +got):\n%s", d)
	}
}

func TestPurgerUnreachableEdge(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close() // nothing listens there any more
	rep := newTestPurger(t, srv.URL).Purge(context.Background(), PurgeRequest{ID: "u", All: true})
	if r := rep.Results[0]; r.OK || r.Attempts != 2 || r.Error == "" {
		t.Errorf("result = %+v, want 2 failed attempts with an error", r)
	}
}

func TestPurgerWrongSecretIsNotRetried(t *testing.T) {
	t.Parallel()
	f := setup(t)
	p, err := NewPurger(PurgerConfig{Edges: []string{f.edge.URL}, Secret: []byte("not-the-edge-secret"), Attempts: 5, Backoff: time.Millisecond, Now: f.clock.Now}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := p.Purge(context.Background(), PurgeRequest{ID: "s", All: true}).Results[0]
	if r.OK || r.Attempts != 1 || !strings.Contains(r.Error, "401") {
		t.Errorf("result = %+v, want one attempt refused with 401", r)
	}
}

func TestPurgerStartStop(t *testing.T) {
	t.Parallel()
	p := newTestPurger(t, "http://127.0.0.1:1")
	ctx := context.Background()
	if err := p.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := p.Start(ctx); err == nil {
		t.Error("second Start succeeded")
	}
	p.Stop()
	p.Stop() // idempotent
	if err := p.Start(ctx); err != nil {
		t.Errorf("Start after Stop: %v", err)
	}
	p.Stop()
}

func TestNewPurgerValidates(t *testing.T) {
	t.Parallel()
	tests := []PurgerConfig{
		{Edges: []string{"http://e"}, Secret: []byte("short")},
		{Edges: []string{"ftp://e"}, Secret: testSecret},
		{Edges: []string{"http://"}, Secret: testSecret},
	}
	for _, cfg := range tests {
		if _, err := NewPurger(cfg, nil); err == nil {
			t.Errorf("NewPurger(%+v) succeeded", cfg)
		}
	}
}

func TestPurgerConcurrentPurges(t *testing.T) {
	t.Parallel()
	f := setup(t)
	p := newTestPurger(t, f.edge.URL)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			rep := p.Purge(context.Background(), PurgeRequest{ID: "c" + itoa(i), Keys: []string{"acme/x" + itoa(i)}})
			if !rep.Confirmed() {
				t.Errorf("purge %d not confirmed: %+v", i, rep)
			}
		})
	}
	wg.Wait()
}
