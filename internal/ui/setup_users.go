package ui

import (
	"net/http"
	"strings"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/service"
)

type setupUsersData struct {
	SetupTab
	Users []vitrine.Account
	Me    int64
	Roles []vitrine.Role
	// Link is a one-time set-password link, shown in this answer only.
	Link, LinkFor string
	Done          string
	// The invitation as typed, kept when it is refused.
	Invite vitrine.Invitation
}

// setupUsers is Setup → Users: the company's people with role and access,
// invitations and password-reset links (AUTH-1).
func (s *Server) setupUsers(w http.ResponseWriter, r *http.Request) {
	s.renderSetupUsers(w, r, http.StatusOK, setupUsersData{Done: usersDone[r.URL.Query().Get("done")]}, "")
}

var usersDone = map[string]string{"role": "Role changed.", "access": "Access changed."}

func (s *Server) renderSetupUsers(w http.ResponseWriter, r *http.Request, status int, d setupUsersData, errText string) {
	v := viewOf(r)
	accs, err := s.svc.Accounts(r.Context(), v.P)
	if err != nil {
		s.renderError(w, r, v, ErrorStatus(err), s.errorText(r, err))
		return
	}
	d.SetupTab, d.Users, d.Me = tabsFor(v, "users"), accs, v.User.ID
	d.Roles = []vitrine.Role{vitrine.RoleUser, vitrine.RoleAdmin}
	if d.Invite.Role == "" {
		d.Invite.Role = vitrine.RoleUser
	}
	s.render(w, r, status, "setup_users", "Setup: users", d, errText)
}

// linkURL is the full set-password link for secret, on the origin the
// admin's browser uses.
func linkURL(r *http.Request, secret string) string {
	return origin(r) + vitrine.SetPasswordPath(secret)
}

func (s *Server) setupInvite(w http.ResponseWriter, r *http.Request) {
	in := vitrine.Invitation{Name: strings.TrimSpace(r.PostFormValue("name")), Email: strings.TrimSpace(r.PostFormValue("email")),
		Role: vitrine.Role(r.PostFormValue("role"))}
	acc, secret, err := s.svc.Invite(r.Context(), viewOf(r).P, in)
	if err != nil {
		s.renderSetupUsers(w, r, ErrorStatus(err), setupUsersData{Invite: in}, s.errorText(r, err))
		return
	}
	s.renderSetupUsers(w, r, http.StatusCreated, setupUsersData{Link: linkURL(r, secret), LinkFor: acc.Name}, "")
}

// setupUserChange changes a member's role (op=role) or switches their
// access off or on (op=access).
func (s *Server) setupUserChange(w http.ResponseWriter, r *http.Request) {
	var ch service.MemberChange
	op := r.PostFormValue("op")
	switch op {
	case "role":
		role := vitrine.Role(r.PostFormValue("role"))
		ch.Role = &role
	case "access":
		off := r.PostFormValue("disabled") == "true"
		ch.Disabled = &off
	default:
		s.renderSetupUsers(w, r, http.StatusBadRequest, setupUsersData{}, "Unknown change "+op+".")
		return
	}
	if _, err := s.svc.ChangeMember(r.Context(), viewOf(r).P, r.PathValue("name"), ch); err != nil {
		s.renderSetupUsers(w, r, ErrorStatus(err), setupUsersData{}, s.errorText(r, err))
		return
	}
	http.Redirect(w, r, setupURL(viewOf(r), "users")+"?done="+op, http.StatusSeeOther)
}

func (s *Server) setupUserReset(w http.ResponseWriter, r *http.Request) {
	acc, secret, err := s.svc.PasswordReset(r.Context(), viewOf(r).P, r.PathValue("name"))
	if err != nil {
		s.renderSetupUsers(w, r, ErrorStatus(err), setupUsersData{}, s.errorText(r, err))
		return
	}
	s.renderSetupUsers(w, r, http.StatusCreated, setupUsersData{Link: linkURL(r, secret), LinkFor: acc.Name}, "")
}
