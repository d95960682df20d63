package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/vitrine/vitrine"
)

// BootstrapRequest is what a first start makes: a company, a system admin
// who is an admin of it, and the admin's API token.
type BootstrapRequest struct {
	// Company is the root id of the company made when there is none.
	Company string
	// Admin is the name of the system admin made when there is none.
	Admin string
	// Token is the admin's API token, in clear, stored when the admin has
	// none. Checked before anything is written, needed or not.
	Token string
}

// BootstrapResult says what Bootstrap made. On a healthy installation
// nothing: Changed is false.
type BootstrapResult struct {
	// FirstStart is true when there was no company: a plain first start,
	// not a repair.
	FirstStart bool
	// Company is the company made, or empty.
	Company string
	// Admin is the system admin the other fields are about.
	Admin             string
	CreatedAdmin      bool
	MembershipCompany string // the company the admin was made an admin of, or empty
	CreatedToken      bool   // the request's token is now the admin's
}

// Changed reports whether Bootstrap wrote anything.
func (r *BootstrapResult) Changed() bool {
	return r.Company != "" || r.CreatedAdmin || r.MembershipCompany != "" || r.CreatedToken
}

// Made lists what Bootstrap made, for the log.
func (r *BootstrapResult) Made() []string {
	var out []string
	if r.Company != "" {
		out = append(out, "company "+r.Company)
	}
	if r.CreatedAdmin {
		out = append(out, "system admin "+r.Admin)
	}
	if r.MembershipCompany != "" {
		out = append(out, "admin of "+r.MembershipCompany)
	}
	if r.CreatedToken {
		out = append(out, "API token")
	}
	return out
}

// bootstrapLock serialises Bootstrap across PostgreSQL nodes starting at
// once ("vtrb"); SQLite has one writer anyway.
const bootstrapLock = 0x76747262

// BootstrapNeeded reports whether Bootstrap has work: no company yet, or no
// system admin holding a token (a first start that stopped half way, or
// that an older version left unfinished).
func (d *DB) BootstrapNeeded(ctx context.Context) (bool, error) {
	var needed bool
	err := d.read(ctx, func(tx *Tx) (err error) {
		needed, err = tx.bootstrapNeeded(ctx)
		return err
	})
	return needed, err
}

func (tx *Tx) bootstrapNeeded(ctx context.Context) (bool, error) {
	var companies int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM companies`).Scan(&companies); err != nil {
		return false, fmt.Errorf("count companies: %w", err)
	}
	if companies == 0 {
		return true, nil
	}
	_, err := tx.tokenedAdmin(ctx)
	if vitrine.ErrorCode(err) == vitrine.ENOTFOUND {
		return true, nil
	}
	return false, err
}

// Bootstrap makes, in one transaction, what a first start needs and is
// missing: the company when there is none; a system admin with a token
// when no system admin has one, reusing a system admin that exists (the
// one named req.Admin first); the admin's membership of the company when
// the admin belongs to none; the token. A healthy installation is left
// alone: never a second admin, never a second token. The request is checked
// before anything is written.
func (d *DB) Bootstrap(ctx context.Context, req BootstrapRequest) (*BootstrapResult, error) {
	switch {
	case !vitrine.ValidRootID(req.Company):
		return nil, vitrine.Errorf(vitrine.EINVALID, "company id %q must be 1-63 lower-case letters, digits, '-' or '_'", req.Company)
	case req.Admin == "" || len(req.Admin) > 128:
		return nil, vitrine.Errorf(vitrine.EINVALID, "user name must be 1-128 bytes")
	}
	if err := vitrine.ValidToken(req.Token); err != nil {
		return nil, fmt.Errorf("admin token: %w", err)
	}
	var res *BootstrapResult
	err := d.inTx(ctx, func(tx *Tx) (err error) {
		res, err = tx.bootstrap(ctx, req)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func (tx *Tx) bootstrap(ctx context.Context, req BootstrapRequest) (*BootstrapResult, error) {
	if tx.db.Dialect() == Postgres {
		if _, err := tx.exec(ctx, `SELECT pg_advisory_xact_lock(?)`, bootstrapLock); err != nil {
			return nil, fmt.Errorf("bootstrap lock: %w", err)
		}
	}
	res := &BootstrapResult{}
	var companies int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM companies`).Scan(&companies); err != nil {
		return nil, fmt.Errorf("count companies: %w", err)
	}
	var company *vitrine.Company
	if companies == 0 {
		c, err := tx.createCompany(ctx, req.Company, req.Company)
		if err != nil {
			return nil, fmt.Errorf("create company %s: %w", req.Company, err)
		}
		res.FirstStart, res.Company, company = true, c.RootID, c
	}
	admin, err := tx.tokenedAdmin(ctx)
	switch {
	case err == nil:
		// A system admin can already sign in: only a new company needs it.
		res.Admin = admin.Name
		if company != nil {
			if err := tx.bootstrapMembership(ctx, res, admin.ID, company); err != nil {
				return nil, err
			}
		}
		return res, nil
	case vitrine.ErrorCode(err) != vitrine.ENOTFOUND:
		return nil, err
	}
	admin, err = tx.bootstrapAdmin(ctx, req.Admin, res)
	if err != nil {
		return nil, err
	}
	var memberships int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM memberships WHERE user_id = ?`, admin.ID).Scan(&memberships); err != nil {
		return nil, fmt.Errorf("count memberships: %w", err)
	}
	if company == nil && memberships == 0 {
		// The first company is the one the first start made.
		var first int64
		if err := tx.queryRow(ctx, `SELECT MIN(id) FROM companies`).Scan(&first); err != nil {
			return nil, fmt.Errorf("first company: %w", err)
		}
		if company, err = tx.company(ctx, `id = ?`, first); err != nil {
			return nil, fmt.Errorf("first company: %w", err)
		}
	}
	if company != nil {
		if err := tx.bootstrapMembership(ctx, res, admin.ID, company); err != nil {
			return nil, err
		}
	}
	if err := tx.createToken(ctx, admin.ID, "bootstrap", req.Token, nil); err != nil {
		return nil, fmt.Errorf("create admin token: %w", err)
	}
	res.CreatedToken = true
	return res, nil
}

// tokenedAdmin returns the oldest system admin who can sign in — with an
// API token or a password — or ENOTFOUND. A password counts: an admin who
// set one and revoked the bootstrap token (say, after it leaked) must not
// get a token back at the next start.
func (tx *Tx) tokenedAdmin(ctx context.Context) (*vitrine.User, error) {
	var u vitrine.User
	err := tx.queryRow(ctx, `SELECT id, name FROM users u WHERE system_admin
		AND (EXISTS (SELECT 1 FROM tokens t WHERE t.user_id = u.id) OR u.password_hash <> '') ORDER BY id LIMIT 1`).Scan(&u.ID, &u.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vitrine.Errorf(vitrine.ENOTFOUND, "no system admin can sign in")
	} else if err != nil {
		return nil, fmt.Errorf("find system admin: %w", err)
	}
	return &u, nil
}

// bootstrapAdmin returns the system admin to give a token: the one named
// name, else the oldest, else a new one named name. A user of that name
// who is not a system admin is not promoted behind the operator's back.
func (tx *Tx) bootstrapAdmin(ctx context.Context, name string, res *BootstrapResult) (*vitrine.User, error) {
	var u vitrine.User
	err := tx.queryRow(ctx, `SELECT id, name, system_admin FROM users WHERE system_admin OR name = ?
		ORDER BY CASE WHEN system_admin AND name = ? THEN 0 WHEN system_admin THEN 1 ELSE 2 END, id LIMIT 1`,
		name, name).Scan(&u.ID, &u.Name, &u.SystemAdmin)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		u = vitrine.User{Name: name, SystemAdmin: true, CreatedAt: tx.now}
		if u.ID, err = tx.insert(ctx, `INSERT INTO users (name, system_admin, created_at) VALUES (?, ?, ?)`,
			name, true, toMicros(tx.now)); err != nil {
			return nil, fmt.Errorf("create admin: %w", err)
		}
		res.CreatedAdmin = true
	case err != nil:
		return nil, fmt.Errorf("find admin: %w", err)
	case !u.SystemAdmin:
		return nil, vitrine.Errorf(vitrine.ECONFLICT,
			"no system admin has a token, and user %q exists but is not a system admin: make a system admin by hand", name)
	}
	res.Admin = u.Name
	return &u, nil
}

func (tx *Tx) bootstrapMembership(ctx context.Context, res *BootstrapResult, userID int64, c *vitrine.Company) error {
	if _, err := tx.exec(ctx, `INSERT INTO memberships (user_id, company_id, role) VALUES (?, ?, ?)
		ON CONFLICT (user_id, company_id) DO NOTHING`, userID, c.ID, string(vitrine.RoleAdmin)); err != nil {
		return fmt.Errorf("admin membership: %w", err)
	}
	res.MembershipCompany = c.RootID
	return nil
}
