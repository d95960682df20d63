package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/vitrine/vitrine"
)

// Users of a company, one-time set-password links and personal API tokens.
// Who may do what is decided by the root rules (perm.go), never here.

// oneTimeLink is a set-password link as the API returns it: the full URL
// to hand to the person, once.
type oneTimeLink struct {
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expires_at"`
}

// linkFor makes a set-password link for a user. The URL's origin is the
// one the request came to, which is where the person will open it.
func (s *Server) linkFor(r *http.Request, userID int64, by *vitrine.User) (*oneTimeLink, error) {
	secret, err := s.db.CreateLink(r.Context(), userID, vitrine.LinkSetPassword, vitrine.SetPasswordLinkTTL, &by.ID)
	if err != nil {
		return nil, err
	}
	return &oneTimeLink{URL: requestOrigin(r) + vitrine.SetPasswordPath(secret), ExpiresAt: time.Now().Add(vitrine.SetPasswordLinkTTL).UTC()}, nil
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
	if err := vitrine.CanManageUsers(c.p); err != nil {
		return 0, nil, err
	}
	accs, err := s.db.Accounts(r.Context(), c.p.Company.ID)
	if err != nil {
		return 0, nil, err
	}
	if accs == nil {
		accs = []vitrine.Account{}
	}
	return http.StatusOK, map[string]any{"users": accs}, nil
}

// invite creates a user without a password and returns the one-time link
// that lets them set one.
func (s *Server) invite(r *http.Request, c *call) (int, any, error) {
	if err := vitrine.CanManageUsers(c.p); err != nil {
		return 0, nil, err
	}
	var in vitrine.Invitation
	if err := s.decode(r, &in); err != nil {
		return 0, nil, err
	}
	if in.Role == "" {
		in.Role = vitrine.RoleUser
	}
	u, err := s.db.Invite(r.Context(), c.p.Company.ID, in)
	if err != nil {
		return 0, nil, err
	}
	link, err := s.linkFor(r, u.ID, c.u)
	if err != nil {
		return 0, nil, err
	}
	acc, err := s.db.Account(r.Context(), c.p.Company.ID, u.Name)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, map[string]any{"user": acc, "link": link}, nil
}

// target returns the account a route names, after checking that the
// caller may manage it.
func (s *Server) target(r *http.Request, c *call) (*vitrine.Account, error) {
	if err := vitrine.CanManageUsers(c.p); err != nil {
		return nil, err
	}
	acc, err := s.db.Account(r.Context(), c.p.Company.ID, r.PathValue("name"))
	if err != nil {
		return nil, err
	}
	return acc, vitrine.CanManageAccount(c.p, *acc)
}

// patchUser changes a member's role or switches their access off or on.
func (s *Server) patchUser(r *http.Request, c *call) (int, any, error) {
	var in struct {
		Role     *vitrine.Role `json:"role"`
		Disabled *bool         `json:"disabled"`
	}
	if err := s.decode(r, &in); err != nil {
		return 0, nil, err
	}
	acc, err := s.target(r, c)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	if in.Role != nil {
		if err := s.db.SetMembership(ctx, acc.ID, c.p.Company.ID, *in.Role); err != nil {
			return 0, nil, err
		}
	}
	if in.Disabled != nil {
		if err := s.db.SetMembershipDisabled(ctx, acc.ID, c.p.Company.ID, *in.Disabled); err != nil {
			return 0, nil, err
		}
	}
	acc, err = s.db.Account(ctx, c.p.Company.ID, acc.Name)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, acc, nil
}

// resetPassword makes a new one-time set-password link for a member. The
// old password keeps working until the link is used, so a reset asked by
// mistake locks nobody out; using it ends every session of the user.
func (s *Server) resetPassword(r *http.Request, c *call) (int, any, error) {
	acc, err := s.target(r, c)
	if err != nil {
		return 0, nil, err
	}
	link, err := s.linkFor(r, acc.ID, c.u)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, map[string]any{"user": acc, "link": link}, nil
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
