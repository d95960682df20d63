package ui

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/cdn"
)

type setupCDNData struct {
	SetupTab
	Template string
	// The Invalidate CDN form as typed (or prefilled with ?assets=).
	URLs, Assets  string
	AllRenditions bool
	MaxURLs       int
	Details       []vitrine.ErrorDetail
	Saved         string
}

// setupCDN is Setup → CDN: the CDN invalidation template and the
// Invalidate CDN dialog (CDN-3, admins only). Without JavaScript the
// dialog posts and lands on the invalidation's page; with it (cdn.js) the
// page shows each edge's confirmation as the invalidation reports it.
func (s *Server) setupCDN(w http.ResponseWriter, r *http.Request) {
	d := setupCDNData{Assets: strings.Join(r.URL.Query()["assets"], "\n"), AllRenditions: true, Saved: savedNote(r)}
	s.renderSetupCDN(w, r, http.StatusOK, d, "")
}

func (s *Server) renderSetupCDN(w http.ResponseWriter, r *http.Request, status int, d setupCDNData, errText string) {
	v := viewOf(r)
	d.SetupTab, d.MaxURLs = tabsFor(v, "cdn"), cdn.MaxURLs
	if d.Template == "" {
		d.Template = strings.Join(v.P.Company.Settings.InvalidationTemplate, "\n")
	}
	s.render(w, r, status, "setup_cdn", "Setup: CDN", d, errText)
}

func (s *Server) setupTemplateSave(w http.ResponseWriter, r *http.Request) {
	tmpl := r.PostFormValue("template")
	ls := lines(tmpl)
	if ls == nil {
		ls = []string{}
	}
	if _, err := s.saveSettings(r, map[string]any{"invalidation_template": ls}); err != nil {
		s.renderSetupCDN(w, r, ErrorStatus(err), setupCDNData{Template: tmpl}, s.errorText(r, err))
		return
	}
	http.Redirect(w, r, setupURL(viewOf(r), "cdn")+"?saved=1", http.StatusSeeOther)
}

// setupInvalidate submits an Invalidate CDN request through the use case
// the API's POST /invalidations calls.
func (s *Server) setupInvalidate(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	d := setupCDNData{URLs: r.PostFormValue("urls"), Assets: r.PostFormValue("assets"), AllRenditions: r.PostFormValue("all_renditions") == "on"}
	res, err := s.svc.Invalidate(r.Context(), v.P, cdn.Request{URLs: lines(d.URLs), Assets: lines(d.Assets), AllRenditions: d.AllRenditions})
	var id int64
	if err == nil {
		id = res.JobID
	}
	page := setupURL(v, "cdn/invalidations/"+strconv.FormatInt(id, 10))
	if wantsJSON(r) {
		var e *vitrine.Error
		if errors.As(err, &e) && len(e.Details) > 0 {
			// The items refused, so the dialog can say which.
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(ErrorStatus(err))
			json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": e.Code, "message": e.Message, "details": e.Details}})
			return
		}
		s.writeJSON(w, r, http.StatusAccepted, map[string]any{"id": id, "page": page}, err)
		return
	}
	if err != nil {
		var e *vitrine.Error
		if errors.As(err, &e) {
			d.Details = e.Details
		}
		s.renderSetupCDN(w, r, ErrorStatus(err), d, s.errorText(r, err))
		return
	}
	http.Redirect(w, r, page, http.StatusSeeOther)
}

type invalidationData struct {
	SetupTab
	Job  *vitrine.JobRun
	Log  []vitrine.JobLogEntry
	URLs []string
	Done bool
}

// setupInvalidation is one invalidation with each edge's answer: a page,
// or JSON for cdn.js, which asks again until every edge has answered.
func (s *Server) setupInvalidation(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var d invalidationData
	if err != nil {
		err = vitrine.Errorf(vitrine.ENOTFOUND, "invalidation %q not found", r.PathValue("id"))
	} else {
		d.Job, d.Log, err = s.svc.Invalidation(r.Context(), v.P, id)
	}
	if err == nil {
		// Every edge answered once the job ended: one line per edge.
		d.Done = d.Job.Status.Terminal()
		var opts struct {
			URLs []string `json:"urls"`
		}
		if json.Unmarshal(d.Job.Options, &opts) == nil {
			d.URLs = opts.URLs
		}
	}
	if wantsJSON(r) {
		s.writeJSON(w, r, http.StatusOK, map[string]any{"job": d.Job, "log": d.Log, "done": d.Done}, err)
		return
	}
	if err != nil {
		s.renderError(w, r, v, ErrorStatus(err), s.errorText(r, err))
		return
	}
	d.SetupTab = tabsFor(v, "cdn")
	s.render(w, r, http.StatusOK, "setup_invalidation", "Invalidation "+d.Job.Name, d, "")
}
