package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/vitrine/vitrine"
)

// SetFolderProfile sets (nil: clears) a folder's image profile and queues
// every live image at or below the folder for the crop worker, in one
// transaction: one INSERT … SELECT however many images there are.
func (d *DB) SetFolderProfile(ctx context.Context, c *vitrine.Company, p string, prof *vitrine.ImageProfile) error {
	p, err := vitrine.CleanFolderPath(p)
	if err != nil {
		return err
	}
	var crops []byte
	if prof != nil {
		if err := prof.Validate(); err != nil {
			return err
		}
		if crops, err = json.Marshal(prof.Crops); err != nil {
			return fmt.Errorf("profile: %w", err)
		}
	}
	return d.inTx(ctx, func(tx *Tx) error {
		f, err := tx.folder(ctx, c.ID, p)
		if err != nil {
			return err
		}
		if prof == nil {
			_, err = tx.exec(ctx, `DELETE FROM folder_profiles WHERE folder_id = ?`, f.ID)
		} else {
			_, err = tx.exec(ctx, `INSERT INTO folder_profiles (folder_id, crops, updated_at) VALUES (?, ?, ?)
				ON CONFLICT (folder_id) DO UPDATE SET crops = excluded.crops, updated_at = excluded.updated_at`,
				f.ID, string(crops), toMicros(tx.now))
		}
		if err != nil {
			return fmt.Errorf("folder profile: %w", err)
		}
		_, err = tx.exec(ctx, `INSERT INTO crop_queue (asset_id, queued_at)
			SELECT a.id, ? FROM assets a JOIN folders f ON f.id = a.folder_id
			WHERE a.company_id = ? AND a.type = ? AND a.trashed_at IS NULL AND (f.path = ? OR f.path LIKE ? ESCAPE '\')
			ON CONFLICT (asset_id) DO UPDATE SET queued_at = excluded.queued_at`,
			toMicros(tx.now), c.ID, string(vitrine.TypeImage), p, likePrefix(p))
		if err != nil {
			return fmt.Errorf("queue crops: %w", err)
		}
		return nil
	})
}

// FolderProfile returns a folder's own profile and its effective one.
func (d *DB) FolderProfile(ctx context.Context, c *vitrine.Company, p string) (*vitrine.ImageProfile, vitrine.EffectiveProfile, error) {
	p, err := vitrine.CleanFolderPath(p)
	if err != nil {
		return nil, vitrine.EffectiveProfile{}, err
	}
	var own *vitrine.ImageProfile
	var eff vitrine.EffectiveProfile
	err = d.read(ctx, func(tx *Tx) error {
		if _, err := tx.folder(ctx, c.ID, p); err != nil {
			return err
		}
		along, err := tx.profilesAlong(ctx, c.ID, p)
		if err != nil {
			return err
		}
		if n := len(along); n > 0 && along[n-1].Folder == p {
			own = &along[n-1].Profile
		}
		eff = vitrine.ResolveProfile(along)
		return nil
	})
	return own, eff, err
}

// profilesAlong returns the profiles set on p and its ancestors, root first.
func (tx *Tx) profilesAlong(ctx context.Context, companyID int64, p string) ([]vitrine.FolderProfile, error) {
	var out []vitrine.FolderProfile
	for _, anc := range vitrine.FolderAncestors(p) {
		var crops string
		err := tx.queryRow(ctx, `SELECT fp.crops FROM folder_profiles fp JOIN folders f ON f.id = fp.folder_id
			WHERE f.company_id = ? AND f.path = ?`, companyID, anc).Scan(&crops)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("profile of %s: %w", anc, err)
		}
		fp := vitrine.FolderProfile{Folder: anc}
		if err := json.Unmarshal([]byte(crops), &fp.Profile.Crops); err != nil {
			return nil, fmt.Errorf("profile of %s: %w", anc, err)
		}
		out = append(out, fp)
	}
	return out, nil
}

const cropCols = `name, width, height, x, y, w, h, src_w, src_h, adjusted, updated_at`

func scanCrop(s scanner) (vitrine.SmartCrop, error) {
	var c vitrine.SmartCrop
	var adjusted int
	var at int64
	err := s.Scan(&c.Name, &c.Width, &c.Height, &c.Box.X, &c.Box.Y, &c.Box.W, &c.Box.H, &c.SourceWidth, &c.SourceHeight, &adjusted, &at)
	c.Adjusted, c.UpdatedAt = adjusted != 0, fromMicros(at)
	return c, err
}

// Crops returns a version's smart crops, by name.
func (d *DB) Crops(ctx context.Context, versionID int64) ([]vitrine.SmartCrop, error) {
	var out []vitrine.SmartCrop
	err := d.read(ctx, func(tx *Tx) (err error) {
		out, err = tx.crops(ctx, versionID)
		return err
	})
	return out, err
}

func (tx *Tx) crops(ctx context.Context, versionID int64) ([]vitrine.SmartCrop, error) {
	rows, err := tx.query(ctx, `SELECT `+cropCols+` FROM smart_crops WHERE version_id = ? ORDER BY name`, versionID)
	if err != nil {
		return nil, fmt.Errorf("crops: %w", err)
	}
	defer rows.Close()
	out := []vitrine.SmartCrop{}
	for rows.Next() {
		c, err := scanCrop(rows)
		if err != nil {
			return nil, fmt.Errorf("crops: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SaveCrops replaces a version's crops with computed ones, keeping the
// adjusted ones vitrine.KeepAdjusted keeps.
func (d *DB) SaveCrops(ctx context.Context, versionID int64, computed []vitrine.SmartCrop) ([]vitrine.SmartCrop, error) {
	var saved []vitrine.SmartCrop
	err := d.inTx(ctx, func(tx *Tx) error {
		existing, err := tx.crops(ctx, versionID)
		if err != nil {
			return err
		}
		saved = vitrine.KeepAdjusted(existing, computed)
		if _, err := tx.exec(ctx, `DELETE FROM smart_crops WHERE version_id = ?`, versionID); err != nil {
			return fmt.Errorf("crops: %w", err)
		}
		for i := range saved {
			c := &saved[i]
			if !c.Adjusted {
				c.UpdatedAt = tx.now
			}
			if err := tx.insertCrop(ctx, versionID, *c); err != nil {
				return err
			}
		}
		return nil
	})
	return saved, err
}

func (tx *Tx) insertCrop(ctx context.Context, versionID int64, c vitrine.SmartCrop) error {
	adjusted := 0
	if c.Adjusted {
		adjusted = 1
	}
	_, err := tx.exec(ctx, `INSERT INTO smart_crops (version_id, `+cropCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		versionID, c.Name, c.Width, c.Height, c.Box.X, c.Box.Y, c.Box.W, c.Box.H, c.SourceWidth, c.SourceHeight, adjusted, toMicros(c.UpdatedAt))
	if err != nil {
		return fmt.Errorf("crop %s: %w", c.Name, err)
	}
	return nil
}

// SetCrop sets one crop's box and adjusted flag.
func (d *DB) SetCrop(ctx context.Context, versionID int64, c vitrine.SmartCrop) (*vitrine.SmartCrop, error) {
	err := d.inTx(ctx, func(tx *Tx) error {
		adjusted := 0
		if c.Adjusted {
			adjusted = 1
		}
		c.UpdatedAt = tx.now
		res, err := tx.exec(ctx, `UPDATE smart_crops SET x = ?, y = ?, w = ?, h = ?, adjusted = ?, updated_at = ?
			WHERE version_id = ? AND name = ?`, c.Box.X, c.Box.Y, c.Box.W, c.Box.H, adjusted, toMicros(tx.now), versionID, c.Name)
		if err != nil {
			return fmt.Errorf("crop %s: %w", c.Name, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return vitrine.Errorf(vitrine.ENOTFOUND, "crop %q not found", c.Name)
		}
		return tx.queryRow(ctx, `SELECT width, height, src_w, src_h FROM smart_crops WHERE version_id = ? AND name = ?`, versionID, c.Name).
			Scan(&c.Width, &c.Height, &c.SourceWidth, &c.SourceHeight)
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// QueuedCrops returns the oldest queued images.
func (d *DB) QueuedCrops(ctx context.Context, limit int) ([]vitrine.CropTask, error) {
	var out []vitrine.CropTask
	err := d.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT a.company_id, a.id, a.name, q.queued_at FROM crop_queue q JOIN assets a ON a.id = q.asset_id
			ORDER BY q.queued_at, q.asset_id LIMIT ?`, limit)
		if err != nil {
			return fmt.Errorf("crop queue: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var t vitrine.CropTask
			var at int64
			if err := rows.Scan(&t.CompanyID, &t.AssetID, &t.Name, &at); err != nil {
				return fmt.Errorf("crop queue: %w", err)
			}
			t.QueuedAt = fromMicros(at)
			out = append(out, t)
		}
		return rows.Err()
	})
	return out, err
}

// DoneCrops removes a task unless it was queued again since it was read.
func (d *DB) DoneCrops(ctx context.Context, t vitrine.CropTask) error {
	return d.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM crop_queue WHERE asset_id = ? AND queued_at = ?`, t.AssetID, toMicros(t.QueuedAt))
		if err != nil {
			return fmt.Errorf("crop queue: %w", err)
		}
		return nil
	})
}
