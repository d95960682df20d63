package service

import (
	"context"

	"github.com/vitrine/vitrine"
)

// JobCanceller stops jobs (JOB-4); the job engine, the service's
// Scheduler, is one.
type JobCanceller interface {
	Cancel(ctx context.Context, p *vitrine.Principal, id int64) (*vitrine.JobRun, error)
}

// CancelJob asks a job to stop (JOB-4): a queued job is cancelled at
// once, a running one is "stopping" until its next safe point (the end of
// its current batch), then "cancelled". Its submitter or a company admin
// may; the store checks it (vitrine.CanControlJob). The REST API and the
// workspace's Cancel button both call this.
func (s *Service) CancelJob(ctx context.Context, p *vitrine.Principal, id int64) (*vitrine.JobRun, error) {
	c, ok := s.sched.(JobCanceller)
	if !ok {
		return nil, vitrine.Errorf(vitrine.EUNAVAILABLE, "this server runs no job engine")
	}
	return c.Cancel(ctx, p, id)
}
