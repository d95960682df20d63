package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/vitrine/vitrine"
)

// Accounts lists the members of a company, by name.
func (d *DB) Accounts(ctx context.Context, companyID int64) ([]vitrine.Account, error) {
	var out []vitrine.Account
	err := d.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, accountSelect+` WHERE m.company_id = ? ORDER BY u.name`, companyID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanAccount(rows)
			if err != nil {
				return err
			}
			out = append(out, *a)
		}
		return rows.Err()
	})
	return out, err
}

// Account returns one member of a company; ENOTFOUND for anyone else
// (AUTH-3).
func (d *DB) Account(ctx context.Context, companyID int64, name string) (*vitrine.Account, error) {
	var a *vitrine.Account
	err := d.read(ctx, func(tx *Tx) (err error) {
		a, err = scanAccount(tx.queryRow(ctx, accountSelect+` WHERE m.company_id = ? AND u.name = ?`, companyID, name))
		if errors.Is(err, sql.ErrNoRows) {
			return vitrine.Errorf(vitrine.ENOTFOUND, "user %q not found in this company", name)
		}
		return err
	})
	return a, err
}

const accountSelect = `SELECT u.id, u.name, u.system_admin, u.created_at, u.email, u.password_hash <> '', u.last_sign_in_at,
	m.role, m.disabled_at IS NOT NULL FROM users u JOIN memberships m ON m.user_id = u.id`

func scanAccount(row interface{ Scan(...any) error }) (*vitrine.Account, error) {
	var a vitrine.Account
	var created int64
	var email sql.NullString
	var lastSignIn sql.NullInt64
	var role string
	err := row.Scan(&a.ID, &a.Name, &a.SystemAdmin, &created, &email, &a.HasPassword, &lastSignIn, &role, &a.Disabled)
	if err != nil {
		return nil, err
	}
	a.CreatedAt, a.Email, a.LastSignIn, a.Role = fromMicros(created), email.String, fromNullMicros(lastSignIn), vitrine.Role(role)
	return &a, nil
}

// Invite creates a user without a password, with an optional email, as a
// member of a company, in one transaction.
func (d *DB) Invite(ctx context.Context, companyID int64, in vitrine.Invitation) (*vitrine.User, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	u := &vitrine.User{Name: in.Name}
	err := d.inTx(ctx, func(tx *Tx) (err error) {
		u.CreatedAt = tx.now
		var email any
		if in.Email != "" {
			email = in.Email
		}
		u.ID, err = tx.insert(ctx, `INSERT INTO users (name, email, system_admin, created_at) VALUES (?, ?, FALSE, ?)`, in.Name, email, toMicros(tx.now))
		if isConflict(translate(err)) {
			return vitrine.Errorf(vitrine.ECONFLICT, "a user with the name %q or the email %q already exists", in.Name, in.Email)
		} else if err != nil {
			return err
		}
		_, err = tx.exec(ctx, `INSERT INTO memberships (user_id, company_id, role) VALUES (?, ?, ?)`, u.ID, companyID, string(in.Role))
		return err
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// SetEmail sets or clears (empty) a user's sign-in email.
func (d *DB) SetEmail(ctx context.Context, userID int64, email string) error {
	email = vitrine.NormalizeEmail(email)
	if email != "" && !vitrine.ValidEmail(email) {
		return vitrine.Errorf(vitrine.EINVALID, "email %q is not an address like ana@example.com", email)
	}
	return d.inTx(ctx, func(tx *Tx) error {
		var v any
		if email != "" {
			v = email
		}
		_, err := tx.exec(ctx, `UPDATE users SET email = ? WHERE id = ?`, v, userID)
		if isConflict(translate(err)) {
			return vitrine.Errorf(vitrine.ECONFLICT, "another user has the email %q", email)
		}
		return err
	})
}

// SetMembershipDisabled switches a member's access to one company off or
// back on. Switching it off also ends the user's browser sessions, so an
// open workspace does not keep working.
func (d *DB) SetMembershipDisabled(ctx context.Context, userID, companyID int64, disabled bool) error {
	return d.inTx(ctx, func(tx *Tx) error {
		var at any
		if disabled {
			at = toMicros(tx.now)
		}
		res, err := tx.exec(ctx, `UPDATE memberships SET disabled_at = ? WHERE user_id = ? AND company_id = ?`, at, userID, companyID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return vitrine.Errorf(vitrine.ENOTFOUND, "user not found in this company")
		}
		if disabled {
			_, err = tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
		}
		return err
	})
}

// SignInUser finds the user who signs in as login, a user name or an
// email, and returns the stored password hash ("" when none is set).
func (d *DB) SignInUser(ctx context.Context, login string) (*vitrine.User, string, error) {
	var u vitrine.User
	var hash string
	err := d.read(ctx, func(tx *Tx) error {
		var created int64
		err := tx.queryRow(ctx, `SELECT id, name, system_admin, created_at, password_hash FROM users WHERE name = ? OR email = ?`,
			login, vitrine.NormalizeEmail(login)).Scan(&u.ID, &u.Name, &u.SystemAdmin, &created, &hash)
		if errors.Is(err, sql.ErrNoRows) {
			return vitrine.Errorf(vitrine.ENOTFOUND, "no user signs in as %q", login)
		}
		u.CreatedAt = fromMicros(created)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return &u, hash, nil
}

// UserEmail returns a user's email, "" when none.
func (d *DB) UserEmail(ctx context.Context, id int64) (string, error) {
	var email sql.NullString
	err := d.read(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `SELECT email FROM users WHERE id = ?`, id).Scan(&email)
	})
	return email.String, err
}

// RecordSignIn notes a successful sign-in.
func (d *DB) RecordSignIn(ctx context.Context, userID int64) error {
	return d.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE users SET last_sign_in_at = ? WHERE id = ?`, toMicros(tx.now), userID)
		return err
	})
}

// MemberCompanies lists the companies a user may open (memberships not
// disabled; every company for a system admin), by root id.
func (d *DB) MemberCompanies(ctx context.Context, u *vitrine.User) ([]vitrine.Company, error) {
	all, err := d.Companies(ctx)
	if err != nil || u.SystemAdmin {
		return all, err
	}
	ids := map[int64]bool{}
	err = d.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT company_id FROM memberships WHERE user_id = ? AND disabled_at IS NULL`, u.ID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids[id] = true
		}
		return rows.Err()
	})
	out := all[:0]
	for _, c := range all {
		if ids[c.ID] {
			out = append(out, c)
		}
	}
	return out, err
}

// UserTokens lists a user's API tokens, newest first.
func (d *DB) UserTokens(ctx context.Context, userID int64) ([]vitrine.PersonalToken, error) {
	out := []vitrine.PersonalToken{}
	err := d.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT id, name, prefix, created_at, last_used_at, expires_at FROM tokens WHERE user_id = ? ORDER BY id DESC`, userID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var t vitrine.PersonalToken
			var created int64
			var used, expires sql.NullInt64
			if err := rows.Scan(&t.ID, &t.Name, &t.Prefix, &created, &used, &expires); err != nil {
				return err
			}
			t.CreatedAt, t.LastUsedAt, t.ExpiresAt = fromMicros(created), fromNullMicros(used), fromNullMicros(expires)
			out = append(out, t)
		}
		return rows.Err()
	})
	return out, err
}

// RevokeToken deletes one of a user's API tokens; ENOTFOUND for another
// user's.
func (d *DB) RevokeToken(ctx context.Context, userID, tokenID int64) error {
	return d.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM tokens WHERE id = ? AND user_id = ?`, tokenID, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return vitrine.Errorf(vitrine.ENOTFOUND, "token %d not found", tokenID)
		}
		return nil
	})
}

// validTokenName checks a personal token's name.
func validTokenName(name string) error {
	if strings.TrimSpace(name) == "" || len(name) > 100 {
		return vitrine.Errorf(vitrine.EINVALID, "a token needs a name of 1-100 bytes")
	}
	return nil
}

// CreatePersonalToken makes an API token for its owner and returns it
// with its secret, shown this once.
func (d *DB) CreatePersonalToken(ctx context.Context, userID int64, name string, expiresAt *time.Time) (*vitrine.PersonalToken, string, error) {
	if err := validTokenName(name); err != nil {
		return nil, "", err
	}
	plain, err := NewToken()
	if err != nil {
		return nil, "", err
	}
	var t vitrine.PersonalToken
	err = d.inTx(ctx, func(tx *Tx) error {
		if err := tx.createToken(ctx, userID, name, plain, expiresAt); err != nil {
			return err
		}
		var created int64
		var expires sql.NullInt64
		err := tx.queryRow(ctx, `SELECT id, name, prefix, created_at, expires_at FROM tokens WHERE hash = ?`, hashToken(plain)).
			Scan(&t.ID, &t.Name, &t.Prefix, &created, &expires)
		t.CreatedAt, t.ExpiresAt = fromMicros(created), fromNullMicros(expires)
		return err
	})
	return &t, plain, err
}
