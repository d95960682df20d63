package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/vitrine/vitrine"
)

const jobCols = `j.id, j.type, j.name, j.status, COALESCE(u.name, ''), j.options, j.total, j.done, j.warnings, j.errors,
	j.created_at, j.started_at, j.finished_at, j.company_id, j.user_id, j.submitted_by, COALESCE(sb.name, ''), j.schedule_id,
	j.occurrence, j.resume_after, j.published, j.message, s.kind, s.rule, s.time_zone, s.active, s.once, s.next_run_at,
	s.last_run_at, s.missed, j.result`

const jobFrom = ` FROM jobs j LEFT JOIN users u ON u.id = j.user_id LEFT JOIN users sb ON sb.id = j.submitted_by
	LEFT JOIN schedules s ON s.job_id = j.id `

func scanJob(sc scanner) (*JobRun, error) {
	var j JobRun
	var typ, status, opts string
	var created int64
	var started, finished, userID, subBy, schedID, occ, next, last sql.NullInt64
	var kind, rule, tz sql.NullString
	var active, once sql.NullBool
	var missed sql.NullInt64
	var result string
	if err := sc.Scan(&j.ID, &typ, &j.Name, &status, &j.User, &opts, &j.Total, &j.Done, &j.Warnings, &j.Errors,
		&created, &started, &finished, &j.CompanyID, &userID, &subBy, &j.SubmittedBy, &schedID,
		&occ, &j.ResumeAfter, &j.Published, &j.Message, &kind, &rule, &tz, &active, &once, &next,
		&last, &missed, &result); err != nil {
		return nil, err
	}
	j.Type, j.Status, j.Options = vitrine.JobType(typ), vitrine.JobStatus(status), []byte(opts)
	j.CreatedAt, j.StartedAt, j.FinishedAt = fromMicros(created), fromNullMicros(started), fromNullMicros(finished)
	j.UserID, j.SubmittedByID, j.Occurrence = userID.Int64, subBy.Int64, fromNullMicros(occ)
	if schedID.Valid {
		j.ScheduleID = &schedID.Int64
	}
	if result != "" {
		j.Result = []byte(result)
	}
	if rule.Valid {
		j.Schedule = &Schedule{Kind: kind.String, Rule: rule.String, TimeZone: tz.String, Active: active.Bool, Once: once.Bool,
			NextRun: fromNullMicros(next), LastRun: fromNullMicros(last), Missed: int(missed.Int64)}
	}
	return &j, nil
}

// createJob records a job that starts running now.
func (tx *Tx) createJob(ctx context.Context, companyID int64, typ vitrine.JobType, name string, by actor, options string) (*vitrine.Job, error) {
	if options == "" {
		options = "{}"
	}
	j := &vitrine.Job{Type: typ, Name: name, Status: vitrine.JobRunning, User: by.UserName, Options: []byte(options),
		CreatedAt: tx.now, StartedAt: &tx.now}
	var err error
	j.ID, err = tx.insert(ctx, `INSERT INTO jobs (company_id, type, name, status, user_id, options, created_at, started_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, companyID, string(typ), name, string(j.Status), nullID(by.UserID), options,
		toMicros(tx.now), toMicros(tx.now))
	return j, err
}

// logJob appends a line to a job's log and counts warnings and errors.
func (tx *Tx) logJob(ctx context.Context, j *vitrine.Job, asset, level, msg string) error {
	switch level {
	case vitrine.LogWarning:
		j.Warnings++
	case vitrine.LogError:
		j.Errors++
	}
	_, err := tx.exec(ctx, `INSERT INTO job_log (job_id, asset_name, level, message, at) VALUES (?, ?, ?, ?, ?)`,
		j.ID, asset, level, msg, toMicros(tx.now))
	return err
}

// finishJob stores a job's counts and its final status, derived from them.
func (tx *Tx) finishJob(ctx context.Context, j *vitrine.Job) error {
	j.Status = vitrine.JobFinalStatus(j.Status, "", j.Total, j.Done, j.Warnings, j.Errors)
	j.FinishedAt = &tx.now
	_, err := tx.exec(ctx, `UPDATE jobs SET status = ?, total = ?, done = ?, warnings = ?, errors = ?, finished_at = ? WHERE id = ?`,
		string(j.Status), j.Total, j.Done, j.Warnings, j.Errors, toMicros(tx.now), j.ID)
	return err
}

// Jobs lists a company's jobs, newest first.
func (d *DB) Jobs(ctx context.Context, companyID int64, f JobFilter) ([]JobRun, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	where, args := []string{"j.company_id = ?"}, []any{companyID}
	if f.Scheduled {
		where = append(where, "j.status = 'scheduled'")
	} else {
		where = append(where, "j.status <> 'scheduled'")
	}
	if f.Type != "" {
		where, args = append(where, "j.type = ?"), append(args, string(f.Type))
	}
	if f.UserID != 0 {
		where, args = append(where, "(j.user_id = ? OR j.submitted_by = ?)"), append(args, f.UserID, f.UserID)
	}
	if !f.Since.IsZero() {
		where, args = append(where, "j.created_at >= ?"), append(args, toMicros(f.Since))
	}
	if !f.Until.IsZero() {
		where, args = append(where, "j.created_at < ?"), append(args, toMicros(f.Until))
	}
	if f.Status != "" {
		where, args = append(where, "j.status = ?"), append(args, string(f.Status))
	}
	if f.Before > 0 {
		where, args = append(where, "j.id < ?"), append(args, f.Before)
	}
	order := "DESC"
	if f.After > 0 {
		// The page before: the nearest newer jobs, read oldest first and
		// turned around below.
		where, args, order = append(where, "j.id > ?"), append(args, f.After), "ASC"
	}
	out := []JobRun{}
	err := d.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+jobCols+jobFrom+`WHERE `+strings.Join(where, " AND ")+` ORDER BY j.id `+order+` LIMIT ?`,
			append(args, f.Limit)...)
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
	if f.After > 0 {
		slices.Reverse(out)
	}
	return out, err
}

// Job returns one of a company's jobs.
func (d *DB) Job(ctx context.Context, companyID, id int64) (*JobRun, error) {
	var j *JobRun
	err := d.read(ctx, func(tx *Tx) (err error) {
		j, err = tx.job(ctx, companyID, id)
		return err
	})
	return j, err
}

// job reads a job; companyID 0 reads any company's (the engine's view).
func (tx *Tx) job(ctx context.Context, companyID, id int64) (*JobRun, error) {
	q, args := `SELECT `+jobCols+jobFrom+`WHERE j.id = ?`, []any{id}
	if companyID != 0 {
		q, args = q+` AND j.company_id = ?`, append(args, companyID)
	}
	j, err := scanJob(tx.queryRow(ctx, q, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vitrine.Errorf(vitrine.ENOTFOUND, "job %d not found", id)
	}
	return j, err
}

// JobLog returns a page of a job's log, oldest first, after the entry with id after.
func (d *DB) JobLog(ctx context.Context, companyID, id, after int64, limit int) ([]vitrine.JobLogEntry, error) {
	return d.JobLogPage(ctx, companyID, id, vitrine.JobLogFilter{After: after, Limit: limit})
}

// JobLogPage returns a page of a job's log, oldest first: the entries
// after f.After of the levels asked for.
func (d *DB) JobLogPage(ctx context.Context, companyID, id int64, f vitrine.JobLogFilter) ([]vitrine.JobLogEntry, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	if _, err := d.Job(ctx, companyID, id); err != nil {
		return nil, err
	}
	where, args := "job_id = ? AND id > ?", []any{id, f.After}
	if len(f.Levels) > 0 {
		where += " AND level IN (" + marks(len(f.Levels)) + ")"
		for _, l := range f.Levels {
			args = append(args, l)
		}
	}
	out := []vitrine.JobLogEntry{}
	err := d.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT id, asset_name, level, message, at FROM job_log WHERE `+where+` ORDER BY id LIMIT ?`,
			append(args, f.Limit)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e vitrine.JobLogEntry
			var at int64
			if err := rows.Scan(&e.ID, &e.Asset, &e.Level, &e.Message, &at); err != nil {
				return err
			}
			e.At = fromMicros(at)
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, err
}
