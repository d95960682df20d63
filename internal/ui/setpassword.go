package ui

import (
	"net/http"

	"github.com/vitrine/vitrine"
)

type setPasswordData struct {
	Token string
	User  string
	Min   int
}

// setPasswordPage is where a one-time link lands: the invited user, the
// bootstrap admin or a user whose password was reset chooses a password.
func (s *Server) setPasswordPage(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	u, err := s.auth.LinkUser(r.Context(), token)
	if err != nil {
		s.renderError(w, r, nil, http.StatusNotFound, s.errorText(r, err))
		return
	}
	s.render(w, r, http.StatusOK, "setpassword", "Set your password", setPasswordData{Token: token, User: u.Name, Min: vitrine.MinPasswordLength}, "")
}

func (s *Server) setPassword(w http.ResponseWriter, r *http.Request) {
	token, pw := r.PostFormValue("token"), r.PostFormValue("password")
	d := setPasswordData{Token: token, Min: vitrine.MinPasswordLength}
	u, err := s.auth.LinkUser(r.Context(), token)
	if err != nil {
		s.renderError(w, r, nil, http.StatusNotFound, s.errorText(r, err))
		return
	}
	d.User = u.Name
	if pw != r.PostFormValue("confirm") {
		s.render(w, r, http.StatusBadRequest, "setpassword", "Set your password", d, "The two passwords differ.")
		return
	}
	if _, err := s.auth.SetPassword(r.Context(), token, pw); err != nil {
		s.render(w, r, http.StatusBadRequest, "setpassword", "Set your password", d, s.errorText(r, err))
		return
	}
	http.Redirect(w, r, "/signin?password=set", http.StatusSeeOther)
}
