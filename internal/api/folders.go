package api

import (
	"net/http"

	"github.com/vitrine/vitrine"
)

func (s *Server) createFolder(r *http.Request, c *call) (int, any, error) {
	var in struct {
		Path        string               `json:"path"`
		SyncMode    *vitrine.SyncMode    `json:"sync_mode"`
		PublishMode *vitrine.PublishMode `json:"publish_mode"`
	}
	if err := s.decode(r, &in); err != nil {
		return 0, nil, err
	}
	// Refused before anything is made: a 400 must not leave folders behind.
	modes := vitrine.FolderPatch{SyncMode: in.SyncMode, PublishMode: in.PublishMode}
	if err := modes.CheckModes(); err != nil {
		return 0, nil, err
	}
	f, err := s.db.CreateFolder(r.Context(), &c.p.Company, in.Path)
	if err != nil {
		return 0, nil, err
	}
	if in.SyncMode != nil || in.PublishMode != nil {
		if f, err = s.db.UpdateFolder(r.Context(), &c.p.Company, f.Path, modes); err != nil {
			return 0, nil, err
		}
	}
	return http.StatusCreated, f, nil
}

func (s *Server) listFolders(r *http.Request, c *call) (int, any, error) {
	under := r.URL.Query().Get("under")
	fs, err := s.db.Folders(r.Context(), &c.p.Company, under)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"folders": fs}, nil
}

func (s *Server) getFolder(r *http.Request, c *call) (int, any, error) {
	f, err := s.db.Folder(r.Context(), &c.p.Company, "/"+r.PathValue("path"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, f, nil
}

func (s *Server) patchFolder(r *http.Request, c *call) (int, any, error) {
	var in struct {
		SyncMode    *vitrine.SyncMode    `json:"sync_mode"`
		PublishMode *vitrine.PublishMode `json:"publish_mode"`
		Path        *string              `json:"path"`
	}
	if err := s.decode(r, &in); err != nil {
		return 0, nil, err
	}
	f, err := s.db.UpdateFolder(r.Context(), &c.p.Company, "/"+r.PathValue("path"),
		vitrine.FolderPatch{SyncMode: in.SyncMode, PublishMode: in.PublishMode, Path: in.Path})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, f, nil
}

func (s *Server) deleteFolder(r *http.Request, c *call) (int, any, error) {
	if err := s.db.DeleteFolder(r.Context(), &c.p.Company, "/"+r.PathValue("path")); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"deleted": "/" + r.PathValue("path")}, nil
}
