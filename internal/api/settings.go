package api

import (
	"net/http"

	"github.com/vitrine/vitrine"
)

func (s *Server) getSettings(r *http.Request, c *call) (int, any, error) {
	co, err := s.db.Company(r.Context(), c.p.Company.RootID)
	if err != nil {
		return 0, nil, err
	}
	st := co.Settings
	if !vitrine.CanSeeSigningKeys(c.p) {
		// Anyone with a key can sign any URL: only admins see them.
		st.URLSigningKeys = nil
	}
	return http.StatusOK, st, nil
}

func (s *Server) patchSettings(r *http.Request, c *call) (int, any, error) {
	body, err := s.readJSON(r)
	if err != nil {
		return 0, nil, err
	}
	st, err := s.svc.UpdateSettings(r.Context(), c.p, body)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, st, nil
}
