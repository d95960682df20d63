package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/service"
)

// Users of a company, one-time set-password links and personal API tokens.
// Who may do what is decided by the root rules (perm.go), never here.

// oneTimeLink is a set-password link as the API returns it: the full URL
// to hand to the person, once.
type oneTimeLink struct {
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expires_at"`
}

// linkOf is the set-password link of secret as the API returns it. The
// URL's origin is the one the request came to, which is where the person
// will open it.
func linkOf(r *http.Request, secret string) *oneTimeLink {
	return &oneTimeLink{URL: requestOrigin(r) + vitrine.SetPasswordPath(secret), ExpiresAt: time.Now().Add(vitrine.SetPasswordLinkTTL).UTC()}
}

// requestOrigin is scheme://host of the request as the client sent it.
func requestOrigin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (s *Server) listUsers(r *http.Request, c *call) (int, any, error) {
	accs, err := s.svc.Accounts(r.Context(), c.p)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"users": accs}, nil
}

// invite creates a user without a password and returns the one-time link
// that lets them set one.
func (s *Server) invite(r *http.Request, c *call) (int, any, error) {
	if err := vitrine.CanManageUsers(c.p); err != nil {
		return 0, nil, err // before reading the body: a member learns nothing from it
	}
	var in vitrine.Invitation
	if err := s.decode(r, &in); err != nil {
		return 0, nil, err
	}
	acc, secret, err := s.svc.Invite(r.Context(), c.p, in)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, map[string]any{"user": acc, "link": linkOf(r, secret)}, nil
}

// patchUser changes a member's role or switches their access off or on.
func (s *Server) patchUser(r *http.Request, c *call) (int, any, error) {
	var in service.MemberChange
	if err := s.decode(r, &in); err != nil {
		return 0, nil, err
	}
	acc, err := s.svc.ChangeMember(r.Context(), c.p, r.PathValue("name"), in)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, acc, nil
}

// resetPassword makes a new one-time set-password link for a member. The
// old password keeps working until the link is used, so a reset asked by
// mistake locks nobody out; using it ends every session of the user.
func (s *Server) resetPassword(r *http.Request, c *call) (int, any, error) {
	acc, secret, err := s.svc.PasswordReset(r.Context(), c.p, r.PathValue("name"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, map[string]any{"user": acc, "link": linkOf(r, secret)}, nil
}

func (s *Server) listTokens(r *http.Request, c *call) (int, any, error) {
	ts, err := s.db.UserTokens(r.Context(), c.u.ID)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"tokens": ts}, nil
}

// createToken makes a personal API token; its secret is in this answer
// only.
func (s *Server) createToken(r *http.Request, c *call) (int, any, error) {
	var in struct {
		Name          string `json:"name"`
		ExpiresInDays int    `json:"expires_in_days"` // 0: never expires
	}
	if err := s.decode(r, &in); err != nil {
		return 0, nil, err
	}
	expires, err := vitrine.TokenExpiry(time.Now(), in.ExpiresInDays)
	if err != nil {
		return 0, nil, err
	}
	t, secret, err := s.db.CreatePersonalToken(r.Context(), c.u.ID, in.Name, expires)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, map[string]any{"token": t, "secret": secret}, nil
}

func (s *Server) revokeToken(r *http.Request, c *call) (int, any, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return 0, nil, vitrine.Errorf(vitrine.ENOTFOUND, "token %q not found", r.PathValue("id"))
	}
	if err := s.db.RevokeToken(r.Context(), c.u.ID, id); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}

// signOutEverywhere ends every workspace session of the caller.
func (s *Server) signOutEverywhere(r *http.Request, c *call) (int, any, error) {
	if err := s.db.DeleteUserSessions(r.Context(), c.u.ID); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}
