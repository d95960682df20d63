package jobs_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/jobs"
)

// TestWaitJob: WaitJob returns a job once it has ended, at once for a job
// that already has, and gives up with its context for a job that is not
// due; a subscription's channel closes when the engine stops.
func TestWaitJob(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	e := newEnv(t, filepath.Join(t.TempDir(), "v.db"), nil)
	e.upload(t, "/a", 0, 3)
	events, unsubscribe := e.eng.Subscribe()
	defer unsubscribe()
	if err := e.eng.Start(ctx); err != nil {
		t.Fatal(err)
	}
	j, err := e.eng.Submit(ctx, e.user, jobs.Submission{Name: "W", Options: jobs.Options{Folders: []string{"/a"}}})
	if err != nil {
		t.Fatal(err)
	}
	done, err := e.eng.WaitJob(ctx, j.ID)
	if err != nil || done.Status != vitrine.JobSucceeded {
		t.Fatalf("WaitJob(%d) = %+v, %v; want succeeded", j.ID, done, err)
	}
	again, err := e.eng.WaitJob(ctx, j.ID)
	if err != nil || again.ID != j.ID || !again.Status.Terminal() {
		t.Errorf("WaitJob(%d) after its end = %+v, %v", j.ID, again, err)
	}
	// A Scheduled entry next year does not end: the context does.
	later, err := e.eng.Submit(ctx, e.user, jobs.Submission{Name: "Later", When: jobs.When{At: "2027-01-01T00:00:00Z"}})
	if err != nil {
		t.Fatal(err)
	}
	short, cancelShort := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancelShort()
	if _, err := e.eng.WaitJob(short, later.ID); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitJob(scheduled entry) = %v, want the context's deadline", err)
	}
	// The subscription saw the job's run end, then closes with the engine.
	var seen bool
	for _, ev := range eventsUntilStop(t, e, events) {
		seen = seen || ev == (jobs.Event{JobID: j.ID, Final: true})
	}
	if !seen {
		t.Errorf("the subscription did not see job %d end", j.ID)
	}
}

// eventsUntilStop stops the engine and returns what the subscription held:
// its channel must close.
func eventsUntilStop(t *testing.T, e *env, events <-chan jobs.Event) []jobs.Event {
	t.Helper()
	stopped := make(chan error, 1)
	go func() { stopped <- e.eng.Stop() }()
	var out []jobs.Event
	timeout := time.After(time.Minute)
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				if err := <-stopped; err != nil {
					t.Errorf("Stop: %v", err)
				}
				return out
			}
			out = append(out, ev)
		case <-timeout:
			t.Fatal("the subscription's channel did not close when the engine stopped")
		}
	}
}
