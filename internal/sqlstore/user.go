package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vitrine/vitrine"
)

// TokenPrefix starts every API token, so leaked tokens are easy to find.
const TokenPrefix = "vtr_"

// CreateUser creates a user.
func (d *DB) CreateUser(ctx context.Context, name string, systemAdmin bool) (*vitrine.User, error) {
	if name == "" || len(name) > 128 {
		return nil, vitrine.Errorf(vitrine.EINVALID, "user name must be 1-128 bytes")
	}
	u := &vitrine.User{Name: name, SystemAdmin: systemAdmin}
	err := d.inTx(ctx, func(tx *Tx) (err error) {
		u.CreatedAt = tx.now
		u.ID, err = tx.insert(ctx, `INSERT INTO users (name, system_admin, created_at) VALUES (?, ?, ?)`, name, systemAdmin, toMicros(tx.now))
		if isConflict(translate(err)) {
			return vitrine.Errorf(vitrine.ECONFLICT, "user %q already exists", name)
		}
		return err
	})
	return u, err
}

// SetMembership gives a user a role in a company.
func (d *DB) SetMembership(ctx context.Context, userID, companyID int64, role vitrine.Role) error {
	if role != vitrine.RoleAdmin && role != vitrine.RoleUser {
		return vitrine.Errorf(vitrine.EINVALID, "role must be admin or user")
	}
	return d.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO memberships (user_id, company_id, role) VALUES (?, ?, ?)
			ON CONFLICT (user_id, company_id) DO UPDATE SET role = excluded.role`, userID, companyID, string(role))
		return err
	})
}

// CreateToken creates an API token for a user and returns it in clear, the
// only time it is seen; the store keeps its SHA-256. If plain is not empty it
// is used as the token (for VITRINE_ADMIN_TOKEN).
func (d *DB) CreateToken(ctx context.Context, userID int64, name, plain string) (string, error) {
	if plain == "" {
		var err error
		if plain, err = NewToken(); err != nil {
			return "", err
		}
	}
	if err := vitrine.ValidToken(plain); err != nil {
		return "", err
	}
	err := d.inTx(ctx, func(tx *Tx) error { return tx.createToken(ctx, userID, name, plain, nil) })
	return plain, err
}

// NewToken returns a new random API token, in clear.
func NewToken() (string, error) {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random token: %w", err)
	}
	return TokenPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)), nil
}

func (tx *Tx) createToken(ctx context.Context, userID int64, name, plain string, expiresAt *time.Time) error {
	var expires sql.NullInt64
	if expiresAt != nil {
		expires = sql.NullInt64{Int64: toMicros(*expiresAt), Valid: true}
	}
	_, err := tx.exec(ctx, `INSERT INTO tokens (user_id, name, prefix, hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		userID, name, plain[:8], hashToken(plain), toMicros(tx.now), expires)
	if isConflict(translate(err)) {
		return vitrine.Errorf(vitrine.ECONFLICT, "token already exists")
	}
	return err
}

func hashToken(plain string) string {
	h := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(h[:])
}

// Authenticate returns the user owning a token.
func (d *DB) Authenticate(ctx context.Context, token string) (*vitrine.User, error) {
	var u vitrine.User
	var use tokenUse
	err := d.read(ctx, func(tx *Tx) error {
		var created int64
		err := tx.queryRow(ctx, `SELECT u.id, u.name, u.system_admin, u.created_at, t.id, t.expires_at, t.last_used_at
			FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ?`,
			hashToken(token)).Scan(&u.ID, &u.Name, &u.SystemAdmin, &created, &use.id, &use.expires, &use.last)
		if errors.Is(err, sql.ErrNoRows) {
			return vitrine.Errorf(vitrine.EUNAUTHORIZED, "invalid API token")
		}
		u.CreatedAt = fromMicros(created)
		return err
	})
	if err == nil {
		err = d.useToken(ctx, use)
	}
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// tokenUse is what a request reads of its token to check and record its
// use.
type tokenUse struct {
	id            int64
	expires, last sql.NullInt64
}

// useToken refuses an expired token and records when a token was last
// used, at most once per vitrine.TokenUseInterval. Recording is best
// effort: a busy database costs the timestamp, never the request.
func (d *DB) useToken(ctx context.Context, u tokenUse) error {
	now := d.Now().UTC()
	if err := vitrine.TokenUsable(fromNullMicros(u.expires), now); err != nil {
		return err
	}
	if !vitrine.TokenUseStale(fromNullMicros(u.last), now) {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 250*time.Millisecond)
	defer cancel()
	err := d.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE tokens SET last_used_at = ? WHERE id = ?`, toMicros(now), u.id)
		return err
	})
	if err != nil && ctx.Err() == nil {
		return fmt.Errorf("record the token's use: %w", err)
	}
	return nil
}

// Principal resolves a user's role in a company. A company the user does not
// belong to answers ENOTFOUND, as if it did not exist (AUTH-3); system admins
// act as admins everywhere.
func (d *DB) Principal(ctx context.Context, u *vitrine.User, rootID string) (*vitrine.Principal, error) {
	c, err := d.Company(ctx, rootID)
	if err != nil {
		return nil, err
	}
	p := &vitrine.Principal{User: *u, Company: *c}
	err = d.read(ctx, func(tx *Tx) error {
		var role string
		err := tx.queryRow(ctx, `SELECT role FROM memberships WHERE user_id = ? AND company_id = ? AND disabled_at IS NULL`, u.ID, c.ID).Scan(&role)
		switch {
		case errors.Is(err, sql.ErrNoRows) && u.SystemAdmin:
			p.Role = vitrine.RoleAdmin
		case errors.Is(err, sql.ErrNoRows):
			return vitrine.Errorf(vitrine.ENOTFOUND, "company not found")
		case err != nil:
			return err
		default:
			p.Role = vitrine.Role(role)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// UserByName returns a user.
func (d *DB) UserByName(ctx context.Context, name string) (*vitrine.User, error) {
	var u vitrine.User
	err := d.read(ctx, func(tx *Tx) error {
		var created int64
		err := tx.queryRow(ctx, `SELECT id, name, system_admin, created_at FROM users WHERE name = ?`, name).Scan(&u.ID, &u.Name, &u.SystemAdmin, &created)
		if errors.Is(err, sql.ErrNoRows) {
			return vitrine.Errorf(vitrine.ENOTFOUND, "user %q not found", name)
		}
		u.CreatedAt = fromMicros(created)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// TokenPrincipal resolves a token and a company in one read: the user, and
// the user's role in the company. ENOTFOUND when the user is not a member
// (AUTH-3); EUNAUTHORIZED for a bad token.
func (d *DB) TokenPrincipal(ctx context.Context, token, rootID string) (*vitrine.Principal, error) {
	var p vitrine.Principal
	var use tokenUse
	err := d.read(ctx, func(tx *Tx) error {
		var ucreated int64
		var role sql.NullString
		var companyID sql.NullInt64
		err := tx.queryRow(ctx, `SELECT u.id, u.name, u.system_admin, u.created_at, c.id, m.role, t.id, t.expires_at, t.last_used_at
			FROM tokens t JOIN users u ON u.id = t.user_id
			LEFT JOIN companies c ON c.root_id = ?
			LEFT JOIN memberships m ON m.user_id = u.id AND m.company_id = c.id AND m.disabled_at IS NULL
			WHERE t.hash = ?`, rootID, hashToken(token)).Scan(&p.User.ID, &p.User.Name, &p.User.SystemAdmin, &ucreated, &companyID, &role,
			&use.id, &use.expires, &use.last)
		if errors.Is(err, sql.ErrNoRows) {
			return vitrine.Errorf(vitrine.EUNAUTHORIZED, "invalid API token")
		} else if err != nil {
			return err
		}
		// An expired token is refused before the company is looked at.
		if err := vitrine.TokenUsable(fromNullMicros(use.expires), d.Now().UTC()); err != nil {
			return err
		}
		p.User.CreatedAt = fromMicros(ucreated)
		switch {
		case !companyID.Valid, !role.Valid && !p.User.SystemAdmin:
			return vitrine.Errorf(vitrine.ENOTFOUND, "company not found")
		case role.Valid:
			p.Role = vitrine.Role(role.String)
		default:
			p.Role = vitrine.RoleAdmin
		}
		c, err := tx.company(ctx, `id = ?`, companyID.Int64)
		if err != nil {
			return err
		}
		p.Company = *c
		return nil
	})
	if err == nil {
		err = d.useToken(ctx, use)
	}
	if err != nil {
		return nil, err
	}
	return &p, nil
}
