package cluster

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
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

// TestBusRelaysEvents: job and asset events published on node A reach a
// stream open on node B, in order, once (not relayed back to A); an asset
// event too large for one notification arrives split, a job event with a
// long message shortened, any other large event as "reload"; a job's end
// is final on B too, whatever A sends after it.
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
	a.JobChanged(&vitrine.JobRun{Job: vitrine.Job{ID: 2, Status: vitrine.JobFailed}, CompanyID: 7, Message: strings.Repeat("x", 9000)})
	var many []vitrine.CatalogChange // one event of 100 assets, about 20 KB
	for i := range 100 {
		many = append(many, vitrine.CatalogChange{Asset: fmt.Sprintf("%0150d", i), Destination: vitrine.DestDelivery, Version: 1})
	}
	a.CatalogChanged(context.Background(), &vitrine.Company{ID: 7}, many)
	if err := a.Publish(7, "custom", strings.Repeat("y", 9000)); err != nil {
		t.Fatal(err)
	}
	a.JobChanged(&vitrine.JobRun{Job: vitrine.Job{ID: 1, Name: "Nightly", Status: vitrine.JobSucceeded, Total: 10, Done: 10}, CompanyID: 7})

	for _, want := range []string{`"done":3`, `"shoe"`, `"status":"failed"`} {
		if ev := nextEvent(t, onB); !strings.Contains(string(ev.Data), want) {
			t.Fatalf("node B got %s %s, want one with %s", ev.Type, ev.Data, want)
		}
	}
	seen := map[string]bool{}
	for len(seen) < 100 {
		ev := nextEvent(t, onB)
		var ae events.AssetEvent
		if ev.Type != events.TypeAsset || json.Unmarshal(ev.Data, &ae) != nil {
			t.Fatalf("node B got %s %.80s with %d of the 100 assets seen, want the rest of them", ev.Type, ev.Data, len(seen))
		}
		for _, st := range ae.Assets {
			seen[st.Name] = true
		}
	}
	if ev := nextEvent(t, onB); ev.Type != events.TypeReload {
		t.Fatalf("node B got %s for a large event it cannot split, want reload", ev.Type)
	}
	if ev := nextEvent(t, onB); !strings.Contains(string(ev.Data), `"status":"succeeded"`) {
		t.Fatalf("node B got %s, want job 1's end", ev.Data)
	}

	// A late "running" of job 1, sent past A's own guard (a cancel's
	// "stopping" overtaken by the end): B's guard drops it too; the marker
	// after it comes first on B.
	if err := a.Publish(7, events.TypeJob, events.JobEvent{ID: 1, Status: vitrine.JobRunning}); err != nil {
		t.Fatal(err)
	}
	a.JobChanged(&vitrine.JobRun{Job: vitrine.Job{ID: 3, Name: "marker", Status: vitrine.JobQueued}, CompanyID: 7})
	if ev := nextEvent(t, onB); !strings.Contains(string(ev.Data), `"marker"`) {
		t.Errorf("node B got %s after job 1's end, want the marker", ev.Data)
	}
	// A sees its own events once: a marker from B is the next thing A's
	// stream shows after A's own events, with no echo before it.
	for {
		if ev := nextEvent(t, onA); strings.Contains(string(ev.Data), `"marker"`) {
			break
		}
	}
	b.JobChanged(&vitrine.JobRun{Job: vitrine.Job{ID: 4, Name: "from B", Status: vitrine.JobQueued}, CompanyID: 7})
	if ev := nextEvent(t, onA); !strings.Contains(string(ev.Data), `"from B"`) {
		t.Errorf("node A got %s %s before B's event (an echo of its own?)", ev.Type, ev.Data)
	}
	select {
	case ev := <-other.C:
		t.Errorf("company 8's stream got company 7's %s", ev.Data)
	default:
	}
}
