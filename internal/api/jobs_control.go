package api

import (
	"net/http"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/jobs"
)

// engine returns the job engine, or an unavailable error when this server
// runs without one.
func (s *Server) engine() (*jobs.Engine, error) {
	if s.hooks.Jobs == nil {
		return nil, vitrine.Errorf(vitrine.EUNAVAILABLE, "this server runs no job engine")
	}
	return s.hooks.Jobs, nil
}

// engineJob is the preamble of the handlers that act on one job: the
// engine, and the job id from the path.
func (s *Server) engineJob(r *http.Request) (*jobs.Engine, int64, error) {
	e, err := s.engine()
	if err != nil {
		return nil, 0, err
	}
	id, err := jobID(r)
	return e, id, err
}

// createJob is POST /jobs: a jobs.Submission. 201 with the job; a job to
// run now is queued, a later or recurring one is a Scheduled entry with its
// next five run times.
func (s *Server) createJob(r *http.Request, c *call) (int, any, error) {
	e, err := s.engine()
	if err != nil {
		return 0, nil, err
	}
	var in jobs.Submission
	if err := s.decode(r, &in); err != nil {
		return 0, nil, err
	}
	j, err := e.Submit(r.Context(), c.p, in)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, j, nil
}

func (s *Server) patchJob(r *http.Request, c *call) (int, any, error) {
	e, id, err := s.engineJob(r)
	if err != nil {
		return 0, nil, err
	}
	var in jobs.Patch
	if err := s.decode(r, &in); err != nil {
		return 0, nil, err
	}
	j, err := e.Update(r.Context(), c.p, id, in)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, j, nil
}

func (s *Server) deleteJob(r *http.Request, c *call) (int, any, error) {
	id, err := jobID(r)
	if err != nil {
		return 0, nil, err
	}
	// The engine's Delete, as the workspace's Scheduled tab calls it.
	if s.hooks.Jobs != nil {
		err = s.hooks.Jobs.Delete(r.Context(), c.p, id)
	} else {
		err = s.db.DeleteJob(r.Context(), c.p, id)
	}
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"deleted": id}, nil
}

// cancelJob is POST /jobs/{id}/cancel (JOB-4): a queued job is cancelled at
// once, a running one answers "stopping" until its next safe point.
func (s *Server) cancelJob(r *http.Request, c *call) (int, any, error) {
	id, err := jobID(r)
	if err != nil {
		return 0, nil, err
	}
	j, err := s.svc.CancelJob(r.Context(), c.p, id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusAccepted, j, nil
}

func (s *Server) runJob(r *http.Request, c *call) (int, any, error) {
	e, id, err := s.engineJob(r)
	if err != nil {
		return 0, nil, err
	}
	j, err := e.RunNow(r.Context(), c.p, id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, j, nil
}

func (s *Server) jobDeliveries(r *http.Request, c *call) (int, any, error) {
	id, err := jobID(r)
	if err != nil {
		return 0, nil, err
	}
	if _, err := s.db.Job(r.Context(), c.p.Company.ID, id); err != nil {
		return 0, nil, err
	}
	d, err := s.db.WebhookDeliveries(r.Context(), c.p.Company.ID, id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"deliveries": d}, nil
}

func (s *Server) webhookSecret(r *http.Request, c *call) (int, any, error) {
	secret, err := s.db.WebhookSecret(r.Context(), c.p.Company.ID)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"secret": secret}, nil
}

func (s *Server) rotateWebhookSecret(r *http.Request, c *call) (int, any, error) {
	secret, err := s.svc.RotateWebhookSecret(r.Context(), c.p)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"secret": secret}, nil
}

// previewJob is POST /jobs/preview: the schedule a `when` would make, with
// its next five run times in the company's time zone, or 400 with the
// rule parser's message. It creates nothing; the Publish page calls it as
// the user types.
func (s *Server) previewJob(r *http.Request, c *call) (int, any, error) {
	e, err := s.engine()
	if err != nil {
		return 0, nil, err
	}
	var in struct {
		When jobs.When `json:"when"`
	}
	if err := s.decode(r, &in); err != nil {
		return 0, nil, err
	}
	sched, err := e.Preview(c.p, in.When, 5)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"schedule": sched}, nil
}
