package api

import (
	"net/http"

	"github.com/vitrine/vitrine"
)

func (s *Server) me(r *http.Request, c *call) (int, any, error) {
	return http.StatusOK, c.u, nil
}

func (s *Server) listCompanies(r *http.Request, c *call) (int, any, error) {
	all, err := s.db.Companies(r.Context())
	if err != nil {
		return 0, nil, err
	}
	out := []map[string]any{}
	for _, co := range all {
		p, err := s.db.Principal(r.Context(), c.u, co.RootID)
		if err != nil {
			continue // not a member
		}
		out = append(out, map[string]any{"id": co.RootID, "name": co.Name, "role": p.Role})
	}
	return http.StatusOK, map[string]any{"companies": out}, nil
}

func (s *Server) createCompany(r *http.Request, c *call) (int, any, error) {
	var in struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	if err := s.decode(r, &in); err != nil {
		return 0, nil, err
	}
	co, err := s.db.CreateCompany(r.Context(), in.ID, in.Name)
	if err != nil {
		return 0, nil, err
	}
	if err := s.db.SetMembership(r.Context(), c.u.ID, co.ID, vitrine.RoleAdmin); err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, co, nil
}

// createUser creates a user with a role in the company and returns its
// first API token, shown this once.
func (s *Server) createUser(r *http.Request, c *call) (int, any, error) {
	var in struct {
		Name string       `json:"name"`
		Role vitrine.Role `json:"role"`
	}
	if err := s.decode(r, &in); err != nil {
		return 0, nil, err
	}
	if in.Role == "" {
		in.Role = vitrine.RoleUser
	}
	if in.Role != vitrine.RoleAdmin && in.Role != vitrine.RoleUser {
		return 0, nil, vitrine.Errorf(vitrine.EINVALID, "role must be admin or user")
	}
	u, err := s.db.CreateUser(r.Context(), in.Name, false)
	if code := vitrine.ErrorCode(err); code == vitrine.ECONFLICT || code == vitrine.EINVALID {
		// User names are server-wide: a name taken in another company
		// gets the answer any unusable name gets, so a company admin
		// cannot probe other companies' users.
		return 0, nil, unusableUserName()
	} else if err != nil {
		return 0, nil, err
	}
	if err := s.db.SetMembership(r.Context(), u.ID, c.p.Company.ID, in.Role); err != nil {
		return 0, nil, err
	}
	tok, err := s.db.CreateToken(r.Context(), u.ID, "default", "")
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, map[string]any{"user": u, "role": in.Role, "token": tok}, nil
}

// unusableUserName is the one answer to a user name that cannot be had,
// whatever the reason (malformed, or taken anywhere on the server).
func unusableUserName() error {
	return vitrine.Errorf(vitrine.EINVALID, "this user name cannot be used; choose another (1-128 bytes, unique on this server)")
}
