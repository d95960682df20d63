package sqlstore

import (
	"context"

	"github.com/vitrine/vitrine"
)

// IngestInto records uploaded files under an existing upload job (an upload
// job run by the engine: URL list or drop folder), with the same rules as
// Ingest (UP-4, UP-5, SEL-3, UP-2). It is one transaction per call; the job's
// counts and log grow with each call and the engine ends the job. A
// resumeAfter of 0 or more moves the job's cursor in the same transaction
// (a URL-list job resumes after the last URL it stored).
func (d *DB) IngestInto(ctx context.Context, p *vitrine.Principal, jobID int64, files []vitrine.NewFile, opts vitrine.UploadOptions, resumeAfter int64) ([]vitrine.UploadedAsset, error) {
	out, _, err := d.ingestInto(ctx, p, jobID, files, opts, resumeAfter, false)
	return out, err
}

// IngestBatch records the files of one request of a batch upload (an
// upload job that several requests fill) as IngestInto does, and answers
// the job as this transaction leaves it, so the request need not read it
// again. A job done past the total it announced has its total raised to
// done, in the same update (the progress bar stays true).
func (d *DB) IngestBatch(ctx context.Context, p *vitrine.Principal, jobID int64, files []vitrine.NewFile, opts vitrine.UploadOptions) ([]vitrine.UploadedAsset, *vitrine.JobRun, error) {
	return d.ingestInto(ctx, p, jobID, files, opts, -1, true)
}

func (d *DB) ingestInto(ctx context.Context, p *vitrine.Principal, jobID int64, files []vitrine.NewFile, opts vitrine.UploadOptions, resumeAfter int64, raiseTotal bool) ([]vitrine.UploadedAsset, *vitrine.JobRun, error) {
	folderPath, err := checkUploadOptions(opts)
	if err != nil {
		return nil, nil, err
	}
	var out []vitrine.UploadedAsset
	var j *JobRun
	err = d.inTx(ctx, func(tx *Tx) error {
		j, err = tx.lockJob(ctx, jobID)
		if err != nil {
			return err
		}
		// The job is named by the caller (a batch upload names it in the
		// request): it must be an upload job of p's company still going.
		if j.CompanyID != p.Company.ID {
			return vitrine.Errorf(vitrine.ENOTFOUND, "job %d not found", jobID)
		}
		if j.Type != vitrine.JobUpload {
			return vitrine.Errorf(vitrine.EINVALID, "job %d is a %s job, not an upload job", jobID, j.Type)
		}
		if j.Status.Terminal() {
			return vitrine.Errorf(vitrine.ECONFLICT, "upload job %d has ended (%s)", jobID, j.Status)
		}
		in, err := tx.newIngest(ctx, p, folderPath, opts)
		if err != nil {
			return err
		}
		job := &j.Job
		in.by.JobID, in.job = &j.ID, job
		before := *job
		for _, f := range files {
			u, err := in.file(ctx, f)
			if err != nil {
				return err
			}
			out = append(out, *u)
		}
		uploaded := 0
		for _, u := range out {
			if !u.Skipped {
				uploaded++
			}
		}
		if resumeAfter < 0 {
			resumeAfter = j.ResumeAfter
		}
		// The row is locked (PostgreSQL: FOR UPDATE; SQLite: the one
		// writer), so j's counts, grown by this request's files, are the
		// row's as this transaction commits.
		j.Published += uploaded
		j.ResumeAfter = resumeAfter
		if raiseTotal {
			j.Total = max(j.Total, j.Done)
		}
		_, err = tx.exec(ctx, `UPDATE jobs SET done = done + ?, warnings = warnings + ?, errors = errors + ?, published = published + ?,
			resume_after = ?, total = ? WHERE id = ?`, job.Done-before.Done, job.Warnings-before.Warnings, job.Errors-before.Errors, uploaded,
			resumeAfter, j.Total, j.ID)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return out, j, nil
}
