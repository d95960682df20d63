package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/vitrine/vitrine"
)

const assetCols = `a.id, a.company_id, a.name, a.type, a.folder_id, f.path, a.ext, a.current_version, a.sync_mode,
	a.publish_mode, a.last_published_at, a.trashed_at, a.created_at, a.updated_at, a.title, a.keywords`

const assetFrom = ` FROM assets a JOIN folders f ON f.id = a.folder_id `

func scanAsset(s scanner) (*vitrine.Asset, error) {
	var a vitrine.Asset
	var typ, sync, pub string
	var lastPub, trashed sql.NullInt64
	var created, updated int64
	var keywords string
	if err := s.Scan(&a.ID, &a.CompanyID, &a.Name, &typ, &a.FolderID, &a.Folder, &a.Ext, &a.Version, &sync,
		&pub, &lastPub, &trashed, &created, &updated, &a.Title, &keywords); err != nil {
		return nil, err
	}
	a.Keywords = []string{}
	if err := json.Unmarshal([]byte(keywords), &a.Keywords); err != nil {
		return nil, fmt.Errorf("keywords of %s: %w", a.Name, err)
	}
	a.Type, a.SyncMode, a.PublishMode = vitrine.AssetType(typ), vitrine.SyncMode(sync), vitrine.PublishMode(pub)
	a.LastPublishedAt, a.TrashedAt = fromNullMicros(lastPub), fromNullMicros(trashed)
	a.CreatedAt, a.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &a, nil
}

// asset returns a company's asset by name, trashed or not, without detail.
func (tx *Tx) asset(ctx context.Context, companyID int64, name string) (*vitrine.Asset, error) {
	a, err := scanAsset(tx.queryRow(ctx, `SELECT `+assetCols+assetFrom+`WHERE a.company_id = ? AND a.name = ?`, companyID, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vitrine.Errorf(vitrine.ENOTFOUND, "asset %q not found", name)
	}
	return a, err
}

// detail fills an asset's current version, intents and catalog state.
func (tx *Tx) detail(ctx context.Context, a *vitrine.Asset) error {
	if a.Version > 0 {
		v, err := tx.version(ctx, a.ID, a.Version)
		if err != nil {
			return err
		}
		a.CurrentVersion = v
	}
	intents, err := tx.intents(ctx, a.ID)
	if err != nil {
		return err
	}
	a.Intent = intents
	a.Published, err = tx.published(ctx, a.ID)
	return err
}

const versionCols = `id, asset_id, number, sha256, size, format, mime, width, height, filename, created_by, created_at`

func scanVersion(s scanner) (*vitrine.Version, error) {
	var v vitrine.Version
	var by sql.NullInt64
	var created int64
	if err := s.Scan(&v.ID, &v.AssetID, &v.Number, &v.SHA256, &v.Size, &v.Format, &v.MIME, &v.Width, &v.Height,
		&v.Filename, &by, &created); err != nil {
		return nil, err
	}
	v.CreatedBy, v.CreatedAt = by.Int64, fromMicros(created)
	return &v, nil
}

func (tx *Tx) version(ctx context.Context, assetID int64, number int) (*vitrine.Version, error) {
	v, err := scanVersion(tx.queryRow(ctx, `SELECT `+versionCols+` FROM versions WHERE asset_id = ? AND number = ?`, assetID, number))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vitrine.Errorf(vitrine.ENOTFOUND, "version %d not found", number)
	}
	return v, err
}

func (tx *Tx) intents(ctx context.Context, assetID int64) ([]vitrine.Intent, error) {
	rows, err := tx.query(ctx, `SELECT context, destination, marked FROM intents WHERE asset_id = ? ORDER BY context, destination`, assetID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []vitrine.Intent{}
	for rows.Next() {
		var i vitrine.Intent
		var c, d string
		if err := rows.Scan(&c, &d, &i.Marked); err != nil {
			return nil, err
		}
		i.Context, i.Destination = vitrine.Context(c), vitrine.Destination(d)
		out = append(out, i)
	}
	return out, rows.Err()
}

func (tx *Tx) published(ctx context.Context, assetID int64) (vitrine.Published, error) {
	var p vitrine.Published
	rows, err := tx.query(ctx, `SELECT c.context, c.destination, v.number, c.published_at FROM catalog c
		JOIN versions v ON v.id = c.version_id WHERE c.asset_id = ?`, assetID)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	for rows.Next() {
		var ctxName, dest string
		var at int64
		s := &vitrine.CatalogState{}
		if err := rows.Scan(&ctxName, &dest, &s.Version, &at); err != nil {
			return p, err
		}
		s.Context, s.PublishedAt = vitrine.Context(ctxName), fromMicros(at)
		if vitrine.Destination(dest) == vitrine.DestDelivery {
			p.Delivery = s
		} else {
			p.Preview = s
		}
	}
	return p, rows.Err()
}

// Asset returns a company's asset with its detail.
func (d *DB) Asset(ctx context.Context, companyID int64, name string) (*vitrine.Asset, error) {
	var a *vitrine.Asset
	err := d.read(ctx, func(tx *Tx) (err error) {
		if a, err = tx.asset(ctx, companyID, name); err != nil {
			return err
		}
		return tx.detail(ctx, a)
	})
	return a, err
}

// Versions lists an asset's versions, newest first.
func (d *DB) Versions(ctx context.Context, companyID int64, name string) ([]vitrine.Version, error) {
	var out []vitrine.Version
	err := d.read(ctx, func(tx *Tx) error {
		a, err := tx.asset(ctx, companyID, name)
		if err != nil {
			return err
		}
		rows, err := tx.query(ctx, `SELECT `+versionCols+` FROM versions WHERE asset_id = ? ORDER BY number DESC`, a.ID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			v, err := scanVersion(rows)
			if err != nil {
				return err
			}
			out = append(out, *v)
		}
		return rows.Err()
	})
	return out, err
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// freeName returns name, or name-1, name-2, … whichever is not taken (UP-4).
func (tx *Tx) freeName(ctx context.Context, companyID int64, name string) (string, error) {
	for i := 1; i < 100000; i++ {
		cand := name + "-" + strconv.Itoa(i)
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM assets WHERE company_id = ? AND name = ?`, companyID, cand).Scan(&n); err != nil {
			return "", err
		}
		if n == 0 {
			return cand, nil
		}
	}
	return "", vitrine.Errorf(vitrine.ECONFLICT, "no free name for %q", name)
}
