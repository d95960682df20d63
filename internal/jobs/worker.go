package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/vitrine/vitrine"
)

// runWorker runs one job row: publish or upload. Running it again (a River
// retry, a rescue after a crash, a second node) is safe: the job's state in
// the database says what is left to do.
type runWorker struct {
	river.WorkerDefaults[runArgs]
	e *Engine
}

// Timeout: none. A long job is interrupted only by shutdown or a crash,
// and resumes from its cursor.
func (w *runWorker) Timeout(*river.Job[runArgs]) time.Duration { return -1 }

// NextRetry retries soon: errors here are infrastructure hiccups (a locked
// database, a lost connection), and the job is visible as running meanwhile.
func (w *runWorker) NextRetry(job *river.Job[runArgs]) time.Time {
	return time.Now().Add(time.Duration(min(job.Attempt, 30)) * time.Second)
}

func (w *runWorker) Work(ctx context.Context, job *river.Job[runArgs]) error {
	e := w.e
	if c := job.Args.CompanyID; c != 0 {
		release, ok := e.fair.acquire(c)
		if !ok {
			return e.fair.snoozed() // its company runs its share already
		}
		defer release()
	}
	j, err := e.db.StartJob(ctx, job.Args.JobID)
	if vitrine.ErrorCode(err) == vitrine.ENOTFOUND {
		return nil // deleted meanwhile
	} else if err != nil {
		return err
	}
	if !j.Status.Terminal() {
		jctx, done := e.jobs.track(ctx, j.ID)
		err := e.run(jctx, j)
		if err != nil && errors.Is(context.Cause(jctx), errJobCancelled) {
			// Cancelled mid-step: the job is stopping, and ends cancelled.
			_, _, err = e.db.FinishJob(ctx, j.ID, "", "")
		}
		done()
		if err != nil {
			if !permanent(err) && job.Attempt < job.MaxAttempts {
				e.log.Warn("jobs: run failed; will retry", "job", j.ID, "attempt", job.Attempt, "err", err)
				return err
			}
			e.log.Error("jobs: job failed", "job", j.ID, "err", err)
			msg := vitrine.ErrorMessage(err)
			if vitrine.ErrorCode(err) == vitrine.EINTERNAL {
				msg = err.Error()
			}
			if _, _, ferr := e.db.FinishJob(context.WithoutCancel(ctx), j.ID, vitrine.JobFailed, msg); ferr != nil {
				return ferr
			}
		}
	}
	return e.afterJob(ctx, j.ID)
}

// permanent reports whether retrying err cannot help (bad options, a
// missing user): the job fails at once.
func permanent(err error) bool {
	switch vitrine.ErrorCode(err) {
	case vitrine.EINVALID, vitrine.ENOTFOUND, vitrine.EFORBIDDEN, vitrine.ECONFLICT, vitrine.EUNSUPPORTED:
		return true
	}
	return false
}

func (e *Engine) run(ctx context.Context, j *vitrine.JobRun) error {
	opts, err := decodeOptions(j.Options)
	if err != nil {
		return vitrine.Errorf(vitrine.EINVALID, "%v", err)
	}
	switch {
	case j.Type == vitrine.JobPublish && opts.Action != "":
		return e.runPublication(ctx, j, opts)
	case j.Type == vitrine.JobPublish:
		return e.runPublish(ctx, j, opts)
	case j.Type == vitrine.JobUpload:
		return e.runUpload(ctx, j, opts)
	case j.Type == vitrine.JobMaintenance:
		return e.runMaintenance(ctx, j)
	}
	return vitrine.Errorf(vitrine.EINVALID, "job type %q has no worker", j.Type)
}

// runPublish moves intent into the catalog (JOB-3), batch by batch; the
// context is checked between batches only, never inside one.
func (e *Engine) runPublish(ctx context.Context, j *vitrine.JobRun, opts *Options) error {
	scope := opts.scope()
	c, err := e.db.CompanyByID(ctx, j.CompanyID)
	if err != nil {
		return err
	}
	if j.ResumeAfter == 0 && j.Total == 0 {
		n, err := e.db.CountPublishCandidates(ctx, j.CompanyID, scope)
		if err != nil {
			return err
		}
		if err := e.db.SetJobTotal(ctx, j.ID, n); err != nil {
			return err
		}
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		_, changes, ended, err := e.db.PublishBatch(ctx, j.ID, scope, e.cfg.BatchSize)
		if err != nil {
			return err
		}
		e.changed(ctx, c, changes)
		if ended {
			if opts.PublishType == PublishFullWithSearch {
				// The published search data changes only here (DEL-6).
				return e.db.PublishSearchData(ctx, j.CompanyID)
			}
			return nil
		}
	}
}

func (e *Engine) changed(ctx context.Context, c *vitrine.Company, changes []vitrine.CatalogChange) {
	e.svc.Changes().Announce(ctx, c, changes)
}

// runPublication applies a scheduled Manage Publication action (SEL-5) as
// the job's run-as user, through the same use case as POST /publication.
func (e *Engine) runPublication(ctx context.Context, j *vitrine.JobRun, opts *Options) error {
	p, err := e.principal(ctx, j)
	if err != nil {
		return err
	}
	res, err := e.svc.Publish(ctx, p, opts.publication(j.ID))
	if err != nil {
		var lines []vitrine.JobLogEntry
		for _, d := range vitrine.ErrorDetails(err) {
			lines = append(lines, vitrine.JobLogEntry{Asset: d.Item, Level: vitrine.LogError, Message: d.Message})
		}
		if lerr := e.db.AppendJobLog(ctx, j.ID, lines); lerr != nil {
			return lerr
		}
		return err
	}
	var lines []vitrine.JobLogEntry
	changed := 0
	for _, r := range res.Results {
		msg := fmt.Sprintf("%s: %v", opts.Action, r.Changed)
		if r.Note != "" {
			msg = r.Note
		}
		if len(r.Changed) > 0 {
			changed++
		}
		lines = append(lines, vitrine.JobLogEntry{Asset: r.Name, Level: vitrine.LogInfo, Message: msg})
	}
	if err := e.db.SetJobTotal(ctx, j.ID, len(res.Results)); err != nil {
		return err
	}
	if err := e.db.AppendJobLog(ctx, j.ID, lines); err != nil {
		return err
	}
	if err := e.db.AddJobProgress(ctx, j.ID, len(res.Results), changed); err != nil {
		return err
	}
	_, _, err = e.db.FinishJob(ctx, j.ID, "", "")
	return err
}

// principal is the job's run-as user in its company, or its submitter
// when the run-as user is gone.
func (e *Engine) principal(ctx context.Context, j *vitrine.JobRun) (*vitrine.Principal, error) {
	c, err := e.db.CompanyByID(ctx, j.CompanyID)
	if err != nil {
		return nil, err
	}
	for _, id := range []int64{j.UserID, j.SubmittedByID} {
		if id == 0 {
			continue
		}
		u, err := e.db.UserByID(ctx, id)
		if vitrine.ErrorCode(err) == vitrine.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		return e.db.Principal(ctx, u, c.RootID)
	}
	return nil, vitrine.Errorf(vitrine.ENOTFOUND, "job %d has no run-as user any more", j.ID)
}

// afterJob sends what follows a job's end: its HTTP notification and an
// upload job's follow-on. It runs each time the worker sees the job ended,
// so a crash between the end and the sending only delays it; the River
// jobs and the follow-on job row are unique, so nothing goes out twice.
func (e *Engine) afterJob(ctx context.Context, id int64) error {
	j, err := e.db.Job(ctx, 0, id)
	if err != nil || !j.Status.Terminal() {
		return err
	}
	opts, err := decodeOptions(j.Options)
	if err != nil {
		return nil // reported when the job failed
	}
	if opts.NotifyURL != "" {
		if err := e.enqueueNotify(ctx, j.ID, opts.NotifyURL); err != nil {
			return err
		}
	}
	u := opts.Upload
	if j.Type != vitrine.JobUpload || u == nil || u.Follow == "" || u.Follow == FollowNone || j.Status == vitrine.JobCancelled {
		return nil
	}
	if u.FollowOnlyIfFiles && j.Published == 0 {
		return nil
	}
	if u.Follow == FollowHTTP {
		return e.enqueueNotify(ctx, j.ID, u.FollowURL)
	}
	occ := *j.FinishedAt
	follow, err := e.db.CreateJob(ctx, vitrine.NewJob{CompanyID: j.CompanyID, Type: vitrine.JobPublish, Name: "Pub_" + j.Name,
		Status: vitrine.JobQueued, UserID: j.UserID, SubmittedBy: j.SubmittedByID, Options: `{"publish_type":"incremental"}`,
		ScheduleID: &j.ID, Occurrence: &occ})
	if vitrine.ErrorCode(err) == vitrine.ECONFLICT {
		return nil // created before a crash; the tick enqueues it if need be
	} else if err != nil {
		return err
	}
	return e.enqueue(ctx, follow)
}

// runRetry is the client-wide retry policy; each worker sets its own.
type runRetry struct{ e *Engine }

func (r *runRetry) NextRetry(job *rivertype.JobRow) time.Time {
	return time.Now().Add(r.e.backoff(job.Attempt))
}
