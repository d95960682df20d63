package service

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/cdn"
)

// Company administration (AUTH-1): secrets, the people of a company and
// Invalidate CDN. The REST API and the web workspace both call these; who
// may is decided by the root rules (perm.go).

// RotateWebhookSecret replaces the secret that signs job notifications
// (JOB-6) and returns the new one, which the caller shows once.
func (s *Service) RotateWebhookSecret(ctx context.Context, p *vitrine.Principal) (string, error) {
	if err := vitrine.CanAdminister(p); err != nil {
		return "", err
	}
	return s.store.RotateWebhookSecret(ctx, p.Company.ID)
}

// RotateSigningKey makes a new URL signing key (§5.1), puts it first and
// keeps the previous key live; older keys stop working. It returns the new
// key, which the caller shows once, and the saved settings.
func (s *Service) RotateSigningKey(ctx context.Context, p *vitrine.Principal) (string, *vitrine.Settings, error) {
	if err := vitrine.CanAdminister(p); err != nil {
		return "", nil, err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("signing key: %w", err)
	}
	key := base64.RawURLEncoding.EncodeToString(b)
	st, err := s.store.RotateSigningKey(ctx, p.Company.ID, key)
	if err != nil {
		return "", nil, err
	}
	s.changes.Forget(ctx, &p.Company)
	return key, st, nil
}

// Accounts lists the people of p's company (admins).
func (s *Service) Accounts(ctx context.Context, p *vitrine.Principal) ([]vitrine.Account, error) {
	if err := vitrine.CanManageUsers(p); err != nil {
		return nil, err
	}
	accs, err := s.store.Accounts(ctx, p.Company.ID)
	if err != nil {
		return nil, err
	}
	if accs == nil {
		accs = []vitrine.Account{}
	}
	return accs, nil
}

// Invite creates a user without a password in p's company and returns the
// account and the secret of its one-time set-password link
// (vitrine.SetPasswordPath makes the link's path).
func (s *Service) Invite(ctx context.Context, p *vitrine.Principal, in vitrine.Invitation) (*vitrine.Account, string, error) {
	if err := vitrine.CanManageUsers(p); err != nil {
		return nil, "", err
	}
	if in.Role == "" {
		in.Role = vitrine.RoleUser
	}
	u, err := s.store.Invite(ctx, p.Company.ID, in)
	if err != nil {
		return nil, "", err
	}
	secret, err := s.store.CreateLink(ctx, u.ID, vitrine.LinkSetPassword, vitrine.SetPasswordLinkTTL, &p.User.ID)
	if err != nil {
		return nil, "", err
	}
	acc, err := s.store.Account(ctx, p.Company.ID, u.Name)
	if err != nil {
		return nil, "", err
	}
	return acc, secret, nil
}

// MemberChange is a change to a member: a new role, access switched off
// or on; nil fields stay as they are.
type MemberChange struct {
	Role     *vitrine.Role `json:"role"`
	Disabled *bool         `json:"disabled"`
}

// managed returns the account named name after checking that p may
// manage it.
func (s *Service) managed(ctx context.Context, p *vitrine.Principal, name string) (*vitrine.Account, error) {
	if err := vitrine.CanManageUsers(p); err != nil {
		return nil, err
	}
	acc, err := s.store.Account(ctx, p.Company.ID, name)
	if err != nil {
		return nil, err
	}
	return acc, vitrine.CanManageAccount(p, *acc)
}

// ChangeMember changes a member's role or switches their access off or on.
func (s *Service) ChangeMember(ctx context.Context, p *vitrine.Principal, name string, ch MemberChange) (*vitrine.Account, error) {
	acc, err := s.managed(ctx, p, name)
	if err != nil {
		return nil, err
	}
	if ch.Role != nil {
		if err := s.store.SetMembership(ctx, acc.ID, p.Company.ID, *ch.Role); err != nil {
			return nil, err
		}
	}
	if ch.Disabled != nil {
		if err := s.store.SetMembershipDisabled(ctx, acc.ID, p.Company.ID, *ch.Disabled); err != nil {
			return nil, err
		}
	}
	return s.store.Account(ctx, p.Company.ID, acc.Name)
}

// PasswordReset makes a new one-time set-password link for a member and
// returns its secret. The old password keeps working until the link is
// used, so a reset asked by mistake locks nobody out.
func (s *Service) PasswordReset(ctx context.Context, p *vitrine.Principal, name string) (*vitrine.Account, string, error) {
	acc, err := s.managed(ctx, p, name)
	if err != nil {
		return nil, "", err
	}
	secret, err := s.store.CreateLink(ctx, acc.ID, vitrine.LinkSetPassword, vitrine.SetPasswordLinkTTL, &p.User.ID)
	if err != nil {
		return nil, "", err
	}
	return acc, secret, nil
}

// Invalidator runs Invalidate CDN requests (internal/cdn.Invalidator).
type Invalidator interface {
	Invalidate(ctx context.Context, p *vitrine.Principal, req cdn.Request) (*cdn.Result, error)
}

// Invalidate is Invalidate CDN (CDN-3), company admins only: through the
// edges' invalidator wired in Changes, or, with no edges, recorded with
// nothing to purge.
func (s *Service) Invalidate(ctx context.Context, p *vitrine.Principal, req cdn.Request) (*cdn.Result, error) {
	if err := vitrine.CanInvalidate(p); err != nil {
		return nil, err
	}
	inv, ok := s.changes.subs.Edges.(Invalidator)
	if !ok {
		inv = cdn.New(s.store, nil, s.log)
	}
	return inv.Invalidate(ctx, p, req)
}

// Invalidation is an invalidation job with its log: one line per edge's
// confirmation or refusal (admins).
func (s *Service) Invalidation(ctx context.Context, p *vitrine.Principal, id int64) (*vitrine.JobRun, []vitrine.JobLogEntry, error) {
	if err := vitrine.CanInvalidate(p); err != nil {
		return nil, nil, err
	}
	j, err := s.store.Job(ctx, p.Company.ID, id)
	if err != nil {
		return nil, nil, err
	}
	if j.Type != vitrine.JobInvalidate {
		return nil, nil, vitrine.Errorf(vitrine.ENOTFOUND, "invalidation %d not found", id)
	}
	log, err := s.store.JobLog(ctx, p.Company.ID, id, 0, 1000)
	if err != nil {
		return nil, nil, err
	}
	if log == nil {
		log = []vitrine.JobLogEntry{}
	}
	return j, log, nil
}
