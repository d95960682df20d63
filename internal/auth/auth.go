// Package auth signs people in to the workspace: argon2id passwords,
// database-backed browser sessions with idle and absolute expiry, one-time
// set-password links, and sign-in throttling per account and per client
// address.
//
// Throttling counts failures in the database, not in each node's memory:
// several serve nodes may share one PostgreSQL, and an attacker spreading
// guesses over nodes, or waiting for a restart, must not multiply the
// allowance.
package auth

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/vitrine/vitrine"
)

// Store is what auth needs from the database.
type Store interface {
	SignInUser(ctx context.Context, login string) (*vitrine.User, string, error)
	RecordSignIn(ctx context.Context, userID int64) error
	CreateSession(ctx context.Context, userID int64, lifetime time.Duration, userAgent, addr string) (string, error)
	SessionBySecret(ctx context.Context, secret string) (*vitrine.Session, *vitrine.User, error)
	TouchSession(ctx context.Context, id int64) error
	DeleteSession(ctx context.Context, secret string) error
	DeleteUserSessions(ctx context.Context, userID int64) error
	LinkUser(ctx context.Context, secret string, purpose vitrine.LinkPurpose) (*vitrine.User, error)
	SetPasswordWithLink(ctx context.Context, secret, passwordHash string) (*vitrine.User, error)
	UserEmail(ctx context.Context, id int64) (string, error)
	LoginFailures(ctx context.Context, subjects []string, since time.Time) (map[string]int, error)
	RecordLoginFailure(ctx context.Context, subjects []string) error
	ClearLoginFailures(ctx context.Context, subject string) error
}

// Config configures sign-in.
type Config struct {
	// SessionIdle ends a session unused for this long.
	SessionIdle time.Duration
	// SessionMax ends every session this long after sign-in.
	SessionMax time.Duration
	// Window is the period over which failed sign-ins are counted.
	Window time.Duration
	// AccountFailures and AddrFailures are the failures allowed per window
	// for one account and from one client address (an IPv6 /64).
	AccountFailures int
	AddrFailures    int
	Argon2          Argon2
}

// DefaultConfig returns the defaults: sessions idle out after 12 hours and
// end after 7 days; 5 failures per account and 50 per address in 15 minutes.
func DefaultConfig() Config {
	return Config{SessionIdle: 12 * time.Hour, SessionMax: 7 * 24 * time.Hour, Window: 15 * time.Minute,
		AccountFailures: 5, AddrFailures: 50, Argon2: DefaultArgon2()}
}

// Validate checks a configuration.
func (c Config) Validate() error {
	switch {
	case c.SessionIdle <= 0 || c.SessionMax < c.SessionIdle:
		return errors.New("auth: SessionIdle must be positive and at most SessionMax")
	case c.Window <= 0 || c.AccountFailures < 1 || c.AddrFailures < 1:
		return errors.New("auth: Window, AccountFailures and AddrFailures must be positive")
	case c.Argon2.MemoryKiB < 8 || c.Argon2.Time < 1 || c.Argon2.Threads < 1:
		return errors.New("auth: Argon2 parameters must be positive (memory at least 8 KiB)")
	}
	return nil
}

// Service signs people in and out.
type Service struct {
	cfg   Config
	store Store
	now   func() time.Time
	dummy string // a hash to verify against for unknown logins, so they take as long
}

// New returns a sign-in service.
func New(cfg Config, store Store) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	dummy, err := cfg.Argon2.Hash("not a password anybody has")
	if err != nil {
		return nil, err
	}
	return &Service{cfg: cfg, store: store, now: time.Now, dummy: dummy}, nil
}

// Config returns the service's configuration.
func (s *Service) Config() Config { return s.cfg }

// errBadLogin is the one answer for an unknown login, a wrong password and
// an account without a password, so sign-in does not reveal which accounts
// exist.
var errBadLogin = vitrine.Errorf(vitrine.EUNAUTHORIZED, "wrong user name, email or password")

// SignIn checks a login (user name or email) and password from a client
// address and starts a session; it returns the session secret for the
// cookie. Throttled attempts are refused before the password is checked.
func (s *Service) SignIn(ctx context.Context, login, password, addr, userAgent string) (string, *vitrine.User, error) {
	login = strings.TrimSpace(login)
	u, hash, err := s.store.SignInUser(ctx, login)
	if err != nil && vitrine.ErrorCode(err) != vitrine.ENOTFOUND {
		return "", nil, err
	}
	// Failures count against the account, whether named by user name or
	// by email; against the login as typed when no account has it.
	account := "login:" + strings.ToLower(login)
	if u != nil {
		account = fmt.Sprintf("account:%d", u.ID)
	}
	subjects := []string{account, "addr:" + addrKey(addr)}
	n, err := s.store.LoginFailures(ctx, subjects, s.now().Add(-s.cfg.Window))
	if err != nil {
		return "", nil, err
	}
	if n[subjects[0]] >= s.cfg.AccountFailures || n[subjects[1]] >= s.cfg.AddrFailures {
		return "", nil, vitrine.Errorf(vitrine.ETHROTTLED, "too many failed sign-ins; wait %d minutes and try again, or ask an admin to reset your password",
			int(s.cfg.Window.Minutes()))
	}
	if u == nil || hash == "" {
		Verify(s.dummy, password)
		return "", nil, s.fail(ctx, subjects)
	}
	if !Verify(hash, password) {
		return "", nil, s.fail(ctx, subjects)
	}
	if err := s.store.ClearLoginFailures(ctx, subjects[0]); err != nil {
		return "", nil, err
	}
	if err := s.store.RecordSignIn(ctx, u.ID); err != nil {
		return "", nil, err
	}
	secret, err := s.store.CreateSession(ctx, u.ID, s.cfg.SessionMax, userAgent, addr)
	if err != nil {
		return "", nil, err
	}
	return secret, u, nil
}

func (s *Service) fail(ctx context.Context, subjects []string) error {
	if err := s.store.RecordLoginFailure(ctx, subjects); err != nil {
		return fmt.Errorf("record failed sign-in: %w", err)
	}
	return errBadLogin
}

// addrKey is the throttling key of a client address: the IP, or its /64
// for IPv6, where one client holds a whole prefix.
func addrKey(addr string) string {
	ap, err := netip.ParseAddrPort(addr)
	ip := ap.Addr()
	if err != nil {
		if ip, err = netip.ParseAddr(addr); err != nil {
			return addr
		}
	}
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

// touchEvery bounds the writes that keep a session alive: at most one a
// minute per session, not one per request.
const touchEvery = time.Minute

// Session returns the user of a live session; EUNAUTHORIZED when the
// secret names none or it has expired (an expired one is deleted).
func (s *Service) Session(ctx context.Context, secret string) (*vitrine.User, error) {
	if secret == "" {
		return nil, vitrine.Errorf(vitrine.EUNAUTHORIZED, "not signed in")
	}
	sess, u, err := s.store.SessionBySecret(ctx, secret)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if !sess.Live(now, s.cfg.SessionIdle) {
		if err := s.store.DeleteSession(ctx, secret); err != nil {
			return nil, err
		}
		return nil, vitrine.Errorf(vitrine.EUNAUTHORIZED, "your session has expired; sign in again")
	}
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		if err := s.store.TouchSession(ctx, sess.ID); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// SignOut ends one session.
func (s *Service) SignOut(ctx context.Context, secret string) error {
	return s.store.DeleteSession(ctx, secret)
}

// SignOutEverywhere ends every session of a user.
func (s *Service) SignOutEverywhere(ctx context.Context, userID int64) error {
	return s.store.DeleteUserSessions(ctx, userID)
}

// LinkUser returns the user a set-password link is for.
func (s *Service) LinkUser(ctx context.Context, secret string) (*vitrine.User, error) {
	return s.store.LinkUser(ctx, secret, vitrine.LinkSetPassword)
}

// SetPassword spends a set-password link: the password is checked, hashed
// and stored, and the user's other sessions end.
func (s *Service) SetPassword(ctx context.Context, secret, password string) (*vitrine.User, error) {
	u, err := s.store.LinkUser(ctx, secret, vitrine.LinkSetPassword)
	if err != nil {
		return nil, err
	}
	email, err := s.store.UserEmail(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	if err := vitrine.ValidatePassword(password, u.Name, email); err != nil {
		return nil, err
	}
	hash, err := s.cfg.Argon2.Hash(password)
	if err != nil {
		return nil, err
	}
	return s.store.SetPasswordWithLink(ctx, secret, hash)
}
