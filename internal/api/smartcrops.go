package api

import (
	"net/http"

	"github.com/vitrine/vitrine"
)

// folderProfileView is a folder's image profile as the API shows it: its
// own (null when it inherits) and the effective one with its origin.
type folderProfileView struct {
	Folder    string                   `json:"folder"`
	Profile   *vitrine.ImageProfile    `json:"profile"`
	Effective vitrine.EffectiveProfile `json:"effective"`
}

func (s *Server) folderProfileView(r *http.Request, c *call) (int, any, error) {
	path := "/" + r.PathValue("path")
	own, eff, err := s.db.FolderProfile(r.Context(), &c.p.Company, path)
	if err != nil {
		return 0, nil, err
	}
	clean, _ := vitrine.CleanFolderPath(path)
	return http.StatusOK, folderProfileView{Folder: clean, Profile: own, Effective: eff}, nil
}

func (s *Server) getFolderProfile(r *http.Request, c *call) (int, any, error) {
	return s.folderProfileView(r, c)
}

// putFolderProfile sets a folder's profile; the images below it get their
// crops recomputed in the background (the crop worker).
func (s *Server) putFolderProfile(r *http.Request, c *call) (int, any, error) {
	var in vitrine.ImageProfile
	if err := s.decode(r, &in); err != nil {
		return 0, nil, err
	}
	if err := in.Validate(); err != nil {
		return 0, nil, err
	}
	if err := s.svc.SetFolderProfile(r.Context(), c.p, "/"+r.PathValue("path"), &in); err != nil {
		return 0, nil, err
	}
	return s.folderProfileView(r, c)
}

func (s *Server) deleteFolderProfile(r *http.Request, c *call) (int, any, error) {
	if err := s.svc.SetFolderProfile(r.Context(), c.p, "/"+r.PathValue("path"), nil); err != nil {
		return 0, nil, err
	}
	return s.folderProfileView(r, c)
}

func (s *Server) listCrops(r *http.Request, c *call) (int, any, error) {
	crops, err := s.svc.Crops(r.Context(), c.p, r.PathValue("name"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"crops": crops}, nil
}

// putCrop adjusts a crop's box (x, y, w, h in upright source pixels).
func (s *Server) putCrop(r *http.Request, c *call) (int, any, error) {
	var in struct {
		X, Y, W, H *int
	}
	if err := s.decode(r, &in); err != nil {
		return 0, nil, err
	}
	if in.X == nil || in.Y == nil || in.W == nil || in.H == nil {
		return 0, nil, vitrine.Errorf(vitrine.EINVALID, "give the box as {\"x\",\"y\",\"w\",\"h\"} in source pixels")
	}
	out, err := s.svc.AdjustCrop(r.Context(), c.p, r.PathValue("name"), r.PathValue("crop"),
		vitrine.CropBox{X: *in.X, Y: *in.Y, W: *in.W, H: *in.H})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, out, nil
}

// deleteCrop resets an adjusted crop to the computed one.
func (s *Server) deleteCrop(r *http.Request, c *call) (int, any, error) {
	out, err := s.svc.ResetCrop(r.Context(), c.p, r.PathValue("name"), r.PathValue("crop"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, out, nil
}
