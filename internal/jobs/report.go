package jobs

import (
	"context"
	"sync"

	"github.com/vitrine/vitrine"
)

// Reporter is told of every change the engine commits to a job: created,
// started, a batch done, totals, log lines, stopping, ended. Live views
// (internal/events, the workspace's Jobs page) show job progress from it.
// JobChanged must not block: it runs on the worker's path.
type Reporter interface {
	JobChanged(j *vitrine.JobRun)
}

// reportingStore is the engine's store when it has a Reporter: each job
// change it makes is reported after it commits, with the job as the change
// left it. Changes that return the job report that; the others read it.
type reportingStore struct {
	vitrine.Store
	r     Reporter
	order *jobOrder
}

// jobOrder serializes, per job, a change and its report, so that one job's
// reports reach the reporter in the order their changes committed: a
// cancel's "stopping" is never overtaken by the "cancelled" its worker
// commits a moment later (the broker drops a report after a job's end).
// Only the methods below take it, each around one store call, never
// nested, so it cannot deadlock with the database's own locks.
type jobOrder struct {
	mu    sync.Mutex
	locks map[int64]*orderLock
}

type orderLock struct {
	mu    sync.Mutex
	users int
}

func newJobOrder() *jobOrder { return &jobOrder{locks: map[int64]*orderLock{}} }

// lock takes job id's lock and returns its release.
func (o *jobOrder) lock(id int64) func() {
	o.mu.Lock()
	l := o.locks[id]
	if l == nil {
		l = &orderLock{}
		o.locks[id] = l
	}
	l.users++
	o.mu.Unlock()
	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		o.mu.Lock()
		if l.users--; l.users == 0 {
			delete(o.locks, id)
		}
		o.mu.Unlock()
	}
}

// reread reads job id after a change that does not return it and reports it.
// A failed read is not the change's failure: the report is skipped.
func (s reportingStore) reread(ctx context.Context, id int64, err error) error {
	if err != nil {
		return err
	}
	if j, rerr := s.Store.Job(context.WithoutCancel(ctx), 0, id); rerr == nil {
		s.r.JobChanged(j)
	}
	return nil
}

func (s reportingStore) report(j *vitrine.JobRun, err error) (*vitrine.JobRun, error) {
	if err == nil {
		s.r.JobChanged(j)
	}
	return j, err
}

func (s reportingStore) CreateJob(ctx context.Context, nj vitrine.NewJob) (*vitrine.JobRun, error) {
	return s.report(s.Store.CreateJob(ctx, nj))
}

func (s reportingStore) StartJob(ctx context.Context, id int64) (*vitrine.JobRun, error) {
	defer s.order.lock(id)()
	return s.report(s.Store.StartJob(ctx, id))
}

func (s reportingStore) SetJobTotal(ctx context.Context, id int64, total int) error {
	defer s.order.lock(id)()
	return s.reread(ctx, id, s.Store.SetJobTotal(ctx, id, total))
}

func (s reportingStore) FinishJob(ctx context.Context, id int64, status vitrine.JobStatus, message string) (*vitrine.JobRun, bool, error) {
	defer s.order.lock(id)()
	j, ended, err := s.Store.FinishJob(ctx, id, status, message)
	if err == nil && ended {
		s.r.JobChanged(j)
	}
	return j, ended, err
}

func (s reportingStore) CancelJob(ctx context.Context, p *vitrine.Principal, id int64) (*vitrine.JobRun, error) {
	defer s.order.lock(id)()
	return s.report(s.Store.CancelJob(ctx, p, id))
}

func (s reportingStore) AppendJobLog(ctx context.Context, id int64, lines []vitrine.JobLogEntry) error {
	if len(lines) == 0 {
		return nil
	}
	defer s.order.lock(id)()
	return s.reread(ctx, id, s.Store.AppendJobLog(ctx, id, lines))
}

func (s reportingStore) AdvanceJob(ctx context.Context, id, resumeAfter int64, lines []vitrine.JobLogEntry) error {
	defer s.order.lock(id)()
	return s.reread(ctx, id, s.Store.AdvanceJob(ctx, id, resumeAfter, lines))
}

func (s reportingStore) AddJobProgress(ctx context.Context, id int64, done, published int) error {
	defer s.order.lock(id)()
	return s.reread(ctx, id, s.Store.AddJobProgress(ctx, id, done, published))
}

func (s reportingStore) FireSchedule(ctx context.Context, f vitrine.Firing) (*vitrine.JobRun, error) {
	j, err := s.Store.FireSchedule(ctx, f)
	if err == nil && j != nil {
		s.r.JobChanged(j)
	}
	return j, err
}

func (s reportingStore) RunNow(ctx context.Context, p *vitrine.Principal, id int64, runName string) (*vitrine.JobRun, error) {
	return s.report(s.Store.RunNow(ctx, p, id, runName))
}

func (s reportingStore) UpdateSchedule(ctx context.Context, p *vitrine.Principal, id int64, patch vitrine.SchedulePatch) (*vitrine.JobRun, error) {
	return s.report(s.Store.UpdateSchedule(ctx, p, id, patch))
}

func (s reportingStore) PublishBatch(ctx context.Context, jobID int64, sc vitrine.PublishScope, size int) (*vitrine.JobRun, []vitrine.CatalogChange, bool, error) {
	defer s.order.lock(jobID)()
	j, changes, ended, err := s.Store.PublishBatch(ctx, jobID, sc, size)
	if err == nil && j != nil {
		s.r.JobChanged(j)
	}
	return j, changes, ended, err
}

// reportJob reads job id and reports it: after a change made through the
// service layer (an upload job's ingest), which writes to the store
// directly.
func (e *Engine) reportJob(ctx context.Context, id int64) {
	if rs, ok := e.db.(reportingStore); ok {
		_ = rs.reread(ctx, id, nil)
	}
}
