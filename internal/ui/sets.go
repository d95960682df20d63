package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/vitrine/vitrine"
)

// setTypes are the set types the list shows, in its order; editable says
// whether the workspace has an editor for it (eCatalogs and video sets
// carry page text and encodes: the CLI and the API edit those).
var setTypes = []struct {
	Type     vitrine.AssetType
	Label    string
	Editable bool
}{
	{vitrine.TypeImageSet, "Image set", true},
	{vitrine.TypeSwatchSet, "Swatch set", true},
	{vitrine.TypeSpinSet, "Spin set", true},
	{vitrine.TypeMixedMediaSet, "Mixed media set", true},
	{vitrine.TypeECatalog, "eCatalog", false},
	{vitrine.TypeVideoSet, "Video set", false},
}

// setsListed is how many sets of each type the list shows.
const setsListed = 200

type setsData struct {
	Rows      []setRow
	Types     []setTypeLink
	Type      vitrine.AssetType // the type filter, "" for all
	Query     string
	Truncated bool     // a type had more sets than the list shows
	Limit     int      // how many of a type are listed
	Adding    []string // assets chosen in Browse (Add to set…), carried to the editor
}

// setRow is one set of the list.
type setRow struct {
	Name, Folder string
	Type         vitrine.AssetType
	Label        string // the type in words
	Members      int
	Delivery     bool
	Preview      bool
	Updated      time.Time
	Editable     bool
	Edit         string // the editor, or the Detail page
}

type setTypeLink struct {
	Type     vitrine.AssetType
	Label    string
	Lower    string // Label in lower case, after "New"
	New      string // the new-set editor; "" when the workspace has none
	Selected bool
}

// setsPage lists the company's sets (name, type, members, published
// state), with a "New set" link per editable type.
func (s *Server) setsPage(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	v.Section = "sets"
	ctx, c := r.Context(), v.P.Company.RootID
	d := setsData{Type: vitrine.AssetType(r.URL.Query().Get("type")), Query: strings.TrimSpace(r.URL.Query().Get("q")), Limit: setsListed,
		Adding: r.URL.Query()["a"]}
	adding := ""
	if len(d.Adding) > 0 {
		adding = url.Values{"a": d.Adding}.Encode()
	}
	for _, t := range setTypes {
		l := setTypeLink{Type: t.Type, Label: t.Label, Lower: strings.ToLower(t.Label[:1]) + t.Label[1:], Selected: t.Type == d.Type}
		if t.Editable {
			l.New = "/c/" + c + "/sets/new?type=" + string(t.Type)
			if adding != "" {
				l.New += "&" + adding
			}
		}
		d.Types = append(d.Types, l)
	}
	if d.Type != "" && !d.Type.IsSet() {
		s.render(w, r, http.StatusBadRequest, "sets", "Sets", d, "Choose a set type from the list.")
		return
	}
	for _, t := range setTypes {
		if d.Type != "" && t.Type != d.Type {
			continue
		}
		page, err := s.store.Assets(ctx, v.P.Company.ID, vitrine.AssetFilter{Type: t.Type, Recursive: true, Query: d.Query, Limit: setsListed})
		if err != nil {
			s.renderError(w, r, v, ErrorStatus(err), s.errorText(r, err))
			return
		}
		d.Truncated = d.Truncated || page.NextCursor != ""
		for i := range page.Assets {
			a := &page.Assets[i]
			row := setRow{Name: a.Name, Folder: a.Folder, Type: a.Type, Label: t.Label, Updated: a.UpdatedAt, Editable: t.Editable,
				Delivery: a.Published.Delivery != nil, Preview: a.Published.Preview != nil, Edit: setPath(c, a.Name)}
			if !t.Editable {
				row.Edit = "/c/" + c + "/assets/" + url.PathEscape(a.Name)
			} else if adding != "" {
				row.Edit += "?" + adding
			}
			set, err := s.store.Set(ctx, v.P.Company.ID, a.Name)
			if err != nil {
				s.renderError(w, r, v, ErrorStatus(err), s.errorText(r, err))
				return
			}
			row.Members = len(set.Members)
			d.Rows = append(d.Rows, row)
		}
	}
	slices.SortFunc(d.Rows, func(a, b setRow) int { return strings.Compare(a.Name, b.Name) })
	s.render(w, r, http.StatusOK, "sets", "Sets", d, "")
}

// setPath is a set's editor.
func setPath(company, name string) string {
	return "/c/" + company + "/sets/" + url.PathEscape(name)
}

// editableSet reports whether the workspace has an editor for sets of type t.
func editableSet(t vitrine.AssetType) bool {
	for _, st := range setTypes {
		if st.Type == t {
			return st.Editable
		}
	}
	return false
}

// setLabel is a set type in words.
func setLabel(t vitrine.AssetType) string {
	for _, st := range setTypes {
		if st.Type == t {
			return st.Label
		}
	}
	return string(t)
}
