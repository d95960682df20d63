package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/vitrine/vitrine"
)

// CreateJob records a job or a Scheduled entry.
func (d *DB) CreateJob(ctx context.Context, nj NewJob) (*JobRun, error) {
	var id int64
	err := d.inTx(ctx, func(tx *Tx) (err error) {
		id, err = tx.createRun(ctx, nj)
		return err
	})
	if err != nil {
		return nil, err
	}
	return d.Job(ctx, 0, id)
}

func (tx *Tx) createRun(ctx context.Context, nj NewJob) (int64, error) {
	if nj.Options == "" {
		nj.Options = "{}"
	}
	var occ any
	if nj.Occurrence != nil {
		occ = toMicros(*nj.Occurrence)
	}
	var started any // a job recorded as running (a batch upload) has started
	if nj.Status == vitrine.JobRunning {
		started = toMicros(tx.now)
	}
	id, err := tx.insert(ctx, `INSERT INTO jobs (company_id, type, name, status, user_id, submitted_by, options, created_at, schedule_id, occurrence, started_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, nj.CompanyID, string(nj.Type), nj.Name, string(nj.Status), nullID(nj.UserID),
		nullID(nj.SubmittedBy), nj.Options, toMicros(tx.now), nj.ScheduleID, occ, started)
	if isConflict(translate(err)) {
		return 0, vitrine.Errorf(vitrine.ECONFLICT, "a run of job %d for this occurrence exists", *nj.ScheduleID)
	} else if err != nil {
		return 0, fmt.Errorf("insert job: %w", err)
	}
	if s := nj.Schedule; s != nil {
		_, err = tx.exec(ctx, `INSERT INTO schedules (job_id, company_id, kind, rule, time_zone, active, once, next_run_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, nj.CompanyID, s.Kind, s.Rule, s.TimeZone, s.Active, s.Once, nullMicros(s.NextRun), toMicros(tx.now))
		if err != nil {
			return 0, fmt.Errorf("insert schedule: %w", err)
		}
	}
	return id, nil
}

func nullMicros(t *time.Time) any {
	if t == nil {
		return nil
	}
	return toMicros(*t)
}

// MarkEnqueued records that the engine's queue holds job id.
func (d *DB) MarkEnqueued(ctx context.Context, id int64) error {
	return d.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE jobs SET enqueued = TRUE WHERE id = ?`, id)
		return err
	})
}

// Unenqueued returns queued jobs created before cutoff that the queue was
// never told about: a crash between recording a job and enqueueing it.
func (d *DB) Unenqueued(ctx context.Context, cutoff time.Time) ([]JobRun, error) {
	var out []JobRun
	err := d.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+jobCols+jobFrom+`WHERE j.status = 'queued' AND NOT j.enqueued AND j.created_at < ? ORDER BY j.id LIMIT 1000`,
			toMicros(cutoff))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			j, err := scanJob(rows)
			if err != nil {
				return err
			}
			out = append(out, *j)
		}
		return rows.Err()
	})
	return out, err
}

// StartJob moves a queued job to running and returns it. A job that is not
// queued is returned unchanged: the worker then finishes what is left
// (running or stopping after a crash) or does nothing (terminal).
func (d *DB) StartJob(ctx context.Context, id int64) (*JobRun, error) {
	var j *JobRun
	err := d.inTx(ctx, func(tx *Tx) (err error) {
		if _, err = tx.exec(ctx, `UPDATE jobs SET status = 'running', started_at = COALESCE(started_at, ?) WHERE id = ? AND status = 'queued'`,
			toMicros(tx.now), id); err != nil {
			return err
		}
		j, err = tx.job(ctx, 0, id)
		return err
	})
	return j, err
}

// SetJobTotal records how many items a job will look at (its progress bar).
func (d *DB) SetJobTotal(ctx context.Context, id int64, total int) error {
	return d.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE jobs SET total = ? WHERE id = ?`, total, id)
		return err
	})
}

// FinishJob ends a job that is not already terminal: cancelled if it was
// stopping, status if given (failed), else from its counts. It returns the
// job as it ended, and whether this call ended it.
func (d *DB) FinishJob(ctx context.Context, id int64, status vitrine.JobStatus, message string) (*JobRun, bool, error) {
	var j *JobRun
	var ended bool
	err := d.inTx(ctx, func(tx *Tx) (err error) {
		if j, err = tx.lockJob(ctx, id); err != nil {
			return err
		}
		if j.Status.Terminal() {
			return nil
		}
		ended = true
		return tx.endJob(ctx, j, status, message)
	})
	return j, ended, err
}

// endJob writes a job's final status; j is updated in place.
func (tx *Tx) endJob(ctx context.Context, j *JobRun, status vitrine.JobStatus, message string) error {
	status = vitrine.JobFinalStatus(j.Status, status, j.Total, j.Done, j.Warnings, j.Errors)
	if message == "" {
		message = j.Message
	}
	j.Status, j.Message, j.FinishedAt = status, message, &tx.now
	if j.StartedAt == nil {
		j.StartedAt = &tx.now
	}
	_, err := tx.exec(ctx, `UPDATE jobs SET status = ?, message = ?, finished_at = ?, started_at = COALESCE(started_at, ?) WHERE id = ?`,
		string(status), message, toMicros(tx.now), toMicros(tx.now), j.ID)
	return err
}

// lockJob reads a job for update: on PostgreSQL the row stays locked until
// the transaction ends, so two workers on one job (a rescued run beside a
// slow one) take turns batch by batch. SQLite transactions here are already
// exclusive (BEGIN IMMEDIATE).
func (tx *Tx) lockJob(ctx context.Context, id int64) (*JobRun, error) {
	if tx.db.dialect == Postgres {
		if _, err := tx.exec(ctx, `SELECT id FROM jobs WHERE id = ? FOR UPDATE`, id); err != nil {
			return nil, err
		}
	}
	return tx.job(ctx, 0, id)
}

// CancelJob asks a job to stop (JOB-4): the submitter, the run-as user and
// company admins may. A queued job is cancelled at once; a running one
// becomes stopping and is cancelled at the worker's next safe point.
func (d *DB) CancelJob(ctx context.Context, p *vitrine.Principal, id int64) (*JobRun, error) {
	var j *JobRun
	err := d.inTx(ctx, func(tx *Tx) (err error) {
		if j, err = tx.job(ctx, p.Company.ID, id); err != nil {
			return err
		}
		if err := vitrine.CanControlJob(p, j); err != nil {
			return err
		}
		switch j.Status {
		case vitrine.JobQueued:
			return tx.endJob(ctx, j, vitrine.JobCancelled, "cancelled before it started")
		case vitrine.JobRunning:
			j.Status = vitrine.JobStopping
			_, err = tx.exec(ctx, `UPDATE jobs SET status = 'stopping' WHERE id = ? AND status = 'running'`, id)
			return err
		case vitrine.JobStopping:
			return nil
		case vitrine.JobScheduled:
			return vitrine.Errorf(vitrine.ECONFLICT, "job %d is a scheduled entry: pause or delete it instead", id)
		}
		return vitrine.Errorf(vitrine.ECONFLICT, "job %d has already ended (%s)", id, j.Status)
	})
	return j, err
}

// DeleteJob deletes a Scheduled entry or an ended job from History. A
// queued or running job must be cancelled first.
func (d *DB) DeleteJob(ctx context.Context, p *vitrine.Principal, id int64) error {
	return d.inTx(ctx, func(tx *Tx) error {
		j, err := tx.job(ctx, p.Company.ID, id)
		if err != nil {
			return err
		}
		if err := vitrine.CanControlJob(p, j); err != nil {
			return err
		}
		if j.Status != vitrine.JobScheduled && !j.Status.Terminal() {
			return vitrine.Errorf(vitrine.ECONFLICT, "job %d is %s: cancel it first", id, j.Status)
		}
		_, err = tx.exec(ctx, `DELETE FROM jobs WHERE id = ?`, id)
		return err
	})
}

// AppendJobLog adds lines to a job's log and counts its warnings and errors.
func (d *DB) AppendJobLog(ctx context.Context, id int64, lines []vitrine.JobLogEntry) error {
	if len(lines) == 0 {
		return nil
	}
	return d.inTx(ctx, func(tx *Tx) error { return tx.appendLog(ctx, id, lines) })
}

func (tx *Tx) appendLog(ctx context.Context, id int64, lines []vitrine.JobLogEntry) error {
	rows := make([][]any, len(lines))
	var warn, errs int
	for i, l := range lines {
		rows[i] = []any{id, l.Asset, l.Level, l.Message, toMicros(tx.now)}
		switch l.Level {
		case vitrine.LogWarning:
			warn++
		case vitrine.LogError:
			errs++
		}
	}
	if err := tx.insertRows(ctx, jobLogInsert, rows); err != nil {
		return fmt.Errorf("job log: %w", err)
	}
	if warn+errs > 0 {
		_, err := tx.exec(ctx, `UPDATE jobs SET warnings = warnings + ?, errors = errors + ? WHERE id = ?`, warn, errs, id)
		return err
	}
	return nil
}

var jobLogInsert = bulk{table: "job_log",
	cols:  []string{"job_id", "asset_name", "level", "message", "at"},
	types: []string{"bigint", "text", "text", "text", "bigint"}}

// AdvanceJob moves a job's cursor and appends log lines, in one transaction.
func (d *DB) AdvanceJob(ctx context.Context, id, resumeAfter int64, lines []vitrine.JobLogEntry) error {
	return d.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `UPDATE jobs SET resume_after = ? WHERE id = ?`, resumeAfter, id); err != nil {
			return err
		}
		return tx.appendLog(ctx, id, lines)
	})
}

// AddJobProgress adds to a job's done and published counts.
func (d *DB) AddJobProgress(ctx context.Context, id int64, done, published int) error {
	return d.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE jobs SET done = done + ?, published = published + ? WHERE id = ?`, done, published, id)
		return err
	})
}

// SetJobMessage records a short explanation on a job.
func (d *DB) SetJobMessage(ctx context.Context, id int64, msg string) error {
	return d.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE jobs SET message = ? WHERE id = ?`, msg, id)
		return err
	})
}

// ActiveJobs counts jobs that have not ended (tests, metrics).
func (d *DB) ActiveJobs(ctx context.Context) (int, error) {
	var n int
	err := d.read(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'running', 'stopping')`).Scan(&n)
	})
	return n, err
}
