package ui

import (
	"context"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/jobs"
)

// Jobs are the job engine's use cases (internal/jobs.Engine), the same the
// API's /jobs routes call: the Publish, Scheduled and upload-job pages
// create, preview, edit, pause, delete and run jobs only through these.
type Jobs interface {
	Submit(ctx context.Context, p *vitrine.Principal, s jobs.Submission) (*vitrine.JobRun, error)
	Preview(p *vitrine.Principal, w jobs.When, n int) (*vitrine.Schedule, error)
	Update(ctx context.Context, p *vitrine.Principal, id int64, in jobs.Patch) (*vitrine.JobRun, error)
	Delete(ctx context.Context, p *vitrine.Principal, id int64) error
	RunNow(ctx context.Context, p *vitrine.Principal, id int64) (*vitrine.JobRun, error)
	Job(ctx context.Context, companyID, id int64) (*vitrine.JobRun, error)
	Jobs(ctx context.Context, companyID int64, f vitrine.JobFilter) ([]vitrine.JobRun, error)
}

// Option configures the workspace.
type Option func(*Server)

// WithJobs gives the workspace the job engine. Without it, the pages that
// make jobs answer that this server runs no job engine.
func WithJobs(j Jobs) Option { return func(s *Server) { s.jobs = j } }

var errNoEngine = vitrine.Errorf(vitrine.EUNAVAILABLE, "this server runs no job engine")
