package edge

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// withDisk gives the edge a disk tier too, so purges are checked on both.
func withDisk(t *testing.T) func(*Config) {
	return func(c *Config) { c.DiskDir = t.TempDir() }
}

const (
	shoe100 = "/is/image/acme/shoe?wid=100"
	shoe200 = "/is/image/acme/shoe?wid=200"
	boot100 = "/is/image/acme/boot?wid=100"
)

func (f *fixture) warm(uris ...string) {
	f.t.Helper()
	for _, u := range uris {
		f.get(u)
		if r := f.get(u); r.cache() != "HIT" {
			f.t.Fatalf("warm %s: X-Cache %s", u, r.cache())
		}
	}
}

func (f *fixture) wantCache(want map[string]string) {
	f.t.Helper()
	got := map[string]string{}
	for u := range want {
		got[u] = f.get(u).cache()
	}
	if d := cmp.Diff(want, got); d != "" {
		f.t.Errorf("X-Cache by URL (-want +got):\n%s", d)
	}
}

func decodePurge(t *testing.T, r reply) PurgeResponse {
	t.Helper()
	if r.Status != 200 {
		t.Fatalf("purge = %d %s", r.Status, r.Body)
	}
	var out PurgeResponse
	if err := json.Unmarshal([]byte(r.Body), &out); err != nil {
		t.Fatalf("purge answer %q: %v", r.Body, err)
	}
	return out
}

func TestPurge(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		req    PurgeRequest
		purged int
		after  map[string]string
	}{
		{"by key", PurgeRequest{ID: "k", Keys: []string{"acme/shoe"}}, 2,
			map[string]string{shoe100: "MISS", shoe200: "MISS", boot100: "HIT"}},
		{"by URL, normalised", PurgeRequest{ID: "u", URLs: []string{"/is/image/acme/shoe?.x&WID=100"}}, 1,
			map[string]string{shoe100: "MISS", shoe200: "HIT", boot100: "HIT"}},
		{"by absolute URL", PurgeRequest{ID: "a", URLs: []string{"https://cdn.example.com/is/image/acme/boot?wid=100"}}, 1,
			map[string]string{shoe100: "HIT", shoe200: "HIT", boot100: "MISS"}},
		{"all", PurgeRequest{ID: "all", All: true}, 3,
			map[string]string{shoe100: "MISS", shoe200: "MISS", boot100: "MISS"}},
		{"unknown key", PurgeRequest{ID: "none", Keys: []string{"acme/nothing"}}, 0,
			map[string]string{shoe100: "HIT", shoe200: "HIT", boot100: "HIT"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, withDisk(t))
			f.warm(shoe100, shoe200, boot100)
			got := decodePurge(t, f.purge(tt.req))
			if want := (PurgeResponse{ID: tt.req.ID, Purged: tt.purged}); got != want {
				t.Errorf("purge answer = %+v, want %+v", got, want)
			}
			st := f.node.store.stats()
			if want := 3 - tt.purged; st.diskEntries != want || st.indexed != want {
				t.Errorf("after purge: %d on disk, %d indexed, want %d", st.diskEntries, st.indexed, want)
			}
			f.wantCache(tt.after)
		})
	}
}

func TestPurgeRejectsBadSignatures(t *testing.T) {
	t.Parallel()
	body := []byte(`{"id":"x","all":true}`)
	tests := []struct {
		name   string
		send   func(f *fixture) reply
		status int
	}{
		{"valid", func(f *fixture) reply { return f.purgeRaw(body, f.clock.Now(), testSecret) }, 200},
		{"4 minutes old", func(f *fixture) reply { return f.purgeRaw(body, f.clock.Now().Add(-4*time.Minute), testSecret) }, 200},
		{"6 minutes old", func(f *fixture) reply { return f.purgeRaw(body, f.clock.Now().Add(-6*time.Minute), testSecret) }, 401},
		{"6 minutes ahead", func(f *fixture) reply { return f.purgeRaw(body, f.clock.Now().Add(6*time.Minute), testSecret) }, 401},
		{"wrong secret", func(f *fixture) reply { return f.purgeRaw(body, f.clock.Now(), []byte("another-secret-0123456")) }, 401},
		{"unsigned", func(f *fixture) reply {
			r, _ := http.NewRequest(http.MethodPost, f.edge.URL+"/_edge/purge", nil)
			return send(f.t, r)
		}, 401},
		{"body changed after signing", func(f *fixture) reply {
			r, _ := http.NewRequest(http.MethodPost, f.edge.URL+"/_edge/purge", nil)
			ts, sig := Sign(testSecret, f.clock.Now(), []byte(`{"id":"x","keys":["acme/a"]}`))
			r.Header.Set(HeaderTimestamp, ts)
			r.Header.Set(HeaderSignature, sig)
			r.Body = http.NoBody
			return send(f.t, r)
		}, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			f.warm(shoe100)
			r := tt.send(f)
			if r.Status != tt.status {
				t.Fatalf("status = %d %s, want %d", r.Status, r.Body, tt.status)
			}
			if want := map[bool]string{true: "MISS", false: "HIT"}[tt.status == 200]; f.get(shoe100).cache() != want {
				t.Errorf("cached entry after a %d purge: want %s", r.Status, want)
			}
			if tt.status == 401 && f.metric("vitrine_edge_purges_total", "outcome", "unauthorized") != 1 {
				t.Error("unauthorized purge not counted")
			}
		})
	}
}

func TestPurgeRejectsBadRequests(t *testing.T) {
	t.Parallel()
	f := setup(t)
	for _, body := range []string{`{"id":"x"}`, `not json`, `{"id":"x","keys":[""]}`, `{"id":"x","keys":["acme/summer sale"]}`, `{"id":"x","keys":["acme/a,b"]}`, `{"id":"x","urls":["%zz"]}`} {
		if r := f.purgeRaw([]byte(body), f.clock.Now(), testSecret); r.Status != http.StatusBadRequest {
			t.Errorf("purge %s = %d, want 400", body, r.Status)
		}
	}
}

func TestPurgeBeatsInFlightFetch(t *testing.T) {
	t.Parallel()
	f := setup(t, withDisk(t))
	entered, release := f.blockingOrigin()

	first := make(chan reply)
	go func() { first <- f.get(shoe100) }()
	<-entered // the fetch has reached the origin, before the unpublish

	decodePurge(t, f.purge(PurgeRequest{ID: "unpublish", Keys: []string{"acme/shoe"}}))

	// A request after the purge must not wait on the fetch that began
	// before it: it reaches the origin itself.
	second := make(chan reply)
	go func() { second <- f.get(shoe100) }()
	<-entered
	close(release)

	if r := <-first; r.Status != 200 || r.cache() != "MISS" {
		t.Errorf("first = %d %s, want 200 MISS", r.Status, r.cache())
	}
	if r := <-second; r.Status != 200 || r.cache() != "MISS" {
		t.Errorf("second = %d %s, want 200 MISS", r.Status, r.cache())
	}
	if got := f.origin.count("/is/image/acme/shoe"); got != 2 {
		t.Errorf("origin fetches = %d, want 2", got)
	}
	// Only the fetch that started after the purge was stored.
	if st := f.node.store.stats(); st.indexed != 1 || st.diskEntries != 1 {
		t.Errorf("entries = %d (disk %d), want 1", st.indexed, st.diskEntries)
	}
}

func TestPurgeOfOtherKeyDoesNotFenceFetch(t *testing.T) {
	t.Parallel()
	f := setup(t)
	entered, release := f.blockingOrigin()
	first := make(chan reply)
	go func() { first <- f.get(shoe100) }()
	<-entered
	decodePurge(t, f.purge(PurgeRequest{ID: "other", Keys: []string{"acme/boot"}}))
	close(release)
	<-first
	if r := f.get(shoe100); r.cache() != "HIT" {
		t.Errorf("X-Cache = %s, want HIT: the purge named another asset", r.cache())
	}
}

func TestNodeIsPurgeable(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.warm(shoe100, boot100)
	var p Purgeable = f.node
	rep := p.Purge(context.Background(), PurgeRequest{ID: "local", Keys: []string{"acme/shoe"}})
	if !rep.Confirmed() || rep.Results[0].Purged != 1 {
		t.Errorf("report = %+v, want confirmed with 1 purged", rep)
	}
	if rep := p.Purge(context.Background(), PurgeRequest{ID: "empty"}); rep.Confirmed() {
		t.Errorf("empty purge confirmed: %+v", rep)
	}
	f.wantCache(map[string]string{shoe100: "MISS", boot100: "HIT"})
}

func TestPurgeLog(t *testing.T) {
	t.Parallel()
	var l purgeLog
	for e := uint64(1); e <= purgeLogSize+10; e++ {
		l.add(purgeRecord{epoch: e, tags: map[string]struct{}{"k:a": {}}})
	}
	current := uint64(purgeLogSize + 10)
	tests := []struct {
		since uint64
		tags  []string
		want  bool
	}{
		{current, []string{"k:a"}, false},    // nothing since
		{current - 1, []string{"k:a"}, true}, // named
		{current - 1, []string{"k:b"}, false},
		{5, []string{"k:b"}, true}, // the log no longer reaches back
	}
	for _, tt := range tests {
		if got := l.covers(tt.since, current, tt.tags); got != tt.want {
			t.Errorf("covers(%d, %v) = %v, want %v", tt.since, tt.tags, got, tt.want)
		}
	}
}
