package ui

import (
	"net/http"
	"net/url"

	"github.com/vitrine/vitrine"
)

// gridWidth is a Grid thumbnail's CSS width; srcset offers 2x for HiDPI.
const gridWidth = 200

// listWidth is a List thumbnail's CSS width.
const listWidth = 48

// pageSize is how many assets a Browse page shows.
const pageSize = 100

type browseData struct {
	Folder   string
	Folders  []vitrine.Folder
	Rows     []assetRow
	View     string // "grid" or "list"
	Trash    bool
	Search   bool // a filter beyond the folder is set
	Q        url.Values
	Here     string // this page's URL, where forms come back to
	NextURL  string // the next page, "" on the last
	FirstURL string // the first page, "" on it
	GridURL  string
	ListURL  string
	Columns  []sortColumn
	Done     string // what the last action did
	Selected map[string]bool
}

// browse is the Browse panel: the folder tree, a toolbar acting on the
// selection, search with filters, and a Grid or List of the folder's
// assets a page at a time (keyset cursor).
func (s *Server) browse(w http.ResponseWriter, r *http.Request) {
	s.renderBrowse(w, r, r.URL.Query(), http.StatusOK, "")
}

// renderBrowse draws Browse for query q, with errText when an action
// failed (the page stays where the user was).
func (s *Server) renderBrowse(w http.ResponseWriter, r *http.Request, q url.Values, status int, errText string) {
	v := viewOf(r)
	v.Section = "browse"
	d, err := s.browseData(r, v, q)
	if err != nil {
		s.renderError(w, r, v, ErrorStatus(err), s.errorText(r, err))
		return
	}
	title := "Browse " + d.Folder
	if d.Trash {
		title = "Trash"
	} else if d.Search {
		title = "Search in " + d.Folder
	}
	s.render(w, r, status, "browse", title, d, errText)
}

func (s *Server) browseData(r *http.Request, v *view, q url.Values) (*browseData, error) {
	q = cleanQuery(q)
	d := &browseData{View: q.Get("view"), Trash: q.Get("trashed") == "true", Q: q, Done: doneText(q)}
	if d.View != "list" {
		d.View = "grid"
	}
	fq := cloneQuery(q)
	// Browsing shows one folder; a search (or the Trash) looks below it too.
	d.Search = searching(q)
	if !fq.Has("recursive") {
		fq.Set("recursive", boolText(d.Search || d.Trash))
	}
	f, err := vitrine.ParseAssetFilter(fq)
	if err != nil {
		return nil, err
	}
	if f.Folder, err = vitrine.CleanFolderPath(f.Folder); err != nil {
		return nil, err
	}
	d.Folder = f.Folder
	f.Limit = pageSize
	if d.Folders, err = s.store.Folders(r.Context(), &v.P.Company, "/"); err != nil {
		return nil, err
	}
	page, err := s.store.Assets(r.Context(), v.P.Company.ID, f)
	if err != nil {
		return nil, err
	}
	d.Here = s.browseURL(v, q, nil)
	d.Rows = make([]assetRow, len(page.Assets))
	for i := range page.Assets {
		d.Rows[i] = newAssetRow(v.P.Company.RootID, &page.Assets[i], i, d.Here, d.View)
	}
	if page.NextCursor != "" {
		d.NextURL = s.browseURL(v, q, map[string]string{"cursor": page.NextCursor})
	}
	if q.Get("cursor") != "" {
		d.FirstURL = s.browseURL(v, q, map[string]string{"cursor": ""})
	}
	d.GridURL = s.browseURL(v, q, map[string]string{"view": "", "cursor": ""})
	d.ListURL = s.browseURL(v, q, map[string]string{"view": "list", "cursor": ""})
	d.Columns = sortColumns(func(set map[string]string) string { return s.browseURL(v, q, set) }, f)
	return d, nil
}

// searching reports whether q filters beyond the folder.
func searching(q url.Values) bool {
	for _, k := range []string{"q", "type", "published", "published_preview", "modified_after", "modified_before"} {
		if q.Get(k) != "" {
			return true
		}
	}
	return false
}

// browseURL is Browse with q, changed by set ("" removes a key).
func (s *Server) browseURL(v *view, q url.Values, set map[string]string) string {
	q = cloneQuery(q)
	for k, val := range set {
		if val == "" {
			q.Del(k)
		} else {
			q.Set(k, val)
		}
	}
	u := "/c/" + v.P.Company.RootID + "/browse"
	if enc := q.Encode(); enc != "" {
		u += "?" + enc
	}
	return u
}

// cleanQuery keeps the parameters Browse knows, without empty values or
// one-shot messages, so links and forms carry a short, stable query.
func cleanQuery(q url.Values) url.Values {
	out := url.Values{}
	for _, k := range []string{"folder", "recursive", "q", "type", "published", "published_preview", "trashed",
		"modified_after", "modified_before", "sort", "order", "cursor", "view"} {
		if v := q.Get(k); v != "" {
			out.Set(k, v)
		}
	}
	for _, k := range []string{"done", "n"} {
		if v := q.Get(k); v != "" {
			out.Set(k, v)
		}
	}
	return out
}

func cloneQuery(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		if k == "done" || k == "n" {
			continue
		}
		out[k] = append([]string(nil), v...)
	}
	return out
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
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
	case vitrine.ECONFLICT:
		return http.StatusConflict
	case vitrine.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}
