package ui

import "net/http"

// signOut ends this browser's session.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request) {
	if secret := sessionSecret(r); secret != "" {
		if err := s.auth.SignOut(r.Context(), secret); err != nil {
			s.renderError(w, r, nil, http.StatusInternalServerError, s.errorText(r, err))
			return
		}
	}
	clearSession(w, r)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

// signOutEverywhere ends every session of the user, this one included.
func (s *Server) signOutEverywhere(w http.ResponseWriter, r *http.Request) {
	if err := s.auth.SignOutEverywhere(r.Context(), viewOf(r).User.ID); err != nil {
		s.renderError(w, r, nil, http.StatusInternalServerError, s.errorText(r, err))
		return
	}
	clearSession(w, r)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}
