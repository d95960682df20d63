package ui

import (
	"net/http"

	"github.com/vitrine/vitrine"
)

type signInData struct {
	Login string
	Next  string
	Info  string
}

func (s *Server) signInPage(w http.ResponseWriter, r *http.Request) {
	d := signInData{Next: safeNext(r.URL.Query().Get("next"))}
	if r.URL.Query().Get("password") == "set" {
		d.Info = "Your password is set. Sign in with it."
	}
	s.render(w, r, http.StatusOK, "signin", "Sign in", d, "")
}

func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	d := signInData{Login: r.PostFormValue("login"), Next: safeNext(r.PostFormValue("next"))}
	secret, _, err := s.auth.SignIn(r.Context(), d.Login, r.PostFormValue("password"), r.RemoteAddr, r.UserAgent())
	if err != nil {
		status := http.StatusUnauthorized
		if vitrine.ErrorCode(err) == vitrine.ETHROTTLED {
			status = http.StatusTooManyRequests
		}
		s.render(w, r, status, "signin", "Sign in", d, s.errorText(r, err))
		return
	}
	s.setSession(w, r, secret)
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
}
