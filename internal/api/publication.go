package api

import (
	"net/http"

	"github.com/vitrine/vitrine"
)

func (s *Server) publication(r *http.Request, c *call) (int, any, error) {
	var in struct {
		Action  vitrine.Action `json:"action"`
		Assets  []string       `json:"assets"`
		Folders []string       `json:"folders"`
		At      string         `json:"at"`
		Quick   bool           `json:"quick"`
		Exact   bool           `json:"exact"`
	}
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if in.Quick && in.Exact {
		return 0, nil, vitrine.Errorf(vitrine.EINVALID, "quick publishes the selection with its references; exact publishes the list only: choose one")
	}
	if in.At != "" {
		return s.schedulePublication(r, c, in.Action, in.Assets, in.Folders, in.At)
	}
	res, err := s.db.Publish(r.Context(), c.p, vitrine.Publication{Action: in.Action, Assets: in.Assets, Folders: in.Folders, Exact: in.Exact})
	if err != nil {
		return 0, nil, err
	}
	purge := s.changed(r.Context(), &c.p.Company, res.Changes)
	return http.StatusOK, map[string]any{"results": res.Results, "purge": purge}, nil
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
	items, err := s.db.PlanPublication(r.Context(), c.p, vitrine.Publication{Action: in.Action, Assets: in.Assets, Folders: in.Folders})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"items": items}, nil
}

// schedulePublication makes a publication with "at" a one-time job (SEL-5):
// the request is checked now (unknown assets fail at once) and applied as
// the caller at the time given. 202 with {"job": …}; follow it at
// GET /jobs/{id}.
func (s *Server) schedulePublication(r *http.Request, c *call, action vitrine.Action, assets, folders []string, at string) (int, any, error) {
	e, err := s.engine()
	if err != nil {
		return 0, nil, err
	}
	if _, err := s.db.PlanPublication(r.Context(), c.p, vitrine.Publication{Action: action, Assets: assets, Folders: folders}); err != nil {
		return 0, nil, err
	}
	j, err := e.SchedulePublication(r.Context(), c.p, action, assets, folders, at)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusAccepted, map[string]any{"job": j}, nil
}
