package api

import (
	"net/http"

	"github.com/vitrine/vitrine/internal/cdn"
)

// invalidate is Invalidate CDN (CDN-3): company admins only.
func (s *Server) invalidate(r *http.Request, c *call) (int, any, error) {
	var in cdn.Request
	if err := s.decode(r, &in); err != nil {
		return 0, nil, err
	}
	res, err := s.svc.Invalidate(r.Context(), c.p, in)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusAccepted, res, nil
}

// getInvalidation answers an invalidation job with its per-edge log.
func (s *Server) getInvalidation(r *http.Request, c *call) (int, any, error) {
	id, err := jobID(r)
	if err != nil {
		return 0, nil, err
	}
	j, log, err := s.svc.Invalidation(r.Context(), c.p, id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"job": j, "log": log}, nil
}
