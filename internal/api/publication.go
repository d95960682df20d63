package api

import (
	"net/http"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

func (s *Server) publication(r *http.Request, c *call) (int, any, error) {
	var in struct {
		Action  vitrine.Action `json:"action"`
		Assets  []string       `json:"assets"`
		Folders []string       `json:"folders"`
		At      string         `json:"at"`
		Quick   bool           `json:"quick"`
	}
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if in.At != "" {
		return 0, nil, vitrine.Errorf(vitrine.EINVALID, "scheduled publication (at) needs the job engine, which this server does not run yet")
	}
	res, err := s.db.Publish(r.Context(), c.p, sqlstore.Publication{Action: in.Action, Assets: in.Assets, Folders: in.Folders})
	if err != nil {
		return 0, nil, err
	}
	s.changed(r.Context(), &c.p.Company, res.Changes)
	return http.StatusOK, res, nil
}

func (s *Server) publicationPlan(r *http.Request, c *call) (int, any, error) {
	var in struct {
		Action  vitrine.Action `json:"action"`
		Assets  []string       `json:"assets"`
		Folders []string       `json:"folders"`
		At      string         `json:"at"`
		Quick   bool           `json:"quick"`
	}
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	items, err := s.db.PlanPublication(r.Context(), c.p, sqlstore.Publication{Action: in.Action, Assets: in.Assets, Folders: in.Folders})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"items": items}, nil
}
