package cluster

import (
	"context"
	"database/sql"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/events"
	"github.com/vitrine/vitrine/internal/testenv"
)

// startRelay is a node's bus with its event broker relayed.
func startRelay(t *testing.T, dsn string) *events.Broker {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	br, err := events.New(events.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(context.Background(), db, dsn, nil, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	b.RelayEvents(br)
	br.UseRelay(b)
	if err := b.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Stop)
	return br
}

func nextEvent(t *testing.T, s *events.Subscription) events.Event {
	t.Helper()
	select {
	case ev := <-s.C:
		return ev
	case <-time.After(30 * time.Second):
		t.Fatal("no event within 30 s")
		return events.Event{}
	}
}

// TestBusRelaysEvents: a job event and an asset event published on node A
// reach a stream open on node B, in order, once (not relayed back to A);
// an event too large for a notification reaches B as "reload"; a job's
// end is final on B too.
func TestBusRelaysEvents(t *testing.T) {
	t.Parallel()
	dsn := testenv.PostgresDSN(t)
	a, b := startRelay(t, dsn), startRelay(t, dsn)
	onA, onB := a.Subscribe(7, ""), b.Subscribe(7, "")
	defer onA.Close()
	defer onB.Close()
	other := b.Subscribe(8, "")
	defer other.Close()

	a.JobChanged(&vitrine.JobRun{Job: vitrine.Job{ID: 1, Name: "Nightly", Status: vitrine.JobRunning, Total: 10, Done: 3}, CompanyID: 7})
	a.CatalogChanged(context.Background(), &vitrine.Company{ID: 7}, []vitrine.CatalogChange{{Asset: "shoe", Destination: vitrine.DestDelivery, Version: 2}})
	big := &vitrine.JobRun{Job: vitrine.Job{ID: 2, Status: vitrine.JobRunning}, CompanyID: 7, Message: strings.Repeat("x", 9000)}
	a.JobChanged(big)
	a.JobChanged(&vitrine.JobRun{Job: vitrine.Job{ID: 1, Name: "Nightly", Status: vitrine.JobSucceeded, Total: 10, Done: 10}, CompanyID: 7})

	for _, want := range []string{`"done":3`, `"shoe"`, `"reason":"large"`, `"status":"succeeded"`} {
		ev := nextEvent(t, onB)
		if !strings.Contains(string(ev.Data), want) {
			t.Fatalf("node B got %s %s, want one with %s", ev.Type, ev.Data, want)
		}
	}
	// A's stream has its four, and nothing relayed back.
	for range 4 {
		nextEvent(t, onA)
	}
	// A late "running" after the end (a cancel overtaken) is dropped on B
	// as it is on A; a marker event then shows nothing came before it.
	a.JobChanged(&vitrine.JobRun{Job: vitrine.Job{ID: 1, Status: vitrine.JobRunning}, CompanyID: 7})
	a.JobChanged(&vitrine.JobRun{Job: vitrine.Job{ID: 3, Name: "marker", Status: vitrine.JobQueued}, CompanyID: 7})
	if ev := nextEvent(t, onB); !strings.Contains(string(ev.Data), `"marker"`) {
		t.Errorf("node B got %s after job 1's end, want the marker", ev.Data)
	}
	if ev := nextEvent(t, onA); !strings.Contains(string(ev.Data), `"marker"`) {
		t.Errorf("node A got %s, want the marker (its own events once)", ev.Data)
	}
	select {
	case ev := <-onA.C:
		t.Errorf("node A got %s %s twice (relayed back)", ev.Type, ev.Data)
	case ev := <-other.C:
		t.Errorf("company 8's stream got company 7's %s", ev.Data)
	default:
	}
}
