package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/vitrine/vitrine"
)

const jobCols = `j.id, j.type, j.name, j.status, COALESCE(u.name, ''), j.options, j.total, j.done, j.warnings, j.errors,
	j.created_at, j.started_at, j.finished_at`

const jobFrom = ` FROM jobs j LEFT JOIN users u ON u.id = j.user_id `

func scanJob(s scanner) (*vitrine.Job, error) {
	var j vitrine.Job
	var typ, status, opts string
	var created int64
	var started, finished sql.NullInt64
	if err := s.Scan(&j.ID, &typ, &j.Name, &status, &j.User, &opts, &j.Total, &j.Done, &j.Warnings, &j.Errors,
		&created, &started, &finished); err != nil {
		return nil, err
	}
	j.Type, j.Status, j.Options = vitrine.JobType(typ), vitrine.JobStatus(status), []byte(opts)
	j.CreatedAt, j.StartedAt, j.FinishedAt = fromMicros(created), fromNullMicros(started), fromNullMicros(finished)
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
	switch {
	case j.Errors > 0 && j.Done == 0 && j.Total > 0:
		j.Status = vitrine.JobFailed
	case j.Warnings > 0 || j.Errors > 0:
		j.Status = vitrine.JobSucceededWithWarnings
	default:
		j.Status = vitrine.JobSucceeded
	}
	j.FinishedAt = &tx.now
	_, err := tx.exec(ctx, `UPDATE jobs SET status = ?, total = ?, done = ?, warnings = ?, errors = ?, finished_at = ? WHERE id = ?`,
		string(j.Status), j.Total, j.Done, j.Warnings, j.Errors, toMicros(tx.now), j.ID)
	return err
}

// JobFilter selects jobs in the History listing.
type JobFilter struct {
	Type   vitrine.JobType
	UserID int64 // 0: all users
	Limit  int
}

// Jobs lists a company's jobs, newest first.
func (d *DB) Jobs(ctx context.Context, companyID int64, f JobFilter) ([]vitrine.Job, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	where, args := []string{"j.company_id = ?"}, []any{companyID}
	if f.Type != "" {
		where, args = append(where, "j.type = ?"), append(args, string(f.Type))
	}
	if f.UserID != 0 {
		where, args = append(where, "j.user_id = ?"), append(args, f.UserID)
	}
	out := []vitrine.Job{}
	err := d.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+jobCols+jobFrom+`WHERE `+strings.Join(where, " AND ")+` ORDER BY j.id DESC LIMIT ?`,
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
	return out, err
}

// Job returns one of a company's jobs.
func (d *DB) Job(ctx context.Context, companyID, id int64) (*vitrine.Job, error) {
	var j *vitrine.Job
	err := d.read(ctx, func(tx *Tx) (err error) {
		j, err = scanJob(tx.queryRow(ctx, `SELECT `+jobCols+jobFrom+`WHERE j.company_id = ? AND j.id = ?`, companyID, id))
		if errors.Is(err, sql.ErrNoRows) {
			return vitrine.Errorf(vitrine.ENOTFOUND, "job %d not found", id)
		}
		return err
	})
	return j, err
}

// JobLog returns a page of a job's log, oldest first, after the entry with id after.
func (d *DB) JobLog(ctx context.Context, companyID, id, after int64, limit int) ([]vitrine.JobLogEntry, error) {
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	if _, err := d.Job(ctx, companyID, id); err != nil {
		return nil, err
	}
	out := []vitrine.JobLogEntry{}
	err := d.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT id, asset_name, level, message, at FROM job_log WHERE job_id = ? AND id > ? ORDER BY id LIMIT ?`,
			id, after, limit)
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
