package ui

import (
	"net/http"

	"github.com/vitrine/vitrine"
)

// gridWidth is a Grid thumbnail's CSS width; srcset offers 2x for HiDPI.
const gridWidth = 200

type browseData struct {
	Folder     string
	Folders    []vitrine.Folder
	Assets     []vitrine.Asset
	NextCursor string
	Width      int
	Width2x    int
}

// browse is the Browse panel: the folder tree and a Grid of the folder's
// assets, a page at a time (keyset cursor), read-only for now.
func (s *Server) browse(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	v.Section = "browse"
	q := r.URL.Query()
	d := browseData{Folder: q.Get("folder"), Width: gridWidth, Width2x: 2 * gridWidth}
	if d.Folder == "" {
		d.Folder = "/"
	}
	folder, err := vitrine.CleanFolderPath(d.Folder)
	if err != nil {
		s.renderError(w, r, v, http.StatusBadRequest, s.errorText(r, err))
		return
	}
	d.Folder = folder
	if d.Folders, err = s.store.Folders(r.Context(), &v.P.Company, "/"); err != nil {
		s.renderError(w, r, v, http.StatusInternalServerError, s.errorText(r, err))
		return
	}
	page, err := s.store.Assets(r.Context(), v.P.Company.ID, vitrine.AssetFilter{Folder: folder, Limit: 100, Cursor: q.Get("cursor")})
	if err != nil {
		s.renderError(w, r, v, ErrorStatus(err), s.errorText(r, err))
		return
	}
	d.Assets, d.NextCursor = page.Assets, page.NextCursor
	s.render(w, r, http.StatusOK, "browse", "Browse "+folder, d, "")
}

// ErrorStatus is the HTTP status a page answers for a domain error.
func ErrorStatus(err error) int {
	switch vitrine.ErrorCode(err) {
	case vitrine.EINVALID:
		return http.StatusBadRequest
	case vitrine.ENOTFOUND:
		return http.StatusNotFound
	case vitrine.EFORBIDDEN:
		return http.StatusForbidden
	}
	return http.StatusInternalServerError
}
