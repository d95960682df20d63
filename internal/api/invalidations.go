package api

import (
	"net/http"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/cdn"
)

// WithCDN gives the API the invalidator that purges edges (SPEC §6).
func WithCDN(v *cdn.Invalidator) Option { return func(s *Server) { s.cdn = v } }

// invalidate is Invalidate CDN (CDN-3): company admins only.
func (s *Server) invalidate(r *http.Request, c *call) (int, any, error) {
	var in cdn.Request
	if err := s.decode(r, &in); err != nil {
		return 0, nil, err
	}
	inv := s.cdn
	if inv == nil {
		inv = cdn.New(s.db, nil, s.log) // no edges: recorded, nothing to purge
	}
	res, err := inv.Invalidate(r.Context(), c.p, in)
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
	j, err := s.db.Job(r.Context(), c.p.Company.ID, id)
	if err != nil {
		return 0, nil, err
	}
	if j.Type != vitrine.JobInvalidate {
		return 0, nil, vitrine.Errorf(vitrine.ENOTFOUND, "invalidation %d not found", id)
	}
	log, err := s.db.JobLog(r.Context(), c.p.Company.ID, id, 0, 1000)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"job": j, "log": log}, nil
}
