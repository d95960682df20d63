package api

import (
	"net/http"
	"strconv"

	"github.com/vitrine/vitrine"
)

func (s *Server) listAssets(r *http.Request, c *call) (int, any, error) {
	f, err := vitrine.ParseAssetFilter(r.URL.Query())
	if err != nil {
		return 0, nil, err
	}
	page, err := s.db.Assets(r.Context(), c.p.Company.ID, f)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, page, nil
}

func (s *Server) getAsset(r *http.Request, c *call) (int, any, error) {
	a, err := s.db.Asset(r.Context(), c.p.Company.ID, r.PathValue("name"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, a, nil
}

type moveBody struct {
	Folder string `json:"folder"`
	Name   string `json:"name"`
}

// patchAsset edits an asset: title and keywords, and/or folder and name
// (a move, which keeps its publish state).
func (s *Server) patchAsset(r *http.Request, c *call) (int, any, error) {
	var in struct {
		Folder   string    `json:"folder"`
		Name     string    `json:"name"`
		Title    *string   `json:"title"`
		Keywords *[]string `json:"keywords"`
	}
	if err := s.decode(r, &in); err != nil {
		return 0, nil, err
	}
	a, err := s.svc.EditAsset(r.Context(), c.p, r.PathValue("name"),
		vitrine.MetadataPatch{Title: in.Title, Keywords: in.Keywords}, in.Folder, in.Name)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, a, nil
}

func (s *Server) moveAsset(r *http.Request, c *call) (int, any, error) {
	return s.move(r, c)
}

func (s *Server) move(r *http.Request, c *call) (int, any, error) {
	var in moveBody
	if err := s.decode(r, &in); err != nil {
		return 0, nil, err
	}
	a, err := s.svc.Move(r.Context(), c.p, r.PathValue("name"), in.Folder, in.Name)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, a, nil
}

func (s *Server) copyAsset(r *http.Request, c *call) (int, any, error) {
	var in moveBody
	if err := s.decode(r, &in); err != nil {
		return 0, nil, err
	}
	a, err := s.svc.Copy(r.Context(), c.p, r.PathValue("name"), in.Folder, in.Name)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, a, nil
}

func (s *Server) deleteAsset(r *http.Request, c *call) (int, any, error) {
	purge, err := s.svc.Trash(r.Context(), c.p, r.PathValue("name"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"name": r.PathValue("name"), "trashed": true, "purge": purge}, nil
}

func (s *Server) restoreAsset(r *http.Request, c *call) (int, any, error) {
	a, err := s.svc.Restore(r.Context(), c.p, r.PathValue("name"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, a, nil
}

func (s *Server) assetHistory(r *http.Request, c *call) (int, any, error) {
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	h, err := s.db.History(r.Context(), c.p.Company.ID, r.PathValue("name"), limit)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"history": h}, nil
}

func (s *Server) assetVersions(r *http.Request, c *call) (int, any, error) {
	v, err := s.db.Versions(r.Context(), c.p.Company.ID, r.PathValue("name"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"versions": v}, nil
}
