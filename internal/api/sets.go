package api

import (
	"net/http"

	"github.com/vitrine/vitrine"
)

// createSet creates a set (POST /sets) and applies Publish after save
// (PUB-5): {"name","type","members":[{"name",…}],"publish_after_save":true}.
func (s *Server) createSet(r *http.Request, c *call) (int, any, error) {
	var in vitrine.SetSpec
	if err := s.decode(r, &in); err != nil {
		return 0, nil, err
	}
	res, err := s.svc.SaveSet(r.Context(), c.p, in, true)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, res, nil
}

// putSet replaces a set's members and attributes (PUT /sets/{name}); its
// name and type stay (rename with PATCH /assets/{name}).
func (s *Server) putSet(r *http.Request, c *call) (int, any, error) {
	var in vitrine.SetSpec
	if err := s.decode(r, &in); err != nil {
		return 0, nil, err
	}
	name := r.PathValue("name")
	if in.Name != "" && in.Name != name {
		return 0, nil, vitrine.Errorf(vitrine.EINVALID, "name %q differs from the URL's %q; rename with PATCH /assets/{name}", in.Name, name)
	}
	in.Name = name
	if in.Type == "" { // the type cannot change: default to the set's own
		if cur, err := s.db.Set(r.Context(), c.p.Company.ID, name); err == nil {
			in.Type = cur.Type
		}
	}
	if in.Folder != "" {
		return 0, nil, vitrine.Errorf(vitrine.EINVALID, "folder is for new sets; move a set with POST /assets/{name}/move")
	}
	res, err := s.svc.SaveSet(r.Context(), c.p, in, false)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, res, nil
}

func (s *Server) getSet(r *http.Request, c *call) (int, any, error) {
	set, err := s.db.Set(r.Context(), c.p.Company.ID, r.PathValue("name"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, set, nil
}
