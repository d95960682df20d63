package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/vitrine/vitrine"
)

// The set editor: one form holding the whole set. Moving, adding and
// removing members are posts of that form that come back with the changed
// draft, unsaved, so every step works without script; sets.js does the
// same in place (drag and drop, Move up and down) and the form posts the
// members in their order. Save goes through svc.SaveSet, the use case
// the API's POST and PUT /sets call, with Publish after save (PUB-5).

// setDraft is a set as the editor holds it between posts.
type setDraft struct {
	Create        bool
	Name, Folder  string
	Type          vitrine.AssetType
	Rows, Columns string // as typed; spin sets only
	Publish       bool   // Publish after save
	Members       []draftMember
}

// draftMember is one member row of the form. Kind is its swatch: "" (none),
// "color", "crop" or "image".
type draftMember struct {
	Name                          string
	Kind, Color, Label, Crop, Img string
}

// pickerLimit is how many assets the member picker lists.
const pickerLimit = 60

type setEditData struct {
	Draft    *setDraft
	Label    string // the type in words
	Swatches bool   // members carry swatch fields
	Optional bool   // a member may have no swatch (mixed media)
	Grid     int    // spin sets: columns of the member grid, 0 to flow
	Members  []memberRow
	Saved    *vitrine.Asset // the saved set; nil for a new one
	Action   string         // where the form posts
	Done     string         // what the last save did
	Problems []vitrine.ErrorDetail
	Preview  string // the req=set answer on the preview host
	Picker   pickerData
}

type memberRow struct {
	draftMember
	Index   int
	Pos     string // "3", or "row 1, column 3" in a spin grid
	Type    vitrine.AssetType
	Thumb   string
	Big     string // a larger rendition, to draw a crop swatch on
	Width   int    // the image's size in pixels, for the crop
	Height  int
	Problem string // what the last save said of it
}

type pickerData struct {
	Query string
	Type  vitrine.AssetType
	Types []vitrine.AssetType
	Rows  []assetRow
	More  bool
}

// memberTypes are the types the picker offers, in its order.
var memberTypes = []vitrine.AssetType{vitrine.TypeImage, vitrine.TypeVideo, vitrine.TypeImageSet, vitrine.TypeSwatchSet, vitrine.TypeSpinSet, vitrine.TypeVideoSet}

// setEdit shows the editor: /sets/new?type=… for a new set (optionally
// with members a=…), /sets/{name} for a saved one.
func (s *Server) setEdit(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	v.Section = "sets"
	q := r.URL.Query()
	name := r.PathValue("name")
	if name == "new" && q.Has("type") {
		d := &setDraft{Create: true, Type: vitrine.AssetType(q.Get("type")), Folder: "/", Publish: true}
		if !editableSet(d.Type) {
			s.renderError(w, r, v, http.StatusNotFound, "The workspace edits image, swatch, spin and mixed media sets; use vitrine sets or the /sets API for the others.")
			return
		}
		if f := q.Get("folder"); f != "" {
			d.Folder = f
		}
		for _, a := range q["a"] {
			d.Members = append(d.Members, s.newMember(r, d.Type, a))
		}
		s.renderSetEdit(w, r, d, nil, http.StatusOK, nil)
		return
	}
	set, err := s.store.Set(r.Context(), v.P.Company.ID, name)
	if err != nil {
		s.renderError(w, r, v, ErrorStatus(err), s.errorText(r, err))
		return
	}
	if !editableSet(set.Type) {
		http.Redirect(w, r, "/c/"+v.P.Company.RootID+"/assets/"+url.PathEscape(name), http.StatusSeeOther)
		return
	}
	d := &setDraft{Name: set.Name, Type: set.Type, Publish: true}
	if set.Rows != 0 || set.Columns != 0 {
		d.Rows, d.Columns = strconv.Itoa(set.Rows), strconv.Itoa(set.Columns)
	}
	for _, m := range set.Members {
		dm := draftMember{Name: m.Name}
		if sw := m.Swatch; sw != nil {
			switch {
			case sw.Color != "":
				dm.Kind, dm.Color, dm.Label = "color", "#"+sw.Color, sw.Label
			case sw.Crop != "":
				dm.Kind, dm.Crop = "crop", sw.Crop
			case sw.Image != "":
				dm.Kind, dm.Img = "image", sw.Image
			}
		}
		d.Members = append(d.Members, dm)
	}
	for _, a := range q["a"] { // Add to set… from Browse: added to the draft, unsaved
		d.Members = append(d.Members, s.newMember(r, d.Type, a))
	}
	s.renderSetEdit(w, r, d, set.Asset, http.StatusOK, nil)
}

// setPost applies the editor's button: save, add the picked assets,
// search the picker, or move or remove a member.
func (s *Server) setPost(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	v.Section = "sets"
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, v, http.StatusBadRequest, "The form could not be read.")
		return
	}
	f := r.PostForm
	d := &setDraft{Create: r.PathValue("name") == "new" && f.Get("create") == "1", Name: r.PathValue("name"),
		Rows: strings.TrimSpace(f.Get("rows")), Columns: strings.TrimSpace(f.Get("columns")), Publish: f.Get("publish") != ""}
	var saved *vitrine.Asset
	if d.Create {
		d.Name, d.Folder, d.Type = strings.TrimSpace(f.Get("name")), strings.TrimSpace(f.Get("folder")), vitrine.AssetType(f.Get("type"))
		if !editableSet(d.Type) {
			s.renderError(w, r, v, http.StatusBadRequest, "Choose an image, swatch, spin or mixed media set.")
			return
		}
	} else {
		set, err := s.store.Set(r.Context(), v.P.Company.ID, d.Name)
		if err != nil {
			s.renderError(w, r, v, ErrorStatus(err), s.errorText(r, err))
			return
		}
		if !editableSet(set.Type) {
			// eCatalogs and video sets carry what this editor does not
			// show (page text, encodes): a save from here would drop it.
			s.renderError(w, r, v, http.StatusNotFound, "This set is edited with vitrine sets or the /sets API, not here.")
			return
		}
		d.Type, saved = set.Type, set.Asset
	}
	if err := d.readMembers(f); err != nil {
		s.renderError(w, r, v, http.StatusBadRequest, s.errorText(r, err))
		return
	}
	op := f.Get("op")
	var err error
	switch {
	case op == "save":
		s.saveSet(w, r, d, saved)
		return
	case op == "add":
		for _, a := range f["pick"] {
			d.Members = append(d.Members, s.newMember(r, d.Type, a))
		}
		if len(f["pick"]) == 0 {
			err = vitrine.Errorf(vitrine.EINVALID, "tick the assets to add first")
		}
	case op == "search":
	default:
		err = d.move(op)
	}
	status := http.StatusOK
	if err != nil {
		status = ErrorStatus(err)
	}
	s.renderSetEdit(w, r, d, saved, status, err)
}

// saveSet saves the draft through the use case; a refusal shows on the
// editor with the draft as it was.
func (s *Server) saveSet(w http.ResponseWriter, r *http.Request, d *setDraft, saved *vitrine.Asset) {
	v := viewOf(r)
	spec, err := d.spec()
	if err != nil {
		s.renderSetEdit(w, r, d, saved, ErrorStatus(err), err)
		return
	}
	res, err := s.svc.SaveSet(r.Context(), v.P, spec, d.Create)
	if err != nil {
		s.renderSetEdit(w, r, d, saved, ErrorStatus(err), err)
		return
	}
	done := "saved"
	if d.Publish {
		done = "published"
	}
	http.Redirect(w, r, setPath(v.P.Company.RootID, res.Set.Name)+"?done="+done+"&n="+itoa(len(res.Results)), http.StatusSeeOther)
}

// readMembers reads the member rows: every row posts a name and, in sets
// with swatches, the five swatch fields, so the lists line up.
func (d *setDraft) readMembers(f url.Values) error {
	names := f["m"]
	fields := [][]string{f["sk"], f["sc"], f["sl"], f["sr"], f["si"]}
	swatches := d.Type == vitrine.TypeSwatchSet || d.Type == vitrine.TypeMixedMediaSet
	for _, l := range fields {
		if swatches && len(l) != len(names) {
			return vitrine.Errorf(vitrine.EINVALID, "the member rows of the form do not line up; reload the page")
		}
	}
	for i, n := range names {
		m := draftMember{Name: n}
		if swatches {
			m.Kind, m.Color, m.Label, m.Crop, m.Img = fields[0][i], fields[1][i], strings.TrimSpace(fields[2][i]), strings.TrimSpace(fields[3][i]), strings.TrimSpace(fields[4][i])
		}
		d.Members = append(d.Members, m)
	}
	return nil
}

// move applies up-N, down-N or remove-N to the draft.
func (d *setDraft) move(op string) error {
	verb, n, ok := strings.Cut(op, "-")
	i, err := strconv.Atoi(n)
	if !ok || err != nil || i < 0 || i >= len(d.Members) {
		return vitrine.Errorf(vitrine.EINVALID, "unknown action %q", op)
	}
	m := d.Members
	switch verb {
	case "up":
		if i > 0 {
			m[i-1], m[i] = m[i], m[i-1]
		}
	case "down":
		if i < len(m)-1 {
			m[i], m[i+1] = m[i+1], m[i]
		}
	case "remove":
		d.Members = append(m[:i:i], m[i+1:]...)
	default:
		return vitrine.Errorf(vitrine.EINVALID, "unknown action %q", op)
	}
	return nil
}

// spec is the draft as the use case takes it.
func (d *setDraft) spec() (vitrine.SetSpec, error) {
	publish := d.Publish
	spec := vitrine.SetSpec{Name: d.Name, Type: d.Type, PublishAfterSave: &publish, Members: []vitrine.SetMember{}}
	if d.Create {
		spec.Folder = d.Folder
	}
	for _, g := range []struct {
		text, what string
		to         *int
	}{{d.Rows, "rows", &spec.Rows}, {d.Columns, "columns", &spec.Columns}} {
		if g.text == "" {
			continue
		}
		n, err := strconv.Atoi(g.text)
		if err != nil {
			return spec, vitrine.Errorf(vitrine.EINVALID, "%s must be a whole number", g.what)
		}
		*g.to = n
	}
	for _, m := range d.Members {
		sm := vitrine.SetMember{Name: m.Name}
		switch m.Kind {
		case "color":
			sm.Swatch = &vitrine.Swatch{Color: m.Color, Label: m.Label}
		case "crop":
			sm.Swatch = &vitrine.Swatch{Crop: m.Crop}
		case "image":
			sm.Swatch = &vitrine.Swatch{Image: m.Img}
		}
		spec.Members = append(spec.Members, sm)
	}
	return spec, nil
}

// newMember is an asset added to the draft. In a swatch set every member
// needs a swatch: an image starts as its own swatch image, a nested
// swatch set as a grey colour, to be changed.
func (s *Server) newMember(r *http.Request, t vitrine.AssetType, name string) draftMember {
	m := draftMember{Name: name}
	if t != vitrine.TypeSwatchSet {
		return m
	}
	if a, err := s.store.Asset(r.Context(), viewOf(r).P.Company.ID, name); err == nil && a.Type == vitrine.TypeImage {
		m.Kind, m.Img = "image", name
	} else {
		m.Kind, m.Color = "color", "#cccccc"
	}
	return m
}

// renderSetEdit draws the editor for draft d; err, when set, is what the
// last action was refused for.
func (s *Server) renderSetEdit(w http.ResponseWriter, r *http.Request, d *setDraft, saved *vitrine.Asset, status int, err error) {
	v := viewOf(r)
	c := v.P.Company.RootID
	data := setEditData{Draft: d, Label: setLabel(d.Type), Saved: saved, Done: setDone(r.URL.Query()),
		Swatches: d.Type == vitrine.TypeSwatchSet || d.Type == vitrine.TypeMixedMediaSet, Optional: d.Type == vitrine.TypeMixedMediaSet}
	title := "New " + strings.ToLower(data.Label[:1]) + data.Label[1:]
	data.Action = "/c/" + c + "/sets/new"
	if !d.Create {
		title = "Edit " + d.Name
		data.Action = setPath(c, d.Name)
		data.Preview = "/preview/is/image/" + c + "/" + url.PathEscape(d.Name) + "?req=set,json&handler="
	}
	errText := ""
	if err != nil {
		errText = s.errorText(r, err)
		var e *vitrine.Error
		if errors.As(err, &e) {
			data.Problems = e.Details
		}
	}
	if d.Type == vitrine.TypeSpinSet {
		if n, err := strconv.Atoi(d.Columns); err == nil && n > 0 && n <= maxGridColumns {
			data.Grid = n
		}
	}
	known := map[string]*vitrine.Asset{}
	for i, m := range d.Members {
		row := memberRow{draftMember: m, Index: i, Pos: itoa(i + 1)}
		if data.Grid > 0 {
			row.Pos = "row " + itoa(i/data.Grid+1) + ", column " + itoa(i%data.Grid+1)
		}
		a, ok := known[m.Name]
		if !ok {
			a, _ = s.store.Asset(r.Context(), v.P.Company.ID, m.Name) // an unknown member is the save's to refuse
			known[m.Name] = a
		}
		if a != nil {
			row.Type = a.Type
			row.Thumb = newAssetRow(c, a, i, "", "list").Thumb
			if base, _, ok := strings.Cut(row.Thumb, "?"); ok && a.CurrentVersion != nil {
				row.Big, row.Width, row.Height = base+"?wid=480", a.CurrentVersion.Width, a.CurrentVersion.Height
			}
		}
		for _, p := range data.Problems {
			if p.Item == m.Name {
				row.Problem = p.Message
			}
		}
		data.Members = append(data.Members, row)
	}
	if perr := s.pick(r, d, &data.Picker); perr != nil && err == nil {
		errText = s.errorText(r, perr)
	}
	s.render(w, r, status, "set_edit", title, data, errText)
}

// maxGridColumns bounds the spin grid the editor lays out (sets.css).
const maxGridColumns = 24

// pick fills the member picker: assets of a type the set may hold,
// matching the search.
func (s *Server) pick(r *http.Request, d *setDraft, p *pickerData) error {
	q := r.URL.Query()
	if r.Method == http.MethodPost {
		q = r.PostForm
	}
	p.Query = strings.TrimSpace(q.Get("pq"))
	for _, t := range memberTypes {
		if d.Type.CanHold(t) {
			p.Types = append(p.Types, t)
		}
	}
	p.Type = p.Types[0]
	for _, t := range p.Types {
		if string(t) == q.Get("pt") {
			p.Type = t
		}
	}
	v := viewOf(r)
	page, err := s.store.Assets(r.Context(), v.P.Company.ID, vitrine.AssetFilter{Type: p.Type, Recursive: true, Query: p.Query, Limit: pickerLimit})
	if err != nil {
		return err
	}
	p.More = page.NextCursor != ""
	for i := range page.Assets {
		if page.Assets[i].Name == d.Name {
			continue
		}
		p.Rows = append(p.Rows, newAssetRow(v.P.Company.RootID, &page.Assets[i], i, "", "list"))
	}
	return nil
}

// setDone says what the last save did.
func setDone(q url.Values) string {
	switch q.Get("done") {
	case "published":
		return "Saved and published: the set and its members (" + q.Get("n") + " assets)."
	case "saved":
		return "Saved. Publish after save was off, so no publish state changed."
	}
	if a := q["a"]; len(a) > 0 {
		return itoa(len(a)) + " asset(s) from Browse added at the end. Save to keep them."
	}
	return ""
}
