// Package jobs is Vitrine's job engine (SPEC §4): Scheduled entries fired
// by a tick, publish and upload jobs run by River workers in batches with a
// safe point between batches, cancel, signed HTTP notifications with
// retries, and the guarded outbound HTTP client.
//
// River runs the work; the schedules are ours. River's periodic jobs live in
// memory and know nothing of time zones, pause or missed runs, so entries
// are rows (rule, time zone, Active, next run) and RunOnce, called every
// Tick, turns each due occurrence into a job row, unique per (entry,
// occurrence), and a River job, unique by its arguments. See docs/design/jobs.md.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/service"
)

// MissedPolicy says what happens to occurrences that passed while no
// server was running (JOB-5).
type MissedPolicy string

const (
	// MissedCatchUpOnce runs one catch-up job for all missed occurrences of
	// an entry, then goes back on schedule. The default.
	MissedCatchUpOnce MissedPolicy = "catch_up_once"
	// MissedSkip runs none of them: the entry waits for its next occurrence.
	MissedSkip MissedPolicy = "skip"
)

// Config configures the engine.
type Config struct {
	Tick        time.Duration // how often due schedules are looked for; 1s
	BatchSize   int           // assets per publish transaction; 1000
	Workers     int           // jobs run at once per node; 4
	MissedRuns  MissedPolicy  // catch_up_once (default) or skip
	MissedGrace time.Duration // an occurrence later than this counts as missed; 1m
	// RescueAfter is how long a running River job may go without finishing
	// before another node (or this one, restarted) runs it again. Re-runs
	// are safe (each batch locks the job and moves its cursor), so this only
	// bounds how long a job killed mid-run waits; 2m.
	RescueAfter time.Duration
	// NodeID names this node to River, the same across its restarts
	// (serve keeps it in the data directory). On PostgreSQL a restarted
	// node requeues at once the jobs its previous run left running, instead
	// of waiting RescueAfter; jobs of a node that does not come back wait
	// for River's rescuer. Empty: River makes up an id per start.
	NodeID string
	// FetchPoll is how often idle workers look for new River jobs. SQLite
	// has no LISTEN/NOTIFY, so this is the pickup latency there; 200ms.
	FetchPoll time.Duration
	// Notifications (JOB-6): attempts, and the exponential backoff between
	// them (base doubled per attempt, capped, with jitter).
	NotifyAttempts   int           // 10
	NotifyBackoff    time.Duration // 5s
	NotifyBackoffMax time.Duration // 1h
	// DropRoot holds the drop folders of upload jobs: DROP_ROOT/<company>/...
	// Empty: drop-folder uploads are refused.
	DropRoot string
	Outbound OutboundConfig
	// Maintenance is the daily Trash and cleanup job (maintenance.go).
	Maintenance MaintenanceConfig
	// Events is told of every change to a job (progress, stopping, the
	// end) as it commits: the live event stream. nil: nobody is told.
	Events Reporter
	// Now and Rand are the clock and the jitter source; tests replace them.
	Now  func() time.Time
	Rand func() float64
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{Tick: time.Second, BatchSize: 1000, Workers: 4, MissedRuns: MissedCatchUpOnce, MissedGrace: time.Minute,
		RescueAfter: 2 * time.Minute, FetchPoll: 200 * time.Millisecond, NotifyAttempts: 10, NotifyBackoff: 5 * time.Second,
		NotifyBackoffMax: time.Hour, Outbound: DefaultOutboundConfig(), Maintenance: DefaultMaintenanceConfig(), Now: time.Now, Rand: rand.Float64}
}

// Validate checks a configuration.
func (c Config) Validate() error {
	switch {
	case c.Tick <= 0 || c.BatchSize < 1 || c.Workers < 1 || c.NotifyAttempts < 1:
		return errors.New("jobs: Tick, BatchSize, Workers and NotifyAttempts must be positive")
	case c.MissedRuns != MissedCatchUpOnce && c.MissedRuns != MissedSkip:
		return fmt.Errorf("jobs: missed-run policy %q is not catch_up_once or skip", c.MissedRuns)
	case c.RescueAfter < time.Second:
		return errors.New("jobs: RescueAfter must be at least a second")
	case c.Now == nil || c.Rand == nil:
		return errors.New("jobs: Now and Rand must be set")
	}
	return c.Maintenance.Validate()
}

// Engine runs jobs. Start it once; Stop it before closing the store.
type Engine struct {
	cfg   Config
	svc   *service.Service // the use cases jobs run: publish, ingest
	db    vitrine.Store
	blobs vitrine.BlobStore
	log   *slog.Logger
	out   *Outbound
	q     queue
	maint maintenanceState
	fair  *fairShare  // per-company share of the workers (fair.go)
	jobs  runningJobs // the jobs running here, for Cancel

	started  atomic.Bool
	stopOnce sync.Once
	quit     chan struct{}
	done     chan struct{}
}

// New opens the engine on the store's database (dsn is what the store was
// opened with) and applies River's migrations. Jobs run svc's use cases,
// and the engine becomes svc's scheduler (publications with a time). It
// does not run anything until Start.
func New(ctx context.Context, cfg Config, svc *service.Service, dsn string, log *slog.Logger) (*Engine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	e := &Engine{cfg: cfg, svc: svc, db: svc.Store(), blobs: svc.Blobs(), log: log, out: NewOutbound(cfg.Outbound),
		quit: make(chan struct{}), done: make(chan struct{}), fair: newFairShare(cfg.Workers, max(cfg.FetchPoll, 100*time.Millisecond))}
	if cfg.Events != nil {
		e.db = reportingStore{Store: e.db, r: cfg.Events, order: newJobOrder()}
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &runWorker{e: e})
	river.AddWorker(workers, &notifyWorker{e: e})
	q, err := openQueue(ctx, dsn, cfg.NodeID, &river.Config{
		ID:                   cfg.NodeID,
		Logger:               quietLogger(log),
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}},
		Workers:              workers,
		JobTimeout:           -1, // jobs are long and safe to interrupt; workers set their own
		RescueStuckJobsAfter: cfg.RescueAfter,
		FetchPollInterval:    cfg.FetchPoll,
		FetchCooldown:        min(cfg.FetchPoll, 100*time.Millisecond),
		MaxAttempts:          10,
		RetryPolicy:          &runRetry{e: e},
	})
	if err != nil {
		return nil, err
	}
	e.q = q
	svc.UseScheduler(e)
	return e, nil
}

// Outbound returns the engine's guarded HTTP client.
func (e *Engine) Outbound() *Outbound { return e.out }

// Start starts the River workers and the schedule tick. The tick runs
// until Stop or until ctx ends.
func (e *Engine) Start(ctx context.Context) error {
	if n, err := e.q.requeueOrphans(ctx); err != nil {
		return err
	} else if n > 0 {
		e.log.Info("jobs: requeued jobs interrupted by the last shutdown", "count", n)
	}
	if err := e.q.start(ctx); err != nil {
		return fmt.Errorf("start river: %w", err)
	}
	e.started.Store(true)
	go e.loop(ctx)
	return nil
}

func (e *Engine) loop(ctx context.Context) {
	defer close(e.done)
	t := time.NewTicker(e.cfg.Tick)
	defer t.Stop()
	for {
		if err := e.RunOnce(ctx, e.cfg.Now()); err != nil && ctx.Err() == nil {
			e.log.Error("jobs: tick", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-e.quit:
			return
		case <-t.C:
		}
	}
}

// Stop stops the tick, lets running jobs finish their batch (up to 30
// seconds, then cancels them: a cancelled batch rolls back and resumes
// from the job's cursor) and closes River's connections. It is safe to call
// more than once, and without Start.
func (e *Engine) Stop() error {
	var err error
	e.stopOnce.Do(func() {
		close(e.quit)
		if e.started.Load() {
			<-e.done
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if e.started.Load() {
			err = e.q.stop(ctx)
		}
		e.q.close()
	})
	return err
}

// RunOnce is one tick at now: it fires every due occurrence of every active
// Scheduled entry, records the daily maintenance runs when their time has
// come, and re-enqueues queued jobs a crash left out of the
// queue. Tests call it with an injected clock.
func (e *Engine) RunOnce(ctx context.Context, now time.Time) error {
	var errs []error
	for range 10 { // a bounded number of rounds: entries due many times over catch up next tick
		due, err := e.db.DueSchedules(ctx, now, 100)
		if err != nil {
			return err
		}
		for i := range due {
			if err := e.fire(ctx, &due[i], now); err != nil {
				errs = append(errs, fmt.Errorf("job %d: %w", due[i].ID, err))
			}
		}
		if len(due) < 100 {
			break
		}
	}
	if err := e.maintain(ctx, now); err != nil {
		errs = append(errs, err)
	}
	lost, err := e.db.Unenqueued(ctx, now.Add(-10*time.Second))
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	for i := range lost {
		if err := e.enqueue(ctx, &lost[i]); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// runArgs is the River job of one of our job rows; unique by its
// arguments, so a job is in River's queue at most once however often it is
// enqueued (a retried tick, a re-enqueue after a crash, two nodes).
type runArgs struct {
	JobID int64 `json:"job_id"`
	// CompanyID is the job's company, for its share of the workers
	// (fair.go); 0 in jobs queued before it was recorded.
	CompanyID int64 `json:"company_id,omitempty"`
}

func (runArgs) Kind() string { return "vitrine_job" }

// enqueue hands a queued job to River and notes that it did.
func (e *Engine) enqueue(ctx context.Context, j *vitrine.JobRun) error {
	_, err := e.q.insert(ctx, runArgs{JobID: j.ID, CompanyID: j.CompanyID}, &river.InsertOpts{
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStateCompleted,
			rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled,
			rivertype.JobStateDiscarded}},
	})
	if err != nil {
		return fmt.Errorf("enqueue job %d: %w", j.ID, err)
	}
	return e.db.MarkEnqueued(ctx, j.ID)
}
