package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/vitrine/vitrine"
)

// Set returns a company's set with its current members.
func (d *DB) Set(ctx context.Context, companyID int64, name string) (*vitrine.Set, error) {
	var s *vitrine.Set
	err := d.read(ctx, func(tx *Tx) error {
		a, err := tx.asset(ctx, companyID, name)
		if err != nil {
			return err
		}
		if !a.Type.IsSet() {
			return vitrine.Errorf(vitrine.ENOTFOUND, "asset %q is a %s, not a set", name, a.Type)
		}
		s, err = tx.set(ctx, a)
		return err
	})
	return s, err
}

// set reads a set's attributes and current members, with the asset's detail.
func (tx *Tx) set(ctx context.Context, a *vitrine.Asset) (*vitrine.Set, error) {
	if err := tx.detail(ctx, a); err != nil {
		return nil, err
	}
	s := &vitrine.Set{Asset: a, Members: []vitrine.SetMember{}}
	var source sql.NullString
	err := tx.queryRow(ctx, `SELECT s.rows_n, s.columns_n, src.name FROM sets s LEFT JOIN assets src ON src.id = s.source_id
		WHERE s.asset_id = ?`, a.ID).Scan(&s.Rows, &s.Columns, &source)
	if err != nil {
		return nil, fmt.Errorf("read set %s: %w", a.Name, err)
	}
	s.Source = source.String
	rows, err := tx.query(ctx, `SELECT m.name, m.type, sw.name, sm.swatch_color, sm.swatch_label, sm.swatch_crop, sm.keywords, sm.page_text
		FROM set_members sm JOIN assets m ON m.id = sm.member_id LEFT JOIN assets sw ON sw.id = sm.swatch_id
		WHERE sm.set_id = ? ORDER BY sm.position`, a.ID)
	if err != nil {
		return nil, fmt.Errorf("read members of %s: %w", a.Name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var m vitrine.SetMember
		var typ, keywords string
		var swatchImage sql.NullString
		var w vitrine.Swatch
		if err := rows.Scan(&m.Name, &typ, &swatchImage, &w.Color, &w.Label, &w.Crop, &keywords, &m.Text); err != nil {
			return nil, err
		}
		m.Type = vitrine.AssetType(typ)
		w.Image = swatchImage.String
		if w != (vitrine.Swatch{}) {
			m.Swatch = &w
		}
		if keywords != "" {
			m.Keywords = strings.Split(keywords, "\n")
		}
		s.Members = append(s.Members, m)
	}
	return s, rows.Err()
}

// Relations returns what an asset's detail shows beyond the asset: its
// parent and recipe when derived, what was derived from it (Built &
// Derivatives), and the sets holding it.
func (d *DB) Relations(ctx context.Context, companyID int64, name string) (*vitrine.Relations, error) {
	rel := &vitrine.Relations{Derived: []vitrine.DerivedRef{}, Sets: []string{}}
	err := d.read(ctx, func(tx *Tx) error {
		a, err := tx.asset(ctx, companyID, name)
		if err != nil {
			return err
		}
		var parent sql.NullString
		if err := tx.queryRow(ctx, `SELECT p.name, a.recipe FROM assets a LEFT JOIN assets p ON p.id = a.parent_id WHERE a.id = ?`,
			a.ID).Scan(&parent, &rel.Recipe); err != nil {
			return fmt.Errorf("read parent: %w", err)
		}
		rel.Parent = parent.String
		rows, err := tx.query(ctx, `SELECT name, type, recipe FROM assets WHERE parent_id = ? AND trashed_at IS NULL ORDER BY name`, a.ID)
		if err != nil {
			return fmt.Errorf("read derived: %w", err)
		}
		for rows.Next() {
			var r vitrine.DerivedRef
			var typ string
			if err := rows.Scan(&r.Name, &typ, &r.Recipe); err != nil {
				rows.Close()
				return err
			}
			r.Type = vitrine.AssetType(typ)
			rel.Derived = append(rel.Derived, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = tx.query(ctx, `SELECT DISTINCT s.name FROM set_members sm JOIN assets s ON s.id = sm.set_id
			WHERE (sm.member_id = ? OR sm.swatch_id = ?) AND s.trashed_at IS NULL ORDER BY s.name`, a.ID, a.ID)
		if err != nil {
			return fmt.Errorf("read sets: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				return err
			}
			rel.Sets = append(rel.Sets, n)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return rel, nil
}
