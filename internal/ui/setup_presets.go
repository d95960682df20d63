package ui

import (
	"maps"
	"net/http"
	"net/url"
	"strings"

	"github.com/vitrine/vitrine"
)

type presetRow struct{ Name, Modifiers string }

type setupPresetsData struct {
	SetupTab
	Presets []presetRow
	// The editor: the preset being edited ("" for a new one), the fields
	// as shown, and the live preview of a sample image.
	Original, Name, Modifiers string
	Sample                    string
	PreviewBase, Preview      string
	Saved                     string
}

// setupPresets is Setup → Presets: the company's Image Serving presets
// ($name$ in URLs) with an editor whose preview image shows a sample
// asset rendered with the modifiers as they are typed (presets.js), through
// /preview with the workspace session.
func (s *Server) setupPresets(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("edit")
	mods, ok := viewOf(r).P.Company.Settings.Presets[name]
	if !ok {
		name = ""
	}
	s.renderSetupPresets(w, r, http.StatusOK, name, name, mods, "")
}

func (s *Server) renderSetupPresets(w http.ResponseWriter, r *http.Request, status int, original, name, mods, errText string) {
	v := viewOf(r)
	presets := v.P.Company.Settings.Presets
	d := setupPresetsData{SetupTab: tabsFor(v, "presets"), Original: original, Name: name, Modifiers: mods, Saved: savedNote(r)}
	for _, n := range presetNames(presets) {
		d.Presets = append(d.Presets, presetRow{Name: n, Modifiers: presets[n]})
	}
	d.Sample = s.sampleImage(r)
	if d.Sample != "" {
		d.PreviewBase = "/preview/is/image/" + url.PathEscape(v.P.Company.RootID) + "/" + url.PathEscape(d.Sample)
		d.Preview = d.PreviewBase
		if mods != "" {
			d.Preview += "?" + mods
		}
	}
	s.render(w, r, status, "setup_presets", "Setup: presets", d, errText)
}

// sampleImage is the asset the preset preview renders: the one the
// request names, else the company's most recently changed image that
// the preview destination serves.
func (s *Server) sampleImage(r *http.Request) string {
	if name := strings.TrimSpace(r.FormValue("sample")); name != "" {
		return name
	}
	v := viewOf(r)
	inPreview := true
	page, err := s.store.Assets(r.Context(), v.P.Company.ID, vitrine.AssetFilter{Type: vitrine.TypeImage, Recursive: true,
		PublishedPreview: &inPreview, Sort: vitrine.SortModified, Desc: true, Limit: 1})
	if err != nil || len(page.Assets) == 0 {
		return ""
	}
	return page.Assets[0].Name
}

// setupPresetSave creates or changes a preset; renaming replaces the old
// name. The whole map is saved, as the API's PATCH /settings takes it.
func (s *Server) setupPresetSave(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	original := r.PostFormValue("original")
	name := strings.TrimSpace(r.PostFormValue("name"))
	mods := strings.TrimSpace(r.PostFormValue("modifiers"))
	presets := maps.Clone(v.P.Company.Settings.Presets)
	if presets == nil {
		presets = map[string]string{}
	}
	var err error
	if _, taken := presets[name]; taken && name != original {
		err = vitrine.Errorf(vitrine.ECONFLICT, "a preset named %s exists already; edit it or choose another name", name)
	} else {
		if original != "" {
			delete(presets, original)
		}
		presets[name] = mods
		_, err = s.saveSettings(r, map[string]any{"presets": presets})
	}
	if err != nil {
		s.renderSetupPresets(w, r, ErrorStatus(err), original, name, mods, s.errorText(r, err))
		return
	}
	http.Redirect(w, r, setupURL(v, "presets")+"?"+url.Values{"edit": {name}, "saved": {"1"}}.Encode(), http.StatusSeeOther)
}

// setupPresetDelete removes a preset; URLs naming it stop expanding it.
func (s *Server) setupPresetDelete(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	presets := maps.Clone(v.P.Company.Settings.Presets)
	name := r.PathValue("name")
	if _, ok := presets[name]; !ok {
		s.renderSetupPresets(w, r, http.StatusNotFound, "", "", "", "There is no preset "+name+".")
		return
	}
	delete(presets, name)
	if _, err := s.saveSettings(r, map[string]any{"presets": presets}); err != nil {
		s.renderSetupPresets(w, r, ErrorStatus(err), "", "", "", s.errorText(r, err))
		return
	}
	http.Redirect(w, r, setupURL(v, "presets")+"?saved=1", http.StatusSeeOther)
}
