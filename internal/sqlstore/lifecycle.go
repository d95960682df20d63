package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/vitrine/vitrine"
)

// Trash moves an asset to the Trash (UP-6): it leaves the catalog at once,
// its id stays reserved, and it is purged after the company's trash days.
func (d *DB) Trash(ctx context.Context, p *vitrine.Principal, name string) ([]CatalogChange, error) {
	var changes []CatalogChange
	err := d.inTx(ctx, func(tx *Tx) error {
		a, err := tx.asset(ctx, p.Company.ID, name)
		if err != nil {
			return err
		}
		if a.Trashed() {
			return vitrine.Errorf(vitrine.ECONFLICT, "asset %q is already in the Trash", name)
		}
		a.TrashedAt = &tx.now
		if _, err := tx.exec(ctx, `UPDATE assets SET trashed_at = ?, updated_at = ? WHERE id = ?`, toMicros(tx.now), toMicros(tx.now), a.ID); err != nil {
			return err
		}
		if changes, err = tx.reconcile(ctx, a, ReconcileFull, actorOf(p)); err != nil {
			return err
		}
		// Derived images go with their parent; a set's members stay (UP-6).
		derived, err := tx.trashDerived(ctx, a, actorOf(p))
		changes = append(changes, derived...)
		return err
	})
	return changes, err
}

// Restore takes an asset out of the Trash, with the publish state it had,
// and returns the catalog changes (with instant publish on, its marked
// destinations go live again).
func (d *DB) Restore(ctx context.Context, p *vitrine.Principal, name string) (*vitrine.Asset, []CatalogChange, error) {
	var a *vitrine.Asset
	var changes []CatalogChange
	err := d.inTx(ctx, func(tx *Tx) error {
		c, err := tx.company(ctx, `id = ?`, p.Company.ID)
		if err != nil {
			return err
		}
		if a, err = tx.asset(ctx, p.Company.ID, name); err != nil {
			return err
		}
		if !a.Trashed() {
			return vitrine.Errorf(vitrine.ECONFLICT, "asset %q is not in the Trash", name)
		}
		trashedAt := toMicros(*a.TrashedAt)
		a.TrashedAt = nil
		if _, err := tx.exec(ctx, `UPDATE assets SET trashed_at = NULL, updated_at = ? WHERE id = ?`, toMicros(tx.now), a.ID); err != nil {
			return err
		}
		derived, err := tx.restoreDerived(ctx, a, trashedAt)
		if err != nil {
			return err
		}
		if vitrine.GoesLiveNow(c.Settings, false, false) {
			if changes, err = tx.reconcileMany(ctx, append([]*vitrine.Asset{a}, derived...), ReconcileFull, actorOf(p)); err != nil {
				return err
			}
		}
		return tx.detail(ctx, a)
	})
	return a, changes, err
}

// PurgeTrash deletes the assets of every company that have been in the
// Trash longer than its trash days, and returns the blob digests no version
// refers to any more, for the caller to delete from the blob store.
func (d *DB) PurgeTrash(ctx context.Context, now time.Time) (purged int, orphans []string, err error) {
	companies, err := d.Companies(ctx)
	if err != nil {
		return 0, nil, err
	}
	err = d.inTx(ctx, func(tx *Tx) error {
		for _, c := range companies {
			cutoff := now.Add(-time.Duration(c.Settings.TrashDays) * 24 * time.Hour)
			rows, err := tx.query(ctx, `SELECT DISTINCT v.sha256 FROM versions v JOIN assets a ON a.id = v.asset_id
				WHERE a.company_id = ? AND a.trashed_at IS NOT NULL AND a.trashed_at < ?`, c.ID, toMicros(cutoff))
			if err != nil {
				return err
			}
			var shas []string
			for rows.Next() {
				var s string
				if err := rows.Scan(&s); err != nil {
					rows.Close()
					return err
				}
				shas = append(shas, s)
			}
			rows.Close()
			res, err := tx.exec(ctx, `DELETE FROM assets WHERE company_id = ? AND trashed_at IS NOT NULL AND trashed_at < ?`, c.ID, toMicros(cutoff))
			if err != nil {
				return fmt.Errorf("purge trash of %s: %w", c.RootID, err)
			}
			n, _ := res.RowsAffected()
			purged += int(n)
			for _, s := range shas {
				var refs int
				if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM versions WHERE sha256 = ?`, s).Scan(&refs); err != nil {
					return err
				}
				if refs == 0 {
					orphans = append(orphans, s)
				}
			}
		}
		return nil
	})
	return purged, orphans, err
}

// Copy makes an unpublished copy of an asset's current version (SEL-8) in
// folder, named newName or, when empty, the next free name-N.
func (d *DB) Copy(ctx context.Context, p *vitrine.Principal, name, folder, newName string) (*vitrine.Asset, error) {
	var out *vitrine.Asset
	err := d.inTx(ctx, func(tx *Tx) error {
		src, err := tx.asset(ctx, p.Company.ID, name)
		if err != nil {
			return err
		}
		if src.Trashed() {
			return vitrine.Errorf(vitrine.ECONFLICT, "asset %q is in the Trash; restore it before copying", name)
		}
		if src.Version == 0 {
			return vitrine.Errorf(vitrine.EINVALID, "asset %q has no file to copy", name)
		}
		c, err := tx.company(ctx, `id = ?`, p.Company.ID)
		if err != nil {
			return err
		}
		if folder == "" {
			folder = src.Folder
		}
		fp, err := vitrine.CleanFolderPath(folder)
		if err != nil {
			return err
		}
		f, err := tx.ensureFolder(ctx, c.ID, fp)
		if err != nil {
			return err
		}
		if newName == "" {
			if newName, err = tx.freeName(ctx, c.ID, name); err != nil {
				return err
			}
		} else if newName, err = vitrine.CleanAssetName(newName); err != nil {
			return err
		}
		eff, err := tx.effective(ctx, c, fp)
		if err != nil {
			return err
		}
		v, err := tx.version(ctx, src.ID, src.Version)
		if err != nil {
			return err
		}
		kw, err := json.Marshal(src.Keywords)
		if err != nil {
			return fmt.Errorf("encode keywords: %w", err)
		}
		// The copy keeps the title and keywords; its publish state is new (SEL-8).
		id, err := tx.insert(ctx, `INSERT INTO assets (company_id, name, type, folder_id, ext, current_version, sync_mode, publish_mode, created_at, updated_at, title, keywords)
			VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)`, c.ID, newName, string(src.Type), f.ID, src.Ext, string(eff.SyncMode), string(eff.PublishMode),
			toMicros(tx.now), toMicros(tx.now), src.Title, string(kw))
		if isConflict(translate(err)) {
			return vitrine.Errorf(vitrine.ECONFLICT, "asset %q already exists", newName)
		} else if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO versions (asset_id, number, sha256, size, format, mime, width, height, filename, created_by, created_at)
			VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, v.SHA256, v.Size, v.Format, v.MIME, v.Width, v.Height, v.Filename,
			nullID(p.User.ID), toMicros(tx.now)); err != nil {
			return err
		}
		if src.Type.IsSet() { // a set's content is its manifest and members (set.go)
			if err := tx.copySet(ctx, src, v, id); err != nil {
				return err
			}
		}
		if out, err = tx.asset(ctx, c.ID, newName); err != nil {
			return err
		}
		return tx.detail(ctx, out)
	})
	return out, err
}

// Move puts an asset in another folder and/or gives it a new name, keeping
// its publish state (SEL-8). A rename moves the catalog entry with it in the
// same transaction, so the old URL stops serving at once.
func (d *DB) Move(ctx context.Context, p *vitrine.Principal, name, folder, newName string) (*vitrine.Asset, []CatalogChange, error) {
	var out *vitrine.Asset
	var changes []CatalogChange
	err := d.inTx(ctx, func(tx *Tx) (err error) {
		out, changes, err = tx.move(ctx, p, name, folder, newName)
		return err
	})
	return out, changes, err
}

func (tx *Tx) move(ctx context.Context, p *vitrine.Principal, name, folder, newName string) (*vitrine.Asset, []CatalogChange, error) {
	var out *vitrine.Asset
	var changes []CatalogChange
	err := func() error {
		a, err := tx.asset(ctx, p.Company.ID, name)
		if err != nil {
			return err
		}
		c, err := tx.company(ctx, `id = ?`, p.Company.ID)
		if err != nil {
			return err
		}
		oldName := a.Name
		if folder != "" {
			fp, err := vitrine.CleanFolderPath(folder)
			if err != nil {
				return err
			}
			f, err := tx.ensureFolder(ctx, p.Company.ID, fp)
			if err != nil {
				return err
			}
			// The new folder decides whether the asset is synced for
			// delivery (SEL-7's advice: move it to a synced folder); its
			// publish mode stays as set at upload (SEL-3).
			eff, err := tx.effective(ctx, c, fp)
			if err != nil {
				return err
			}
			a.FolderID, a.Folder, a.SyncMode = f.ID, f.Path, eff.SyncMode
		}
		if newName != "" {
			if newName, err = vitrine.CleanAssetName(newName); err != nil {
				return err
			}
			a.Name = newName
			// Record the old URL going away before the row is renamed: for
			// the edges, and in history (PUB-7).
			if newName != oldName {
				changes = append(changes, CatalogChange{Asset: oldName, Action: vitrine.HistUnpublished})
				if err := tx.historyReferents(ctx, []int64{a.CompanyID}, []int64{a.ID}, 0, p.User.ID); err != nil {
					return err
				}
				if _, err := tx.exec(ctx, `INSERT INTO history (company_id, asset_id, asset_name, version, context, destination, action, job_id, user_id, user_name, at)
					SELECT c.company_id, c.asset_id, c.name, v.number, c.context, c.destination, ?, NULL, ?, ?, ?
					FROM catalog c JOIN versions v ON v.id = c.version_id WHERE c.asset_id = ?`,
					vitrine.HistUnpublished, nullID(p.User.ID), p.User.Name, toMicros(tx.now), a.ID); err != nil {
					return fmt.Errorf("history of the old name: %w", err)
				}
			}
		}
		_, err = tx.exec(ctx, `UPDATE assets SET folder_id = ?, name = ?, sync_mode = ?, updated_at = ? WHERE id = ?`,
			a.FolderID, a.Name, string(a.SyncMode), toMicros(tx.now), a.ID)
		if isConflict(translate(err)) {
			return vitrine.Errorf(vitrine.ECONFLICT, "asset %q already exists", newName)
		} else if err != nil {
			return err
		}
		// The catalog follows the name whatever the instant-publish setting:
		// leaving the old name live would be Scene7's orphan-URL bug. With
		// instant publish off only the name moves; pending versions and
		// intents wait for the next publish job (PUB-1). An asset moved into
		// an excluded folder leaves the catalog at once.
		if vitrine.GoesLiveNow(c.Settings, false, a.SyncMode == vitrine.SyncExclude) {
			ch, err := tx.reconcile(ctx, a, ReconcileFull, actorOf(p))
			if err != nil {
				return err
			}
			changes = append(changes, ch...)
		} else if a.Name != oldName {
			if _, err := tx.exec(ctx, `UPDATE catalog SET name = ? WHERE asset_id = ?`, a.Name, a.ID); err != nil {
				return err
			}
		}
		out = a
		return tx.detail(ctx, out)
	}()
	return out, changes, err
}
