package ui

import (
	"net/http"
	"strconv"
	"time"

	"github.com/vitrine/vitrine"
)

type accountData struct {
	Tokens    []vitrine.PersonalToken
	NewSecret string // the token just made, shown this once
	NewName   string
}

// account shows the user's personal API tokens, and signing out
// everywhere.
func (s *Server) account(w http.ResponseWriter, r *http.Request) {
	s.renderAccount(w, r, http.StatusOK, accountData{}, "")
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, d accountData, errText string) {
	v := viewOf(r)
	v.Section = "account"
	var err error
	if d.Tokens, err = s.store.UserTokens(r.Context(), v.User.ID); err != nil {
		s.renderError(w, r, v, http.StatusInternalServerError, s.errorText(r, err))
		return
	}
	s.render(w, r, status, "account", "Your account", d, errText)
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	days, _ := strconv.Atoi(r.PostFormValue("expires_in_days")) // "" and "0": never
	expires, err := vitrine.TokenExpiry(time.Now(), days)
	if err != nil {
		s.renderAccount(w, r, ErrorStatus(err), accountData{}, s.errorText(r, err))
		return
	}
	t, secret, err := s.store.CreatePersonalToken(r.Context(), viewOf(r).User.ID, r.PostFormValue("name"), expires)
	if err != nil {
		s.renderAccount(w, r, ErrorStatus(err), accountData{}, s.errorText(r, err))
		return
	}
	// The secret is shown in this answer only; it is not stored.
	s.renderAccount(w, r, http.StatusCreated, accountData{NewSecret: secret, NewName: t.Name}, "")
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := s.store.RevokeToken(r.Context(), viewOf(r).User.ID, id); err != nil {
		s.renderAccount(w, r, ErrorStatus(err), accountData{}, s.errorText(r, err))
		return
	}
	http.Redirect(w, r, "/account", http.StatusSeeOther)
}
