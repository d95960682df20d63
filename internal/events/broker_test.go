package events_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/events"
)

func newBroker(t *testing.T, cfg events.Config) *events.Broker {
	t.Helper()
	b, err := events.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

// next returns the event waiting in sub, failing when there is none: every
// Publish has delivered (or dropped) before it returns.
func next(t *testing.T, sub *events.Subscription) events.Event {
	t.Helper()
	select {
	case ev := <-sub.C:
		return ev
	default:
		t.Fatal("no event waiting")
	}
	return events.Event{}
}

func none(t *testing.T, sub *events.Subscription) {
	t.Helper()
	select {
	case ev := <-sub.C:
		t.Fatalf("unexpected event %s %s", ev.Type, ev.Data)
	default:
	}
}

func TestCompaniesSeeOnlyTheirEvents(t *testing.T) {
	t.Parallel()
	b := newBroker(t, events.DefaultConfig())
	a, z := b.Subscribe(1, ""), b.Subscribe(2, "")
	defer a.Close()
	defer z.Close()
	b.JobChanged(&vitrine.JobRun{Job: vitrine.Job{ID: 7, Status: vitrine.JobRunning}, CompanyID: 1})
	b.CatalogChanged(context.Background(), &vitrine.Company{ID: 2}, []vitrine.CatalogChange{{Asset: "shoe", Destination: vitrine.DestDelivery, Action: vitrine.HistPublished, Version: 1, Context: vitrine.ContextImage}})
	if ev := next(t, a); ev.Type != events.TypeJob || ev.Company != 1 {
		t.Errorf("company 1 got %s of company %d", ev.Type, ev.Company)
	}
	none(t, a)
	ev := next(t, z)
	var got events.AssetEvent
	if err := json.Unmarshal(ev.Data, &got); err != nil {
		t.Fatal(err)
	}
	if ev.Type != events.TypeAsset || len(got.Assets) != 1 || got.Assets[0].Name != "shoe" || got.Assets[0].Published[vitrine.DestDelivery].Version != 1 {
		t.Errorf("company 2 got %s %s", ev.Type, ev.Data)
	}
	none(t, z)
}

// TestSlowSubscriberIsDropped: a subscriber that does not read is dropped
// when its buffer is full; Publish never waits and others go on.
func TestSlowSubscriberIsDropped(t *testing.T) {
	t.Parallel()
	b := newBroker(t, events.Config{Buffer: 4, Replay: 16})
	slow, fast := b.Subscribe(1, ""), b.Subscribe(1, "")
	defer slow.Close()
	defer fast.Close()
	for i := range 10 {
		if err := b.Publish(1, events.TypeJob, i); err != nil {
			t.Fatal(err)
		}
		if ev := next(t, fast); string(ev.Data) != string(mustJSON(t, i)) {
			t.Fatalf("fast got %s, want %d", ev.Data, i)
		}
	}
	select {
	case <-slow.Lagged:
	default:
		t.Fatal("the slow subscriber was not dropped")
	}
	select {
	case <-fast.Lagged:
		t.Fatal("the fast subscriber was dropped")
	default:
	}
	if n := b.Subscribers(); n != 1 {
		t.Errorf("Subscribers() = %d, want 1", n)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestResume: Last-Event-ID replays what was kept, and says Missed when
// events after it are gone or the ID is from another process.
func TestResume(t *testing.T) {
	t.Parallel()
	b := newBroker(t, events.Config{Buffer: 8, Replay: 4})
	sub := b.Subscribe(1, "")
	var ids []string
	for i := range 6 {
		b.Publish(1, events.TypeJob, i)
		b.Publish(2, events.TypeJob, i) // another company's events do not count
		ids = append(ids, next(t, sub).ID)
	}
	sub.Close()
	for _, tc := range []struct {
		name    string
		last    string
		replay  int
		missed  bool
		firstIs int
	}{
		{"recent", ids[3], 2, false, 4},
		{"newest", ids[5], 0, false, 0},
		{"evicted", ids[0], 0, true, 0},
		{"just kept", ids[1], 4, false, 2},
		{"other process", "x-3", 0, true, 0},
		{"garbage", "nonsense", 0, true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := b.Subscribe(1, tc.last)
			defer s.Close()
			if s.Missed != tc.missed || len(s.C) != tc.replay {
				t.Fatalf("Subscribe(%q): missed %v, %d replayed; want %v, %d", tc.last, s.Missed, len(s.C), tc.missed, tc.replay)
			}
			if tc.replay > 0 {
				if ev := next(t, s); ev.ID != ids[tc.firstIs] {
					t.Errorf("first replayed %s, want %s", ev.ID, ids[tc.firstIs])
				}
			}
		})
	}
}

// TestJobNeverRunsAgain: once a job's end is published, a late report of
// it running (a cancel request's "stopping" overtaken by the worker) is
// dropped, and so is a repeated end.
func TestJobNeverRunsAgain(t *testing.T) {
	t.Parallel()
	b := newBroker(t, events.DefaultConfig())
	sub := b.Subscribe(1, "")
	defer sub.Close()
	job := func(s vitrine.JobStatus) *vitrine.JobRun {
		return &vitrine.JobRun{Job: vitrine.Job{ID: 3, Status: s}, CompanyID: 1}
	}
	for _, s := range []vitrine.JobStatus{vitrine.JobRunning, vitrine.JobCancelled, vitrine.JobStopping, vitrine.JobCancelled} {
		b.JobChanged(job(s))
	}
	var got []vitrine.JobStatus
	for len(sub.C) > 0 {
		var je events.JobEvent
		json.Unmarshal(next(t, sub).Data, &je)
		got = append(got, je.Status)
	}
	if len(got) != 2 || got[0] != vitrine.JobRunning || got[1] != vitrine.JobCancelled {
		t.Errorf("statuses %v, want [running cancelled]", got)
	}
}

// TestBigBatchIsFewEvents: the asset events of a batch of 1,000 changes
// fit a subscriber's buffer.
func TestBigBatchIsFewEvents(t *testing.T) {
	t.Parallel()
	b := newBroker(t, events.Config{Buffer: 16, Replay: 0})
	sub := b.Subscribe(1, "")
	defer sub.Close()
	var changes []vitrine.CatalogChange
	for i := range 1000 {
		changes = append(changes, vitrine.CatalogChange{Asset: string(rune('a'+i%26)) + string(rune('0'+i/26%10)) + string(rune('0'+i/260)),
			Destination: vitrine.DestDelivery, Action: vitrine.HistPublished, Version: 1})
	}
	b.CatalogChanged(context.Background(), &vitrine.Company{ID: 1}, changes)
	if n := len(sub.C); n != 10 {
		t.Errorf("%d events for 1,000 changes, want 10", n)
	}
	select {
	case <-sub.Lagged:
		t.Error("dropped")
	default:
	}
}
