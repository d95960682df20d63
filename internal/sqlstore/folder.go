package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/vitrine/vitrine"
)

const folderCols = `id, company_id, parent_id, path, sync_mode, publish_mode, created_at`

func scanFolder(s scanner) (*vitrine.Folder, error) {
	var f vitrine.Folder
	var parent sql.NullInt64
	var created int64
	var sync, pub string
	if err := s.Scan(&f.ID, &f.CompanyID, &parent, &f.Path, &sync, &pub, &created); err != nil {
		return nil, err
	}
	if parent.Valid {
		f.ParentID = &parent.Int64
	}
	f.SyncMode, f.PublishMode, f.CreatedAt = vitrine.SyncMode(sync), vitrine.PublishMode(pub), fromMicros(created)
	return &f, nil
}

// folder returns the folder at p, or ENOTFOUND.
func (tx *Tx) folder(ctx context.Context, companyID int64, p string) (*vitrine.Folder, error) {
	f, err := scanFolder(tx.queryRow(ctx, `SELECT `+folderCols+` FROM folders WHERE company_id = ? AND path = ?`, companyID, p))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vitrine.Errorf(vitrine.ENOTFOUND, "folder %q not found", p)
	}
	return f, err
}

// ensureFolder returns the folder at p, creating it and its parents.
func (tx *Tx) ensureFolder(ctx context.Context, companyID int64, p string) (*vitrine.Folder, error) {
	var parent *vitrine.Folder
	for _, anc := range vitrine.FolderAncestors(p) {
		f, err := tx.folder(ctx, companyID, anc)
		if vitrine.ErrorCode(err) == vitrine.ENOTFOUND && parent != nil {
			f = &vitrine.Folder{CompanyID: companyID, ParentID: &parent.ID, Path: anc,
				SyncMode: vitrine.SyncInherit, PublishMode: vitrine.PublishInherit, CreatedAt: tx.now}
			f.ID, err = tx.insert(ctx, `INSERT INTO folders (company_id, parent_id, path, created_at) VALUES (?, ?, ?, ?)`,
				companyID, parent.ID, anc, toMicros(tx.now))
		}
		if err != nil {
			return nil, fmt.Errorf("folder %s: %w", anc, err)
		}
		parent = f
	}
	return parent, nil
}

// effective resolves a folder's modes up the tree.
func (tx *Tx) effective(ctx context.Context, c *vitrine.Company, p string) (vitrine.EffectiveModes, error) {
	var chain []vitrine.Folder
	for _, anc := range vitrine.FolderAncestors(p) {
		f, err := tx.folder(ctx, c.ID, anc)
		if err != nil {
			return vitrine.EffectiveModes{}, err
		}
		chain = append(chain, *f)
	}
	return vitrine.ResolveModes(chain, c.Settings), nil
}

// CreateFolder creates a folder and any missing parents.
func (d *DB) CreateFolder(ctx context.Context, c *vitrine.Company, p string) (*vitrine.Folder, error) {
	p, err := vitrine.CleanFolderPath(p)
	if err != nil {
		return nil, err
	}
	var f *vitrine.Folder
	err = d.inTx(ctx, func(tx *Tx) error {
		if f, err = tx.ensureFolder(ctx, c.ID, p); err != nil {
			return err
		}
		e, err := tx.effective(ctx, c, p)
		f.Effective = &e
		return err
	})
	return f, err
}

// Folder returns a folder with its effective modes.
func (d *DB) Folder(ctx context.Context, c *vitrine.Company, p string) (*vitrine.Folder, error) {
	p, err := vitrine.CleanFolderPath(p)
	if err != nil {
		return nil, err
	}
	var f *vitrine.Folder
	err = d.read(ctx, func(tx *Tx) error {
		if f, err = tx.folder(ctx, c.ID, p); err != nil {
			return err
		}
		e, err := tx.effective(ctx, c, p)
		f.Effective = &e
		return err
	})
	return f, err
}

// Folders lists the folders under p (p included), by path.
func (d *DB) Folders(ctx context.Context, c *vitrine.Company, p string) ([]vitrine.Folder, error) {
	p, err := vitrine.CleanFolderPath(p)
	if err != nil {
		return nil, err
	}
	var out []vitrine.Folder
	err = d.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+folderCols+` FROM folders WHERE company_id = ? AND (path = ? OR path LIKE ? ESCAPE '\') ORDER BY path`,
			c.ID, p, likePrefix(p))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			f, err := scanFolder(rows)
			if err != nil {
				return err
			}
			out = append(out, *f)
		}
		return rows.Err()
	})
	return out, err
}

// likePrefix returns a LIKE pattern for every path strictly below p.
func likePrefix(p string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	if p == "/" {
		return "/%"
	}
	return r.Replace(p) + "/%"
}

// UpdateFolder changes a folder's modes and/or moves it. Moving keeps every
// asset's publish state (SEL-8); asset ids do not depend on folders.
func (d *DB) UpdateFolder(ctx context.Context, c *vitrine.Company, p string, patch FolderPatch) (*vitrine.Folder, error) {
	p, err := vitrine.CleanFolderPath(p)
	if err != nil {
		return nil, err
	}
	if err := patch.CheckModes(); err != nil {
		return nil, err
	}
	var f *vitrine.Folder
	err = d.inTx(ctx, func(tx *Tx) error {
		if f, err = tx.folder(ctx, c.ID, p); err != nil {
			return err
		}
		if patch.SyncMode != nil {
			f.SyncMode = *patch.SyncMode
		}
		if patch.PublishMode != nil {
			f.PublishMode = *patch.PublishMode
		}
		if _, err := tx.exec(ctx, `UPDATE folders SET sync_mode = ?, publish_mode = ? WHERE id = ?`,
			string(f.SyncMode), string(f.PublishMode), f.ID); err != nil {
			return err
		}
		if patch.Path != nil {
			to, err := vitrine.CleanFolderPath(*patch.Path)
			if err != nil {
				return err
			}
			if err := tx.moveFolder(ctx, c.ID, f, to); err != nil {
				return err
			}
			p = to
		}
		e, err := tx.effective(ctx, c, p)
		f.Effective = &e
		return err
	})
	return f, err
}

func (tx *Tx) moveFolder(ctx context.Context, companyID int64, f *vitrine.Folder, to string) error {
	from := f.Path
	switch {
	case from == "/":
		return vitrine.Errorf(vitrine.EINVALID, "the root folder cannot be moved")
	case to == from:
		return nil
	case strings.HasPrefix(to+"/", from+"/"):
		return vitrine.Errorf(vitrine.EINVALID, "cannot move %s into itself", from)
	}
	if _, err := tx.folder(ctx, companyID, to); err == nil {
		return vitrine.Errorf(vitrine.ECONFLICT, "folder %s already exists", to)
	}
	parent, err := tx.ensureFolder(ctx, companyID, path.Dir(to))
	if err != nil {
		return err
	}
	// Rewrite the subtree's paths: the folder itself, then its descendants.
	if _, err := tx.exec(ctx, `UPDATE folders SET path = ?, parent_id = ? WHERE id = ?`, to, parent.ID, f.ID); err != nil {
		return err
	}
	// substr and length count characters in both engines; len() counts bytes.
	_, err = tx.exec(ctx, `UPDATE folders SET path = ? || substr(path, length(?) + 1) WHERE company_id = ? AND path LIKE ? ESCAPE '\'`,
		to, from, companyID, likePrefix(from))
	f.Path, f.ParentID = to, &parent.ID
	return err
}

// DeleteFolder deletes an empty folder (no subfolders, no assets, trashed ones included).
func (d *DB) DeleteFolder(ctx context.Context, c *vitrine.Company, p string) error {
	p, err := vitrine.CleanFolderPath(p)
	if err != nil {
		return err
	}
	if p == "/" {
		return vitrine.Errorf(vitrine.EINVALID, "the root folder cannot be deleted")
	}
	return d.inTx(ctx, func(tx *Tx) error {
		f, err := tx.folder(ctx, c.ID, p)
		if err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM folders WHERE parent_id = ?) + (SELECT COUNT(*) FROM assets WHERE folder_id = ?)`,
			f.ID, f.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return vitrine.Errorf(vitrine.ECONFLICT, "folder %s is not empty", p)
		}
		_, err = tx.exec(ctx, `DELETE FROM folders WHERE id = ?`, f.ID)
		return err
	})
}
