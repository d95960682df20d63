package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/vitrine/vitrine"
)

// newSecret returns 32 random bytes, base64url: the secret of a session
// or a one-time link. The store keeps only its SHA-256.
func newSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random secret: %w", err)
	}
	return base64URL(b), nil
}

// CreateSession starts a browser session for a user, ending at the latest
// after lifetime, and returns its secret for the cookie.
func (d *DB) CreateSession(ctx context.Context, userID int64, lifetime time.Duration, userAgent, addr string) (string, error) {
	secret, err := newSecret()
	if err != nil {
		return "", err
	}
	if len(userAgent) > 256 {
		userAgent = userAgent[:256]
	}
	err = d.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO sessions (user_id, hash, created_at, last_seen_at, expires_at, user_agent, addr) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			userID, hashToken(secret), toMicros(tx.now), toMicros(tx.now), toMicros(tx.now.Add(lifetime)), userAgent, addr)
		return err
	})
	return secret, err
}

// SessionBySecret returns the session a cookie names and its user;
// EUNAUTHORIZED when there is none. Whether it is still live is the
// caller's rule (vitrine.Session.Live).
func (d *DB) SessionBySecret(ctx context.Context, secret string) (*vitrine.Session, *vitrine.User, error) {
	var s vitrine.Session
	var u vitrine.User
	err := d.read(ctx, func(tx *Tx) error {
		var created, seen, expires, ucreated int64
		err := tx.queryRow(ctx, `SELECT s.id, s.user_id, s.created_at, s.last_seen_at, s.expires_at, u.name, u.system_admin, u.created_at
			FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = ?`, hashToken(secret)).
			Scan(&s.ID, &s.UserID, &created, &seen, &expires, &u.Name, &u.SystemAdmin, &ucreated)
		if errors.Is(err, sql.ErrNoRows) {
			return vitrine.Errorf(vitrine.EUNAUTHORIZED, "not signed in")
		}
		s.CreatedAt, s.LastSeenAt, s.ExpiresAt = fromMicros(created), fromMicros(seen), fromMicros(expires)
		u.ID, u.CreatedAt = s.UserID, fromMicros(ucreated)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return &s, &u, nil
}

// TouchSession records that a session was used now.
func (d *DB) TouchSession(ctx context.Context, id int64) error {
	return d.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, toMicros(tx.now), id)
		return err
	})
}

// DeleteSession ends one session (sign out). Ending a session that is
// already gone is not an error.
func (d *DB) DeleteSession(ctx context.Context, secret string) error {
	return d.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM sessions WHERE hash = ?`, hashToken(secret))
		return err
	})
}

// DeleteUserSessions ends every session of a user (sign out everywhere).
func (d *DB) DeleteUserSessions(ctx context.Context, userID int64) error {
	return d.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
		return err
	})
}

// CreateLink makes a one-time link for a user and returns its secret.
// Earlier links of the same purpose stop working: only the newest counts.
func (d *DB) CreateLink(ctx context.Context, userID int64, purpose vitrine.LinkPurpose, ttl time.Duration, createdBy *int64) (string, error) {
	secret, err := newSecret()
	if err != nil {
		return "", err
	}
	err = d.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM one_time_links WHERE user_id = ? AND purpose = ?`, userID, string(purpose)); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO one_time_links (user_id, purpose, hash, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
			userID, string(purpose), hashToken(secret), createdBy, toMicros(tx.now), toMicros(tx.now.Add(ttl)))
		return err
	})
	return secret, err
}

// LinkUser returns the user a live one-time link is for, without using it.
func (d *DB) LinkUser(ctx context.Context, secret string, purpose vitrine.LinkPurpose) (*vitrine.User, error) {
	var u *vitrine.User
	err := d.read(ctx, func(tx *Tx) (err error) {
		u, err = tx.linkUser(ctx, secret, purpose)
		return err
	})
	return u, err
}

func (tx *Tx) linkUser(ctx context.Context, secret string, purpose vitrine.LinkPurpose) (*vitrine.User, error) {
	var u vitrine.User
	var created int64
	err := tx.queryRow(ctx, `SELECT u.id, u.name, u.system_admin, u.created_at FROM one_time_links l JOIN users u ON u.id = l.user_id
		WHERE l.hash = ? AND l.purpose = ? AND l.expires_at > ?`, hashToken(secret), string(purpose), toMicros(tx.now)).
		Scan(&u.ID, &u.Name, &u.SystemAdmin, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vitrine.Errorf(vitrine.ENOTFOUND, "this link has expired or was already used; ask an admin for a new one")
	}
	u.CreatedAt = fromMicros(created)
	return &u, err
}

// SetPasswordWithLink uses a set-password link: in one transaction the link
// is spent, the password hash stored and every session of the user ended.
func (d *DB) SetPasswordWithLink(ctx context.Context, secret, passwordHash string) (*vitrine.User, error) {
	var u *vitrine.User
	err := d.inTx(ctx, func(tx *Tx) (err error) {
		if u, err = tx.linkUser(ctx, secret, vitrine.LinkSetPassword); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM one_time_links WHERE hash = ?`, hashToken(secret)); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, passwordHash, u.ID); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, u.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// HasPassword reports whether a user can sign in with a password.
func (d *DB) HasPassword(ctx context.Context, userID int64) (bool, error) {
	var has bool
	err := d.read(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `SELECT password_hash <> '' FROM users WHERE id = ?`, userID).Scan(&has)
	})
	return has, err
}

// LoginFailures counts the failed sign-ins of each subject since a time.
func (d *DB) LoginFailures(ctx context.Context, subjects []string, since time.Time) (map[string]int, error) {
	out := map[string]int{}
	err := d.read(ctx, func(tx *Tx) error {
		for _, s := range subjects {
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM login_failures WHERE subject = ? AND at > ?`, s, toMicros(since)).Scan(&n); err != nil {
				return err
			}
			out[s] = n
		}
		return nil
	})
	return out, err
}

// RecordLoginFailure counts a failed sign-in against each subject, and
// prunes failures older than a day.
func (d *DB) RecordLoginFailure(ctx context.Context, subjects []string) error {
	return d.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM login_failures WHERE at < ?`, toMicros(tx.now.Add(-24*time.Hour))); err != nil {
			return err
		}
		for _, s := range subjects {
			if _, err := tx.exec(ctx, `INSERT INTO login_failures (subject, at) VALUES (?, ?)`, s, toMicros(tx.now)); err != nil {
				return err
			}
		}
		return nil
	})
}

// ClearLoginFailures forgets a subject's failures (after a good sign-in).
func (d *DB) ClearLoginFailures(ctx context.Context, subject string) error {
	return d.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM login_failures WHERE subject = ?`, subject)
		return err
	})
}

func base64URL(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
