package service

import (
	"context"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/cdn"
)

// PublishOutcome is what a publication did: the per-asset results and the
// edges' purge report when it ran now, the job when it was scheduled.
type PublishOutcome struct {
	Results []vitrine.PublishResult `json:"results,omitempty"`
	Purge   *cdn.Report             `json:"purge"`
	Job     *vitrine.JobRun         `json:"job,omitempty"`
}

// Publish applies a publication (PUB-2, SEL-5, SEL-6) as p: now, with the
// catalog changes announced (edges purged before it returns, CDN-4), or,
// with At, as a one-time job that applies the same request — Exact and
// Quick included — at that time. A scheduled request is checked now:
// unknown assets fail at once.
func (s *Service) Publish(ctx context.Context, p *vitrine.Principal, pub vitrine.Publication) (*PublishOutcome, error) {
	if err := pub.Validate(); err != nil {
		return nil, err
	}
	if pub.At != "" {
		return s.schedule(ctx, p, pub)
	}
	res, err := s.store.Publish(ctx, p, pub)
	if err != nil {
		return nil, err
	}
	return &PublishOutcome{Results: res.Results, Purge: s.changes.Announce(ctx, &p.Company, res.Changes)}, nil
}

// Plan lists each asset a publication would affect with its publish
// target, changing nothing (the scope page of Manage Publication).
func (s *Service) Plan(ctx context.Context, p *vitrine.Principal, pub vitrine.Publication) ([]vitrine.PlanItem, error) {
	return s.store.PlanPublication(ctx, p, pub)
}

func (s *Service) schedule(ctx context.Context, p *vitrine.Principal, pub vitrine.Publication) (*PublishOutcome, error) {
	if s.sched == nil {
		return nil, vitrine.Errorf(vitrine.EUNAVAILABLE, "this server runs without the job engine; it cannot schedule publications")
	}
	check := pub
	check.At = ""
	if _, err := s.store.PlanPublication(ctx, p, check); err != nil {
		return nil, err
	}
	j, err := s.sched.SchedulePublication(ctx, p, pub)
	if err != nil {
		return nil, err
	}
	return &PublishOutcome{Job: j}, nil
}
