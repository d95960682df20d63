package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/vitrine/vitrine"
)

// DueSchedules returns the active Scheduled entries whose next run is at or
// before now, oldest first.
func (d *DB) DueSchedules(ctx context.Context, now time.Time, limit int) ([]JobRun, error) {
	var out []JobRun
	err := d.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+jobCols+jobFrom+`WHERE j.status = 'scheduled' AND s.active AND s.next_run_at <= ?
			ORDER BY s.next_run_at, j.id LIMIT ?`, toMicros(now), limit)
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

// FireSchedule applies a Firing atomically, if no one else did first: it
// moves the entry's next run from Occurrence to Next (a compare-and-set, so
// of several nodes ticking at once exactly one wins) and records the run.
// A recurring entry gets a new job row per occurrence, unique per (entry,
// occurrence); a one-time entry becomes the run itself. It returns the run
// to enqueue, or nil when there is none (lost the race, or skipped).
func (d *DB) FireSchedule(ctx context.Context, f Firing) (*JobRun, error) {
	var runID int64
	err := d.inTx(ctx, func(tx *Tx) error {
		e := f.Entry
		res, err := tx.exec(ctx, `UPDATE schedules SET next_run_at = ?, last_run_at = ?, missed = missed + ?, updated_at = ?
			WHERE job_id = ? AND active AND next_run_at = ?`, nullMicros(f.Next), toMicros(f.Now), f.Missed, toMicros(f.Now),
			e.ID, toMicros(f.Occurrence))
		if err != nil {
			return fmt.Errorf("advance schedule: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		if e.Schedule.Once {
			return tx.fireOnce(ctx, f, &runID)
		}
		if !f.Run {
			return nil
		}
		occ := f.Occurrence
		runID, err = tx.createRun(ctx, NewJob{CompanyID: e.CompanyID, Type: e.Type, Name: f.RunName, Status: vitrine.JobQueued,
			UserID: e.UserID, SubmittedBy: e.SubmittedByID, Options: string(e.Options), ScheduleID: &e.ID, Occurrence: &occ})
		return err
	})
	if err != nil || runID == 0 {
		return nil, err
	}
	return d.Job(ctx, 0, runID)
}

// fireOnce turns a one-time entry into its run (same id, so whoever holds
// the id of a job scheduled for later follows it to the end), or ends it
// when the missed-run policy skips it.
func (tx *Tx) fireOnce(ctx context.Context, f Firing, runID *int64) error {
	e := f.Entry
	if !f.Run {
		j := *e
		return tx.endJob(ctx, &j, vitrine.JobCancelled, "the server was down at the scheduled time; skipped by the missed-run policy")
	}
	if _, err := tx.exec(ctx, `UPDATE jobs SET status = 'queued', name = ?, occurrence = ?, created_at = ? WHERE id = ? AND status = 'scheduled'`,
		f.RunName, toMicros(f.Occurrence), toMicros(f.Now), e.ID); err != nil {
		return err
	}
	*runID = e.ID
	return nil
}

// RunNow starts a run of a Scheduled entry at once without moving its
// schedule (JOB-5 "run now"). A one-time entry runs in place.
func (d *DB) RunNow(ctx context.Context, p *vitrine.Principal, id int64, runName string) (*JobRun, error) {
	var runID int64
	err := d.inTx(ctx, func(tx *Tx) error {
		e, err := tx.job(ctx, p.Company.ID, id)
		if err != nil {
			return err
		}
		if err := vitrine.CanControlJob(p, e); err != nil {
			return err
		}
		if e.Status != vitrine.JobScheduled {
			return vitrine.Errorf(vitrine.ECONFLICT, "job %d is not a scheduled entry", id)
		}
		if e.Schedule.Once {
			if _, err := tx.exec(ctx, `UPDATE schedules SET next_run_at = NULL WHERE job_id = ?`, id); err != nil {
				return err
			}
			return tx.fireOnce(ctx, Firing{Entry: e, Occurrence: tx.now, Run: true, RunName: runName, Now: tx.now}, &runID)
		}
		occ := tx.now
		runID, err = tx.createRun(ctx, NewJob{CompanyID: e.CompanyID, Type: e.Type, Name: runName, Status: vitrine.JobQueued,
			UserID: e.UserID, SubmittedBy: p.User.ID, Options: string(e.Options), ScheduleID: &e.ID, Occurrence: &occ})
		return err
	})
	if err != nil {
		return nil, err
	}
	return d.Job(ctx, 0, runID)
}

// UpdateSchedule edits a Scheduled entry.
func (d *DB) UpdateSchedule(ctx context.Context, p *vitrine.Principal, id int64, patch SchedulePatch) (*JobRun, error) {
	err := d.inTx(ctx, func(tx *Tx) error {
		e, err := tx.job(ctx, p.Company.ID, id)
		if err != nil {
			return err
		}
		if err := vitrine.CanControlJob(p, e); err != nil {
			return err
		}
		if e.Status != vitrine.JobScheduled {
			return vitrine.Errorf(vitrine.ECONFLICT, "job %d is %s; only scheduled entries can be edited", id, e.Status)
		}
		now := toMicros(tx.now)
		if patch.Name != nil {
			if _, err := tx.exec(ctx, `UPDATE jobs SET name = ? WHERE id = ?`, *patch.Name, id); err != nil {
				return err
			}
		}
		if patch.Options != nil {
			if _, err := tx.exec(ctx, `UPDATE jobs SET options = ? WHERE id = ?`, *patch.Options, id); err != nil {
				return err
			}
		}
		if patch.UserID != nil {
			if _, err := tx.exec(ctx, `UPDATE jobs SET user_id = ? WHERE id = ?`, nullID(*patch.UserID), id); err != nil {
				return err
			}
		}
		if s := patch.Schedule; s != nil {
			if _, err := tx.exec(ctx, `UPDATE schedules SET kind = ?, rule = ?, time_zone = ?, once = ?, next_run_at = ?, updated_at = ? WHERE job_id = ?`,
				s.Kind, s.Rule, s.TimeZone, s.Once, nullMicros(s.NextRun), now, id); err != nil {
				return err
			}
		}
		if patch.Active != nil {
			q, args := `UPDATE schedules SET active = ?, updated_at = ?`, []any{*patch.Active, now}
			if patch.NextRun != nil {
				q, args = q+`, next_run_at = ?`, append(args, nullMicros(*patch.NextRun))
			}
			if _, err := tx.exec(ctx, q+` WHERE job_id = ?`, append(args, id)...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d.Job(ctx, p.Company.ID, id)
}
