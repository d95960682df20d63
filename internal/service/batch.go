package service

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/vitrine/vitrine"
)

// A batch upload is one upload job that several requests fill: the
// workspace's upload page sends a dropped folder file by file (per-file
// progress, cancel, retry) and the batch is still one job (UP-1). It is
// opened with OpenUpload, filled with IngestBatch, ended with
// FinishUpload.

// batchOptions are the options recorded on a batch upload job.
type batchOptions struct {
	Folder string `json:"folder"`
	Batch  bool   `json:"batch"`
}

// OpenUpload opens a batch upload job for about total files (the job's
// progress bar): running from now, until FinishUpload ends it.
func (s *Service) OpenUpload(ctx context.Context, p *vitrine.Principal, name, folder string, total int) (*vitrine.JobRun, error) {
	folder, err := vitrine.CleanFolderPath(folder)
	if err != nil {
		return nil, err
	}
	if total < 0 {
		return nil, vitrine.Errorf(vitrine.EINVALID, "total must be 0 or more")
	}
	if name == "" {
		name = vitrine.JobName("Upload", time.Now().UTC())
	}
	opts, err := json.Marshal(batchOptions{Folder: folder, Batch: true})
	if err != nil {
		return nil, err
	}
	j, err := s.store.CreateJob(ctx, vitrine.NewJob{CompanyID: p.Company.ID, Type: vitrine.JobUpload, Name: name,
		Status: vitrine.JobRunning, UserID: p.User.ID, SubmittedBy: p.User.ID, Options: string(opts)})
	if err != nil {
		return nil, err
	}
	if total > 0 {
		if err := s.store.SetJobTotal(ctx, j.ID, total); err != nil {
			return nil, err
		}
		j.Total = total
	}
	return j, nil
}

// openBatch returns the options of batch upload job id of p's company,
// refusing a job that is not an open batch or that p may not add to. A batch cancelled from the
// Jobs view (stopping) takes no more files but may still be finished
// (it then ends cancelled).
func (s *Service) openBatch(ctx context.Context, p *vitrine.Principal, id int64, finishing bool) (batchOptions, error) {
	var o batchOptions
	j, err := s.store.Job(ctx, p.Company.ID, id)
	if err != nil {
		return o, err
	}
	if j.Type != vitrine.JobUpload || json.Unmarshal(j.Options, &o) != nil || !o.Batch {
		return o, vitrine.Errorf(vitrine.EINVALID, "job %d is not a batch upload job (open one with POST …/upload-jobs)", id)
	}
	if err := vitrine.CanControlJob(p, j); err != nil {
		return o, err
	}
	if j.Status != vitrine.JobRunning && !(finishing && j.Status == vitrine.JobStopping) {
		return o, vitrine.Errorf(vitrine.ECONFLICT, "upload job %d is %s: it takes no more files", id, j.Status)
	}
	return o, nil
}

// IngestBatch stores the spooled files of one request into the open batch
// job jobID as Ingest does (posters, blobs, one transaction, changes
// announced), and answers as Ingest does: the job as it stands and what
// each file became. The job is read before anything is stored (a refused
// request leaves no blob) and once more, locked, in the transaction that
// records the files and answers it.
func (s *Service) IngestBatch(ctx context.Context, p *vitrine.Principal, jobID int64, files []Spooled, opts vitrine.UploadOptions) (*vitrine.UploadResult, error) {
	batch, err := s.openBatch(ctx, p, jobID, false)
	if err != nil {
		return nil, err
	}
	if opts.Folder == "" {
		opts.Folder = batch.Folder // a request without a folder uploads to the job's
	}
	posters := s.makePosters(ctx, files)
	nf := make([]vitrine.NewFile, len(files))
	for i, f := range files {
		if err := s.blobs.PutFile(ctx, f.File.SHA256, f.Path); err != nil {
			return nil, fmt.Errorf("store %s: %w", f.File.Filename, err)
		}
		nf[i] = f.File
	}
	ups, j, err := s.store.IngestBatch(ctx, p, jobID, nf, opts)
	if err != nil {
		return nil, err
	}
	var lines []vitrine.JobLogEntry
	for _, i := range s.storePosters(ctx, p, ups, posters) {
		lines = append(lines, vitrine.JobLogEntry{Asset: ups[i].Name, Level: vitrine.LogWarning, Message: ups[i].Warning})
	}
	if err := s.store.AppendJobLog(ctx, jobID, lines); err != nil {
		return nil, err
	}
	j.Warnings += len(lines) // as AppendJobLog counted them
	for _, u := range ups {
		s.changes.Announce(ctx, &p.Company, u.Changes)
	}
	return &vitrine.UploadResult{Job: j.Job, Assets: ups}, nil
}

// NotUploaded is a file of a batch that never made it: refused by the
// server (Message) or given up by the user (Cancelled).
type NotUploaded struct {
	File      string `json:"file"`
	Message   string `json:"message,omitempty"`
	Cancelled bool   `json:"cancelled,omitempty"`
}

// FinishUpload ends an open batch upload job: the files that were not
// uploaded go to its log (refused: errors; cancelled: warnings), and its
// status follows from its counts (JOB-8).
func (s *Service) FinishUpload(ctx context.Context, p *vitrine.Principal, jobID int64, missing []NotUploaded) (*vitrine.JobRun, error) {
	if _, err := s.openBatch(ctx, p, jobID, true); err != nil {
		return nil, err
	}
	var lines []vitrine.JobLogEntry
	for _, m := range missing {
		l := vitrine.JobLogEntry{Asset: m.File, Level: vitrine.LogError, Message: "not uploaded: " + m.Message}
		if m.Cancelled {
			l.Level, l.Message = vitrine.LogWarning, "cancelled before it was uploaded"
		}
		lines = append(lines, l)
	}
	if err := s.store.AppendJobLog(ctx, jobID, lines); err != nil {
		return nil, err
	}
	j, _, err := s.store.FinishJob(ctx, jobID, "", "")
	return j, err
}
