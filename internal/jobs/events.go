package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/vitrine/vitrine"
)

// Event says that one run of a job, or one attempt to deliver its HTTP
// notification, has ended on this node. It is a signal, not a status: read
// the job to learn where it stands. Tests wait on events instead of polling
// the database; live views (the web UI's job progress) refresh on them.
type Event struct {
	JobID int64
	// Notification: the event is about the job's HTTP notification
	// (or its follow-on HTTP call), not about running the job.
	Notification bool
	// Final: River will not run this again (it succeeded, was cancelled,
	// or ran out of attempts). A run that is not final is retried.
	Final bool
}

// Subscribe returns the engine's events and the function that ends the
// subscription. The channel is closed when the subscription ends or the
// engine stops. Read it promptly: River drops the events of a subscriber
// that falls 1,000 behind. Call the returned function exactly when done;
// it stops the goroutine that translates River's events and waits for it.
func (e *Engine) Subscribe() (<-chan Event, func()) {
	in, cancelRiver := e.q.subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled)
	out := make(chan Event, 16)
	quit, done := make(chan struct{}), make(chan struct{})
	go func() { // owned by the subscription; exits when River closes in or on quit
		defer close(done)
		defer close(out)
		for ev := range in {
			x, ok := toEvent(ev)
			if !ok {
				continue
			}
			select {
			case out <- x:
			case <-quit:
				return
			}
		}
	}()
	var once sync.Once
	return out, func() {
		once.Do(func() {
			close(quit)
			cancelRiver()
			<-done
		})
	}
}

// toEvent translates a River event about one of our River jobs.
func toEvent(ev *river.Event) (Event, bool) {
	if ev == nil || ev.Job == nil {
		return Event{}, false
	}
	var args struct {
		JobID int64 `json:"job_id"`
	}
	x := Event{Final: ev.Kind != river.EventKindJobFailed || ev.Job.State == rivertype.JobStateDiscarded}
	switch ev.Job.Kind {
	case runArgs{}.Kind():
	case notifyArgs{}.Kind():
		x.Notification = true
	default:
		return Event{}, false
	}
	if err := json.Unmarshal(ev.Job.EncodedArgs, &args); err != nil {
		return Event{}, false
	}
	x.JobID = args.JobID
	return x, true
}

// WaitJob waits until job id has ended (a terminal status) and returns it.
// It reads the job when it starts and again after each run of it ends on
// this node, so it needs the engine started; ctx bounds the wait.
func (e *Engine) WaitJob(ctx context.Context, id int64) (*vitrine.JobRun, error) {
	events, cancel := e.Subscribe()
	defer cancel()
	for {
		j, err := e.db.Job(ctx, 0, id)
		if err != nil {
			return nil, err
		}
		if j.Status.Terminal() {
			return j, nil
		}
		if err := waitEvent(ctx, events, func(ev Event) bool { return ev.JobID == id && !ev.Notification }); err != nil {
			return nil, fmt.Errorf("wait for job %d (%s): %w", id, j.Status, err)
		}
	}
}

// WaitNotified waits until the HTTP notification of job id (or its HTTP
// follow-on) has been delivered or has run out of attempts; its attempts
// are then in the delivery log. The subscription must have been made
// before the notification could end: pass the channel of a Subscribe call
// made before the job was submitted.
func WaitNotified(ctx context.Context, events <-chan Event, id int64) error {
	if err := waitEvent(ctx, events, func(ev Event) bool { return ev.JobID == id && ev.Notification && ev.Final }); err != nil {
		return fmt.Errorf("wait for the notification of job %d: %w", id, err)
	}
	return nil
}

// waitEvent reads events until one matches, the channel closes or ctx ends.
func waitEvent(ctx context.Context, events <-chan Event, match func(Event) bool) error {
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				return errors.New("the job engine stopped")
			}
			if match(ev) {
				return nil
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
