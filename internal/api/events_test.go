package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/api"
	"github.com/vitrine/vitrine/internal/events"
	"github.com/vitrine/vitrine/internal/jobs"
	"github.com/vitrine/vitrine/internal/service"
	"github.com/vitrine/vitrine/internal/sqlstore"
	"github.com/vitrine/vitrine/internal/testenv"
)

// liveEnv is the API with a running job engine and the event broker, as
// serve wires them, on a real listener: two companies, acme and bolt.
type liveEnv struct {
	srv        *httptest.Server
	db         *sqlstore.DB
	broker     *events.Broker
	acme, bolt *testenv.Company
	tokens     map[string]string // company root ID → its admin's token
}

func newLiveEnv(t *testing.T, dsn string, cfg api.Config, ecfg events.Config) *liveEnv {
	t.Helper()
	ctx := context.Background()
	db := testenv.OpenDSN(t, dsn)
	broker, err := events.New(ecfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(broker.Close)
	changes := service.NewChanges(service.Subscribers{Others: []service.Subscriber{broker}})
	svc := mustService(t, service.Deps{Store: db, Blobs: testenv.Blobs(t), Changes: changes})
	jcfg := jobs.DefaultConfig()
	jcfg.Events = broker
	jcfg.BatchSize = 50
	jcfg.FetchPoll = 50 * time.Millisecond
	jcfg.Tick = time.Hour // nothing scheduled here
	eng, err := jobs.New(ctx, jcfg, svc, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Stop() })
	h, err := api.New(cfg, svc, slog.New(slog.NewTextHandler(io.Discard, nil)), api.Hooks{Jobs: eng, Events: broker})
	if err != nil {
		t.Fatal(err)
	}
	e := &liveEnv{srv: httptest.NewServer(h), db: db, broker: broker, tokens: map[string]string{}}
	t.Cleanup(e.srv.Close)
	t.Cleanup(broker.Close) // ends the streams before the server closes
	for _, name := range []string{"acme", "bolt"} {
		c := testenv.NewCompany(t, db, name)
		if _, err := db.UpdateSettings(ctx, c.ID, []byte(`{"instant_publish":false}`)); err != nil {
			t.Fatal(err)
		}
		e.tokens[name] = testenv.Token(t, db, c.Admin)
		if name == "acme" {
			e.acme = c
		} else {
			e.bolt = c
		}
	}
	return e
}

// images records n images in company c (their bytes are not needed).
func (e *liveEnv) images(t *testing.T, c *testenv.Company, n, seed int) {
	t.Helper()
	for first := 0; first < n; first += 500 {
		var files []vitrine.NewFile
		for i := first; i < min(n, first+500); i++ {
			files = append(files, testenv.Image(fmt.Sprintf("img%05d.jpg", i), seed+i))
		}
		if _, err := e.db.Ingest(context.Background(), c.User, files, vitrine.UploadOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}

func (e *liveEnv) call(t *testing.T, company, method, path, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+"/api/v1/companies/"+company+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.tokens[company])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return resp.StatusCode, out
}

// startJob submits a full publish job now and returns its ID.
func (e *liveEnv) startJob(t *testing.T, company string) int64 {
	t.Helper()
	status, body := e.call(t, company, "POST", "/jobs", `{"type":"publish","options":{"publish_type":"full"}}`)
	if status != http.StatusCreated {
		t.Fatalf("POST /jobs = %d %v", status, body)
	}
	return int64(body["id"].(float64))
}

// sse is one open event stream, read by its own goroutine.
type sse struct {
	events  <-chan sseEvent
	skipped []sseEvent // events next passed over, oldest first
}

type sseEvent struct {
	id, typ, data string
}

func (ev sseEvent) job(t *testing.T) events.JobEvent {
	t.Helper()
	var j events.JobEvent
	if err := json.Unmarshal([]byte(ev.data), &j); err != nil {
		t.Fatalf("job event %q: %v", ev.data, err)
	}
	return j
}

// open opens company's event stream; when it returns, the stream is
// subscribed (the server subscribes before it answers).
func (e *liveEnv) open(t *testing.T, company string) *sse {
	t.Helper()
	req, err := http.NewRequest("GET", e.srv.URL+"/api/v1/companies/"+company+"/events", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.tokens[company])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		resp.Body.Close()
		t.Fatalf("GET /events = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	ch := make(chan sseEvent, 1024)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // exits when the body is closed (cleanup) or the stream ends
		defer wg.Done()
		defer close(ch)
		readSSE(resp.Body, ch)
	}()
	t.Cleanup(func() { resp.Body.Close(); wg.Wait() })
	return &sse{events: ch}
}

// readSSE parses Server-Sent Events from r until it ends.
func readSSE(r io.Reader, ch chan<- sseEvent) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var ev sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if ev.typ != "" {
				ch <- ev
			}
			ev = sseEvent{}
		case strings.HasPrefix(line, "id: "):
			ev.id = line[4:]
		case strings.HasPrefix(line, "event: "):
			ev.typ = line[7:]
		case strings.HasPrefix(line, "data: "):
			ev.data = line[6:]
		}
	}
}

// next returns the stream's next event of type typ, failing after a minute.
func (s *sse) next(t *testing.T, typ string) sseEvent {
	t.Helper()
	timeout := time.NewTimer(time.Minute)
	defer timeout.Stop()
	for {
		select {
		case ev, ok := <-s.events:
			if !ok {
				t.Fatalf("the stream ended while waiting for a %s event", typ)
			}
			if ev.typ == typ {
				return ev
			}
			s.skipped = append(s.skipped, ev)
		case <-timeout.C:
			t.Fatalf("no %s event within a minute", typ)
		}
	}
}

// jobUntilEnd returns the job events of job id until its end.
func (s *sse) jobUntilEnd(t *testing.T, id int64) []events.JobEvent {
	t.Helper()
	var out []events.JobEvent
	for {
		j := s.next(t, events.TypeJob).job(t)
		if j.ID != id {
			continue
		}
		out = append(out, j)
		if j.Status.Terminal() {
			return out
		}
	}
}

// wholeJobEvents is the events configuration of the tests that follow a
// 2,000-asset job's stream to its end: room for all its events. A
// subscriber that falls 64 behind is dropped (by design, events' own
// tests), which a CI run under -race with every package at once did to
// TestEventsProgress once, ending the stream mid-job; these tests are
// about what the events say.
func wholeJobEvents() events.Config {
	cfg := events.DefaultConfig()
	cfg.Buffer = 4096
	return cfg
}

// TestEventsProgress: a full publish job of 2,000 assets shows on the
// stream as job events with increasing done, ending in succeeded, and the
// assets it published as asset events.
func TestEventsProgress(t *testing.T) {
	t.Parallel()
	testenv.EachEngine(t, func(t *testing.T, env *testenv.Env) {
		e := newLiveEnv(t, env.DSN, api.DefaultConfig(), wholeJobEvents())
		e.images(t, e.acme, 2000, 0)
		s := e.open(t, "acme")
		id := e.startJob(t, "acme")
		evs := s.jobUntilEnd(t, id)
		last := evs[len(evs)-1]
		if last.Status != vitrine.JobSucceeded || last.Done != 2000 || last.Total != 2000 {
			t.Fatalf("last event %+v, want succeeded with 2000 of 2000 done", last)
		}
		progress, prev := 0, -1
		for _, j := range evs {
			if j.Done < prev {
				t.Errorf("done went back from %d to %d", prev, j.Done)
			}
			if j.Status == vitrine.JobRunning && j.Done > prev && j.Done > 0 {
				progress++
			}
			prev = j.Done
		}
		if progress < 10 { // 40 batches of 50
			t.Errorf("%d progress events with done growing, want one per batch or so", progress)
		}
		// The asset events came before the job's end (each batch is
		// announced before the next one starts).
		published := map[string]bool{}
		for _, ev := range s.skipped {
			if ev.typ != events.TypeAsset {
				continue
			}
			var ae events.AssetEvent
			if err := json.Unmarshal([]byte(ev.data), &ae); err != nil {
				t.Fatal(err)
			}
			for _, a := range ae.Assets {
				if a.Published[vitrine.DestDelivery] == nil {
					t.Errorf("asset %s: %s not published in the event", a.Name, vitrine.DestDelivery)
				}
				published[a.Name] = true
			}
		}
		if len(published) != 2000 {
			t.Errorf("asset events named %d assets, want 2000", len(published))
		}
	})
}

// TestEventsTenantIsolation: a client of acme never sees bolt's events.
func TestEventsTenantIsolation(t *testing.T) {
	t.Parallel()
	testenv.EachEngine(t, func(t *testing.T, env *testenv.Env) {
		e := newLiveEnv(t, env.DSN, api.DefaultConfig(), events.DefaultConfig())
		e.images(t, e.acme, 10, 0)
		e.images(t, e.bolt, 120, 1000)
		a, b := e.open(t, "acme"), e.open(t, "bolt")
		boltJob := e.startJob(t, "bolt")
		b.jobUntilEnd(t, boltJob)
		// Everything of bolt's job was published before acme's job starts,
		// so a leak would reach acme's stream before acme's own events.
		acmeJob := e.startJob(t, "acme")
		for {
			ev := <-a.events
			switch ev.typ {
			case events.TypeJob:
				j := ev.job(t)
				if j.ID != acmeJob {
					t.Fatalf("acme's stream got job %d's event %s", j.ID, ev.data)
				}
				if j.Status.Terminal() {
					return
				}
			case events.TypeAsset:
				if strings.Contains(ev.data, "img0011") { // only bolt has more than 10 images
					t.Fatalf("acme's stream got bolt's asset event %s", ev.data)
				}
			case "":
				t.Fatal("acme's stream ended")
			}
		}
	})
}

// TestEventsCancel: cancelling a running job shows stopping, then
// cancelled, on the stream.
func TestEventsCancel(t *testing.T) {
	t.Parallel()
	testenv.EachEngine(t, func(t *testing.T, env *testenv.Env) {
		e := newLiveEnv(t, env.DSN, api.DefaultConfig(), wholeJobEvents())
		e.images(t, e.acme, 2000, 0)
		s := e.open(t, "acme")
		id := e.startJob(t, "acme")
		for {
			if j := s.next(t, events.TypeJob).job(t); j.ID == id && j.Done > 0 {
				break // running, 39 batches to go
			}
		}
		status, body := e.call(t, "acme", "POST", fmt.Sprintf("/jobs/%d/cancel", id), "")
		if status != http.StatusAccepted || body["status"] != string(vitrine.JobStopping) {
			t.Fatalf("cancel = %d %v, want 202 stopping", status, body)
		}
		var seen []vitrine.JobStatus
		for _, j := range s.jobUntilEnd(t, id) {
			if len(seen) == 0 || seen[len(seen)-1] != j.Status {
				seen = append(seen, j.Status)
			}
		}
		// Batches that were under way may report running before stopping.
		for len(seen) > 0 && seen[0] == vitrine.JobRunning {
			seen = seen[1:]
		}
		if len(seen) != 2 || seen[0] != vitrine.JobStopping || seen[1] != vitrine.JobCancelled {
			t.Errorf("statuses after the cancel %v, want [stopping cancelled]", seen)
		}
	})
}
