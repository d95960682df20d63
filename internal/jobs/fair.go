package jobs

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/riverqueue/river"
)

// fairShare keeps one company from holding the job workers: a company may
// run at most limit jobs at once on a node (half the workers, at least
// one), so the other half is always there for another company's job. A job
// over its company's share goes back to the queue for a moment (River's
// snooze, which costs no attempt) and frees its worker at once.
//
// Half is held even when one company is alone: a running job cannot be
// preempted, so "more while nobody waits" would let four ten-minute URL
// uploads keep the next company's publish waiting as long.
type fairShare struct {
	limit  int
	snooze time.Duration

	mu      sync.Mutex
	running map[int64]int // company id → jobs running on this node
}

func newFairShare(workers int, snooze time.Duration) *fairShare {
	return &fairShare{limit: max(1, workers/2), snooze: snooze, running: map[int64]int{}}
}

// acquire takes one of company's slots; ok is false when the company
// already runs its share. release gives the slot back.
func (f *fairShare) acquire(company int64) (release func(), ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.running[company] >= f.limit {
		return nil, false
	}
	f.running[company]++
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.running[company]--; f.running[company] <= 0 {
			delete(f.running, company)
		}
	}, true
}

// errJobCancelled is the cause of a running job's context when a member
// cancels it (JOB-4): the job ends cancelled, not failed or retried.
var errJobCancelled = errors.New("job cancelled")

// runningJobs are the cancel functions of the jobs running on this node,
// so Cancel reaches a job in the middle of a slow step (a URL fetch)
// instead of at its next safe point only.
type runningJobs struct {
	mu     sync.Mutex
	cancel map[int64]context.CancelCauseFunc
}

// track returns ctx for job id, cancelled by stop(id); done forgets it.
func (r *runningJobs) track(ctx context.Context, id int64) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	r.mu.Lock()
	if r.cancel == nil {
		r.cancel = map[int64]context.CancelCauseFunc{}
	}
	r.cancel[id] = cancel
	r.mu.Unlock()
	return ctx, func() {
		r.mu.Lock()
		delete(r.cancel, id)
		r.mu.Unlock()
		cancel(nil)
	}
}

// stop cancels job id if it runs on this node.
func (r *runningJobs) stop(id int64) {
	r.mu.Lock()
	cancel := r.cancel[id]
	r.mu.Unlock()
	if cancel != nil {
		cancel(errJobCancelled)
	}
}

// snoozed is what a worker returns for a job over its company's share.
func (f *fairShare) snoozed() error { return river.JobSnooze(f.snooze) }
