package ui

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/vitrine/vitrine"
)

// Setup (admins): the company's settings grouped as in Scene7 — Publish
// setup, Image serving, Presets, Security, CDN and Users — one page each,
// behind the same tabs. Every change goes through the use cases the API
// calls (svc.UpdateSettings and the administration use cases).

// setupTabs are Setup's pages: path under /setup and label.
var setupTabs = []struct{ Path, Label string }{
	{"publish", "Publish setup"}, {"image", "Image serving"}, {"presets", "Presets"},
	{"security", "Security"}, {"cdn", "CDN"}, {"users", "Users"},
}

// SetupTab is what the tabs partial needs: the company and the current tab.
type SetupTab struct {
	Company string
	Tab     string
	Tabs    []struct{ Path, Label string }
}

func tabsFor(v *view, tab string) SetupTab {
	return SetupTab{Company: v.P.Company.RootID, Tab: tab, Tabs: setupTabs}
}

// admin runs h for company admins only; for anyone else Setup does not
// exist (404, as the nav does not show it).
func (s *Server) admin(h http.HandlerFunc) http.Handler {
	return s.inCompany(func(w http.ResponseWriter, r *http.Request) {
		v := viewOf(r)
		if !isAdminView(v) {
			s.renderError(w, r, v, http.StatusNotFound, "There is no such page.")
			return
		}
		v.Section = "setup"
		h(w, r)
	})
}

// setupHome opens Setup's first page.
func (s *Server) setupHome(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, setupURL(viewOf(r), "publish"), http.StatusSeeOther)
}

func setupURL(v *view, tab string) string { return "/c/" + v.P.Company.RootID + "/setup/" + tab }

// saveSettings changes the settings named in fields through the use case
// the API's PATCH /settings calls.
func (s *Server) saveSettings(r *http.Request, fields map[string]any) (*vitrine.Settings, error) {
	patch, err := json.Marshal(fields)
	if err != nil {
		return nil, err
	}
	v := viewOf(r)
	st, err := s.svc.UpdateSettings(r.Context(), v.P, patch)
	if err != nil {
		return nil, err
	}
	v.P.Company.Settings = *st
	return st, nil
}

// formInts reads whole-number fields; a field that is not one is an
// error naming its label.
type formInts struct {
	r   *http.Request
	err error
}

func (f *formInts) get(name, label string) int {
	raw := strings.TrimSpace(f.r.PostFormValue(name))
	n, err := strconv.Atoi(raw)
	if err != nil && f.err == nil {
		f.err = vitrine.Errorf(vitrine.EINVALID, "%s must be a whole number, not %q", label, raw)
	}
	return n
}

// savedNote is the confirmation a page shows after a change.
func savedNote(r *http.Request) string {
	if r.URL.Query().Get("saved") != "" {
		return "Saved."
	}
	return ""
}
