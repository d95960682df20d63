package ui

import (
	"net/http"
)

type setupSecurityData struct {
	SetupTab
	Signing   []modeOption
	Keys      int
	NewKey    string // shown in this answer only
	NewSecret string // shown in this answer only
	Saved     string
}

var signingLabels = []modeOption{{Value: "off", Label: "Off: no signature needed"},
	{Value: "presets_only", Label: "Presets only: URLs made of presets alone need no signature"},
	{Value: "required", Label: "Required: every image URL carries a valid sig="}}

// setupSecurity is Setup → Security: URL signing (§5.1) with its keys, and
// the secret that signs job notifications (JOB-6). New secrets are shown
// once, in the answer that made them.
func (s *Server) setupSecurity(w http.ResponseWriter, r *http.Request) {
	s.renderSetupSecurity(w, r, http.StatusOK, setupSecurityData{Saved: savedNote(r)}, "")
}

func (s *Server) renderSetupSecurity(w http.ResponseWriter, r *http.Request, status int, d setupSecurityData, errText string) {
	v := viewOf(r)
	st := v.P.Company.Settings
	d.SetupTab = tabsFor(v, "security")
	d.Signing = options(signingLabels, st.URLSigning)
	d.Keys = len(st.URLSigningKeys)
	s.render(w, r, status, "setup_security", "Setup: security", d, errText)
}

func (s *Server) setupSigningSave(w http.ResponseWriter, r *http.Request) {
	if _, err := s.saveSettings(r, map[string]any{"url_signing": r.PostFormValue("url_signing")}); err != nil {
		s.renderSetupSecurity(w, r, ErrorStatus(err), setupSecurityData{}, s.errorText(r, err))
		return
	}
	http.Redirect(w, r, setupURL(viewOf(r), "security")+"?saved=1", http.StatusSeeOther)
}

func (s *Server) setupSigningKey(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	key, st, err := s.svc.RotateSigningKey(r.Context(), v.P)
	if err != nil {
		s.renderSetupSecurity(w, r, ErrorStatus(err), setupSecurityData{}, s.errorText(r, err))
		return
	}
	v.P.Company.Settings = *st
	s.renderSetupSecurity(w, r, http.StatusOK, setupSecurityData{NewKey: key}, "")
}

func (s *Server) setupWebhookSecret(w http.ResponseWriter, r *http.Request) {
	secret, err := s.svc.RotateWebhookSecret(r.Context(), viewOf(r).P)
	if err != nil {
		s.renderSetupSecurity(w, r, ErrorStatus(err), setupSecurityData{}, s.errorText(r, err))
		return
	}
	s.renderSetupSecurity(w, r, http.StatusOK, setupSecurityData{NewSecret: secret}, "")
}
