package sqlstore

import (
	"context"
	"fmt"

	"github.com/vitrine/vitrine"
)

// Derive records a derived image made from parent by a recipe (the file's
// bytes are already in the blob store), in one transaction:
//
//   - with ReplaceOriginal, f becomes the parent's next version; a
//     published parent goes live at it at once (PUB-6, instant publish);
//   - otherwise f becomes asset d.Name, in the parent's folder and modes,
//     linked to the parent with its recipe (Built & Derivatives). Deriving
//     again under the same name adds a version. A new derived image of a
//     published parent is published with it, where the parent is (PUB-3);
//     a video's thumbnail goes to the image context.
//
// The parent is an image, or a video for thumbnails; a trashed parent is
// refused.
func (d *DB) Derive(ctx context.Context, p *vitrine.Principal, parent string, der vitrine.Derivation, f vitrine.NewFile) (*DeriveResult, error) {
	if f.Type != vitrine.TypeImage {
		return nil, vitrine.Errorf(vitrine.EINVALID, "a derived asset must be an image, not %s", f.Type)
	}
	out := &DeriveResult{}
	err := d.inTx(ctx, func(tx *Tx) error {
		c, err := tx.company(ctx, `id = ?`, p.Company.ID)
		if err != nil {
			return err
		}
		pa, err := tx.asset(ctx, c.ID, parent)
		switch {
		case err != nil:
			return err
		case pa.Trashed():
			return vitrine.Errorf(vitrine.ECONFLICT, "asset %q is in the Trash; restore it first", parent)
		case pa.Type != vitrine.TypeImage && pa.Type != vitrine.TypeVideo:
			return vitrine.Errorf(vitrine.EINVALID, "asset %q is a %s; images are derived from images and videos", parent, pa.Type)
		case der.ReplaceOriginal && pa.Type != vitrine.TypeImage:
			return vitrine.Errorf(vitrine.EINVALID, "only an image can be replaced by a derived image")
		}
		by := actorOf(p)
		a := pa
		if !der.ReplaceOriginal {
			if a, err = tx.derivedAsset(ctx, pa, der, f); err != nil {
				return err
			}
		}
		if a.Version > 0 {
			cur, err := tx.version(ctx, a.ID, a.Version)
			if err != nil {
				return err
			}
			if cur.SHA256 == f.SHA256 { // the same bytes again: nothing to do
				out.Asset = a
				return tx.detail(ctx, a)
			}
		}
		if err := tx.insertVersion(ctx, a, f, by); err != nil {
			return err
		}
		if a != pa && a.Version == 1 {
			if err := tx.inheritIntents(ctx, pa, a); err != nil {
				return err
			}
		}
		if vitrine.GoesLiveNow(c.Settings, false, false) {
			if out.Changes, err = tx.reconcile(ctx, a, ReconcileFull, by); err != nil {
				return err
			}
		}
		out.Asset = a
		return tx.detail(ctx, a)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// derivedAsset returns the asset a derivation writes: the existing derived
// image of that name and parent, or a new one.
func (tx *Tx) derivedAsset(ctx context.Context, pa *vitrine.Asset, der vitrine.Derivation, f vitrine.NewFile) (*vitrine.Asset, error) {
	ex, err := tx.asset(ctx, pa.CompanyID, der.Name)
	if err == nil {
		var parentID int64
		if err := tx.queryRow(ctx, `SELECT COALESCE(parent_id, 0) FROM assets WHERE id = ?`, ex.ID).Scan(&parentID); err != nil {
			return nil, err
		}
		if parentID != pa.ID || ex.Trashed() {
			return nil, vitrine.Errorf(vitrine.ECONFLICT, "asset %q already exists", der.Name)
		}
		_, err := tx.exec(ctx, `UPDATE assets SET recipe = ?, ext = ?, updated_at = ? WHERE id = ?`, der.Recipe, f.Ext, toMicros(tx.now), ex.ID)
		return ex, err
	} else if vitrine.ErrorCode(err) != vitrine.ENOTFOUND {
		return nil, err
	}
	a := &vitrine.Asset{CompanyID: pa.CompanyID, Name: der.Name, Type: f.Type, FolderID: pa.FolderID, Folder: pa.Folder, Ext: f.Ext,
		SyncMode: pa.SyncMode, PublishMode: pa.PublishMode, CreatedAt: tx.now, UpdatedAt: tx.now}
	a.ID, err = tx.insert(ctx, `INSERT INTO assets (company_id, name, type, folder_id, ext, current_version, sync_mode, publish_mode,
		parent_id, recipe, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)`, a.CompanyID, a.Name, string(a.Type),
		a.FolderID, a.Ext, string(a.SyncMode), string(a.PublishMode), pa.ID, der.Recipe, toMicros(tx.now), toMicros(tx.now))
	if isConflict(translate(err)) {
		return nil, vitrine.Errorf(vitrine.ECONFLICT, "asset %q already exists", der.Name)
	} else if err != nil {
		return nil, fmt.Errorf("insert derived %s: %w", der.Name, err)
	}
	return a, nil
}

// inheritIntents marks a new derived image where its parent is marked: a
// derived image is published with its parent (PUB-3).
func (tx *Tx) inheritIntents(ctx context.Context, parent, a *vitrine.Asset) error {
	intents, err := tx.intents(ctx, parent.ID)
	if err != nil {
		return err
	}
	for _, i := range intents {
		if i.Marked && i.Context == parent.Type.Context() {
			if err := tx.setIntent(ctx, a, i.Destination, true); err != nil {
				return err
			}
		}
	}
	return nil
}

// insertVersion adds f as a's next version and makes it current.
func (tx *Tx) insertVersion(ctx context.Context, a *vitrine.Asset, f vitrine.NewFile, by actor) error {
	a.Version++
	_, err := tx.insert(ctx, `INSERT INTO versions (asset_id, number, sha256, size, format, mime, width, height, filename, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, a.Version, f.SHA256, f.Size, f.Format, f.MIME, f.Width, f.Height,
		f.Filename, nullID(by.UserID), toMicros(tx.now))
	if err != nil {
		return fmt.Errorf("insert version: %w", err)
	}
	_, err = tx.exec(ctx, `UPDATE assets SET current_version = ?, updated_at = ? WHERE id = ?`, a.Version, toMicros(tx.now), a.ID)
	return err
}
