package api

import (
	"net/http"

	"github.com/vitrine/vitrine"
)

// publication is POST /publication: a vitrine.Publication applied now
// (200 with the per-asset results and the edges' purge report) or, with
// "at", scheduled as a one-time job (202 with {"job": …}; follow it at
// GET /jobs/{id}).
func (s *Server) publication(r *http.Request, c *call) (int, any, error) {
	var in vitrine.Publication
	if err := s.decode(r, &in); err != nil {
		return 0, nil, err
	}
	out, err := s.svc.Publish(r.Context(), c.p, in)
	if err != nil {
		return 0, nil, err
	}
	if out.Job != nil {
		return http.StatusAccepted, map[string]any{"job": out.Job}, nil
	}
	return http.StatusOK, map[string]any{"results": out.Results, "purge": out.Purge}, nil
}

// publicationPlan is the scope page of Manage Publication: each affected
// asset with its publish target; nothing changes.
func (s *Server) publicationPlan(r *http.Request, c *call) (int, any, error) {
	var in vitrine.Publication
	if err := s.decode(r, &in); err != nil {
		return 0, nil, err
	}
	items, err := s.svc.Plan(r.Context(), c.p, in)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"items": items}, nil
}
