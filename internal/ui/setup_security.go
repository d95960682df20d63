package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/vitrine/vitrine"
)

type setupSecurityData struct {
	SetupTab
	Signing   []modeOption
	Keys      int
	KeysMark  string // keysMark of the keys the page showed: a rotation posted again (a refresh) rotates nothing
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
	d.KeysMark = keysMark(st.URLSigningKeys)
	s.render(w, r, status, "setup_security", "Setup: security", d, errText)
}

func (s *Server) setupSigningSave(w http.ResponseWriter, r *http.Request) {
	if _, err := s.saveSettings(r, map[string]any{"url_signing": r.PostFormValue("url_signing")}); err != nil {
		s.renderSetupSecurity(w, r, ErrorStatus(err), setupSecurityData{}, s.errorText(r, err))
		return
	}
	http.Redirect(w, r, setupURL(viewOf(r), "security")+"?saved=1", http.StatusSeeOther)
}

// keysMark names a list of signing keys without showing them: a rotation
// form carries the mark of the keys it was shown with.
func keysMark(keys []string) string {
	sum := sha256.Sum256([]byte(strings.Join(keys, "\n")))
	return hex.EncodeToString(sum[:8])
}

func (s *Server) setupSigningKey(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	if r.PostFormValue("keys") != keysMark(v.P.Company.Settings.URLSigningKeys) {
		// The page was made before the last rotation: a refresh of the
		// answer that showed a new key would retire the key before it.
		err := vitrine.Errorf(vitrine.ECONFLICT, "the signing keys changed since this page was loaded (a refresh of a rotation?): nothing was rotated; rotate from this page if you mean to")
		s.renderSetupSecurity(w, r, ErrorStatus(err), setupSecurityData{}, s.errorText(r, err))
		return
	}
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
