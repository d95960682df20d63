package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/vitrine/vitrine"
)

// CreateCompany creates a company with default settings and its root folder.
func (d *DB) CreateCompany(ctx context.Context, rootID, name string) (*vitrine.Company, error) {
	var c *vitrine.Company
	err := d.inTx(ctx, func(tx *Tx) (err error) {
		c, err = tx.createCompany(ctx, rootID, name)
		return err
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

func (tx *Tx) createCompany(ctx context.Context, rootID, name string) (*vitrine.Company, error) {
	if !vitrine.ValidRootID(rootID) {
		return nil, vitrine.Errorf(vitrine.EINVALID, "company id %q must be 1-63 lower-case letters, digits, '-' or '_'", rootID)
	}
	if name == "" {
		name = rootID
	}
	c := &vitrine.Company{RootID: rootID, Name: name, Settings: vitrine.DefaultSettings(), CreatedAt: tx.now}
	settings, err := json.Marshal(c.Settings)
	if err != nil {
		return nil, fmt.Errorf("encode settings: %w", err)
	}
	c.ID, err = tx.insert(ctx, `INSERT INTO companies (root_id, name, settings, created_at) VALUES (?, ?, ?, ?)`,
		rootID, name, string(settings), toMicros(tx.now))
	if isConflict(translate(err)) {
		return nil, vitrine.Errorf(vitrine.ECONFLICT, "company %q already exists", rootID)
	} else if err != nil {
		return nil, fmt.Errorf("insert company: %w", err)
	}
	if _, err = tx.insert(ctx, `INSERT INTO folders (company_id, parent_id, path, created_at) VALUES (?, NULL, '/', ?)`,
		c.ID, toMicros(tx.now)); err != nil {
		return nil, fmt.Errorf("insert root folder: %w", err)
	}
	return c, nil
}

// Company returns the company with the given root id.
func (d *DB) Company(ctx context.Context, rootID string) (*vitrine.Company, error) {
	var c *vitrine.Company
	err := d.read(ctx, func(tx *Tx) (err error) {
		c, err = tx.company(ctx, `root_id = ?`, rootID)
		return err
	})
	return c, err
}

// Companies lists every company, by root id.
func (d *DB) Companies(ctx context.Context) ([]vitrine.Company, error) {
	var out []vitrine.Company
	err := d.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT id, root_id, name, settings, created_at FROM companies ORDER BY root_id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c, err := scanCompany(rows)
			if err != nil {
				return err
			}
			out = append(out, *c)
		}
		return rows.Err()
	})
	return out, err
}

func (tx *Tx) company(ctx context.Context, where string, arg any) (*vitrine.Company, error) {
	row := tx.queryRow(ctx, `SELECT id, root_id, name, settings, created_at FROM companies WHERE `+where, arg)
	c, err := scanCompany(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vitrine.Errorf(vitrine.ENOTFOUND, "company not found")
	}
	return c, err
}

type scanner interface{ Scan(dest ...any) error }

func scanCompany(s scanner) (*vitrine.Company, error) {
	var c vitrine.Company
	var settings string
	var created int64
	if err := s.Scan(&c.ID, &c.RootID, &c.Name, &settings, &created); err != nil {
		return nil, err
	}
	c.CreatedAt = fromMicros(created)
	// Start from the defaults so settings added by later releases have values.
	c.Settings = vitrine.DefaultSettings()
	if err := json.Unmarshal([]byte(settings), &c.Settings); err != nil {
		return nil, fmt.Errorf("decode settings of %s: %w", c.RootID, err)
	}
	return &c, nil
}

// UpdateSettings applies patch (a JSON object of settings fields) to a
// company's settings, validates the result and stores it.
func (d *DB) UpdateSettings(ctx context.Context, companyID int64, patch []byte) (*vitrine.Settings, error) {
	return d.editSettings(ctx, companyID, func(cur vitrine.Settings) (vitrine.Settings, error) { return cur.Merge(patch) })
}

// RotateSigningKey puts key first among the company's URL signing keys,
// reading and writing them in one transaction so that two rotations (or a
// settings change) at once never drop a key just shown to an admin.
func (d *DB) RotateSigningKey(ctx context.Context, companyID int64, key string) (*vitrine.Settings, error) {
	return d.editSettings(ctx, companyID, func(cur vitrine.Settings) (vitrine.Settings, error) {
		cur.URLSigningKeys = vitrine.RotatedSigningKeys(cur.URLSigningKeys, key)
		return cur, cur.Validate()
	})
}

// editSettings changes a company's settings with edit, in one transaction.
func (d *DB) editSettings(ctx context.Context, companyID int64, edit func(vitrine.Settings) (vitrine.Settings, error)) (*vitrine.Settings, error) {
	var out vitrine.Settings
	err := d.inTx(ctx, func(tx *Tx) error {
		c, err := tx.company(ctx, `id = ?`, companyID)
		if err != nil {
			return err
		}
		s, err := edit(c.Settings)
		if err != nil {
			return err
		}
		b, err := json.Marshal(s)
		if err != nil {
			return fmt.Errorf("encode settings: %w", err)
		}
		if _, err := tx.exec(ctx, `UPDATE companies SET settings = ? WHERE id = ?`, string(b), companyID); err != nil {
			return fmt.Errorf("update settings: %w", err)
		}
		out = s
		return nil
	})
	return &out, err
}
