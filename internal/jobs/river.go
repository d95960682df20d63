package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
)

// queue is River behind one interface, whatever its driver's transaction
// type: *sql.Tx for SQLite, pgx.Tx for PostgreSQL.
type queue interface {
	insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	start(ctx context.Context) error
	stop(ctx context.Context) error
	subscribe(kinds ...river.EventKind) (<-chan *river.Event, func())
	// requeueOrphans makes jobs a dead process left running available
	// again, where that is knowable: every running job on a single-node
	// SQLite database; on PostgreSQL those last attempted by this node's
	// id (an earlier run of this node), when it has a stable one.
	requeueOrphans(ctx context.Context) (int64, error)
	close()
}

type riverQueue[TTx any] struct {
	client  *river.Client[TTx]
	closeDB func()
	orphans func(ctx context.Context) (int64, error)
}

func (q *riverQueue[TTx]) requeueOrphans(ctx context.Context) (int64, error) {
	if q.orphans == nil {
		return 0, nil
	}
	return q.orphans(ctx)
}

func (q *riverQueue[TTx]) insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	return q.client.Insert(ctx, args, opts)
}

func (q *riverQueue[TTx]) start(ctx context.Context) error { return q.client.Start(ctx) }

// stop waits for running jobs up to the context's deadline, then cancels
// them: a publish job cancelled mid-batch rolls its batch back and resumes
// from its cursor on the next start.
func (q *riverQueue[TTx]) stop(ctx context.Context) error {
	if err := q.client.Stop(ctx); err != nil {
		cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return q.client.StopAndCancel(cctx)
	}
	return nil
}

func (q *riverQueue[TTx]) subscribe(kinds ...river.EventKind) (<-chan *river.Event, func()) {
	return q.client.Subscribe(kinds...)
}

func (q *riverQueue[TTx]) close() { q.closeDB() }

// openQueue opens River on the same database as the store: on SQLite a
// separate pool of one connection, as River's SQLite driver asks, with
// immediate transactions and a busy timeout so it queues behind the store's
// writer instead of failing; on PostgreSQL a pgx pool. River's own
// migrations run here.
func openQueue(ctx context.Context, dsn, nodeID string, cfg *river.Config) (queue, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		pool, err := pgxpool.New(ctx, dsn)
		if err != nil {
			return nil, fmt.Errorf("river: connect: %w", err)
		}
		q, err := newRiverQueue(ctx, riverpgxv5.New(pool), cfg)
		if err != nil {
			pool.Close()
			return nil, err
		}
		q.closeDB = pool.Close
		if nodeID != "" {
			q.orphans = func(ctx context.Context) (int64, error) {
				// Before this node's client starts, nothing runs under its
				// id: a running job last attempted by it is an orphan.
				tag, err := pool.Exec(ctx, `UPDATE river_job SET state = 'available', scheduled_at = now()
					WHERE state = 'running' AND attempted_by[cardinality(attempted_by)] = $1`, nodeID)
				if err != nil {
					return 0, fmt.Errorf("river: requeue this node's orphans: %w", err)
				}
				return tag.RowsAffected(), nil
			}
		}
		return q, nil
	}
	db, err := sql.Open("sqlite", "file:"+dsn+"?_txlock=immediate&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"+
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return nil, fmt.Errorf("river: open: %w", err)
	}
	db.SetMaxOpenConns(1)
	q, err := newRiverQueue(ctx, riversqlite.New(db), cfg)
	if err != nil {
		db.Close()
		return nil, err
	}
	q.closeDB = func() { db.Close() }
	// River's rescuer re-runs a crashed node's jobs only after
	// RescueStuckJobsAfter and on its own fixed 30-second cycle, and its API
	// cannot requeue a running job. A SQLite database has one server, so at
	// start every running job is an orphan of a killed process: requeue them
	// at once (River's table and states are stable across its versions).
	q.orphans = func(ctx context.Context) (int64, error) {
		res, err := db.ExecContext(ctx, `UPDATE river_job SET state = 'available' WHERE state = 'running'`)
		if err != nil {
			return 0, fmt.Errorf("river: requeue orphans: %w", err)
		}
		return res.RowsAffected()
	}
	return q, nil
}

func newRiverQueue[TTx any](ctx context.Context, driver riverdriver.Driver[TTx], cfg *river.Config) (*riverQueue[TTx], error) {
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: quietLogger(cfg.Logger)})
	if err != nil {
		return nil, fmt.Errorf("river: migrator: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return nil, fmt.Errorf("river: migrate: %w", err)
	}
	c, err := river.NewClient(driver, cfg)
	if err != nil {
		return nil, fmt.Errorf("river: client: %w", err)
	}
	return &riverQueue[TTx]{client: c}, nil
}

// quietLogger passes on River's warnings and errors only.
func quietLogger(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(levelFilter{l.Handler(), slog.LevelWarn})
}

type levelFilter struct {
	slog.Handler
	min slog.Level
}

func (f levelFilter) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= f.min && f.Handler.Enabled(ctx, l)
}

func (f levelFilter) WithAttrs(a []slog.Attr) slog.Handler {
	return levelFilter{f.Handler.WithAttrs(a), f.min}
}

func (f levelFilter) WithGroup(g string) slog.Handler {
	return levelFilter{f.Handler.WithGroup(g), f.min}
}
