package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/vitrine/vitrine"
)

// manifest is a set's saved state: the content of a set version. Members
// are kept by asset id, so renaming a member never breaks a set.
type manifest struct {
	Type    vitrine.AssetType `json:"type"`
	Rows    int               `json:"rows,omitempty"`
	Columns int               `json:"columns,omitempty"`
	Source  int64             `json:"source,omitempty"`
	Members []manifestMember  `json:"members"`
}

type manifestMember struct {
	ID       int64    `json:"id"`
	SwatchID int64    `json:"swatch_id,omitempty"`
	Color    string   `json:"color,omitempty"`
	Label    string   `json:"label,omitempty"`
	Crop     string   `json:"crop,omitempty"`
	Keywords []string `json:"keywords,omitempty"`
	Text     string   `json:"text,omitempty"`
}

// SaveSet creates (create true: POST /sets) or replaces (PUT /sets/{name})
// a set, and applies Publish after save (PUB-5), all in one transaction.
// Each save is a new version of the set asset: its manifest, the member
// list, is what the catalog points to. With the checkbox on, the set and
// its members are published as by a publish action, cascade included;
// with it off, publish state is left alone, so a new set stays unpublished
// and a published set stays published at its new version (with instant
// publish) while new members keep their own state.
func (d *DB) SaveSet(ctx context.Context, p *vitrine.Principal, spec vitrine.SetSpec, create bool) (*SetResult, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	out := &SetResult{}
	err := d.inTx(ctx, func(tx *Tx) error {
		c, err := tx.company(ctx, `id = ?`, p.Company.ID)
		if err != nil {
			return err
		}
		a, err := tx.setAsset(ctx, c, &spec, create)
		if err != nil {
			return err
		}
		m, err := tx.resolveSet(ctx, a, &spec)
		if err != nil {
			return err
		}
		if err := tx.writeSetVersion(ctx, a, m, actorOf(p)); err != nil {
			return err
		}
		if spec.PublishesAfterSave() {
			res, err := tx.publish(ctx, p, Publication{Action: vitrine.ActionPublish, Assets: []string{a.Name}})
			if err != nil {
				return err
			}
			out.Results, out.Changes = res.Results, res.Changes
		} else if vitrine.GoesLiveNow(c.Settings, false, false) {
			// Unchecked never unpublishes: a published set moves to the
			// version just saved, an unpublished one stays out.
			if out.Changes, err = tx.reconcile(ctx, a, ReconcileFull, actorOf(p)); err != nil {
				return err
			}
		}
		out.Set, err = tx.set(ctx, a)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// setAsset returns the asset a save writes: a new one for create, else the
// existing set of that name and type.
func (tx *Tx) setAsset(ctx context.Context, c *vitrine.Company, spec *vitrine.SetSpec, create bool) (*vitrine.Asset, error) {
	if !create {
		a, err := tx.asset(ctx, c.ID, spec.Name)
		switch {
		case err != nil:
			return nil, err
		case !a.Type.IsSet():
			return nil, vitrine.Errorf(vitrine.ECONFLICT, "asset %q is a %s, not a set", a.Name, a.Type)
		case a.Type != spec.Type:
			return nil, vitrine.Errorf(vitrine.EINVALID, "set %q is a %s; a set's type cannot change", a.Name, a.Type)
		case a.Trashed():
			return nil, vitrine.Errorf(vitrine.ECONFLICT, "set %q is in the Trash; restore it first", a.Name)
		}
		return a, nil
	}
	fp, err := vitrine.CleanFolderPath(spec.Folder)
	if err != nil {
		return nil, err
	}
	f, err := tx.ensureFolder(ctx, c.ID, fp)
	if err != nil {
		return nil, err
	}
	eff, err := tx.effective(ctx, c, fp)
	if err != nil {
		return nil, err
	}
	a := &vitrine.Asset{CompanyID: c.ID, Name: spec.Name, Type: spec.Type, FolderID: f.ID, Folder: f.Path,
		SyncMode: eff.SyncMode, PublishMode: eff.PublishMode, CreatedAt: tx.now, UpdatedAt: tx.now}
	a.ID, err = tx.insert(ctx, `INSERT INTO assets (company_id, name, type, folder_id, ext, current_version, sync_mode, publish_mode, created_at, updated_at)
		VALUES (?, ?, ?, ?, '', 0, ?, ?, ?, ?)`, c.ID, a.Name, string(a.Type), f.ID, string(a.SyncMode), string(a.PublishMode),
		toMicros(tx.now), toMicros(tx.now))
	if isConflict(translate(err)) {
		return nil, vitrine.Errorf(vitrine.ECONFLICT, "asset %q already exists", a.Name)
	} else if err != nil {
		return nil, fmt.Errorf("insert set %s: %w", a.Name, err)
	}
	if _, err := tx.exec(ctx, `INSERT INTO sets (asset_id) VALUES (?)`, a.ID); err != nil {
		return nil, fmt.Errorf("insert set %s: %w", a.Name, err)
	}
	return a, nil
}

// writeSetVersion stores m as the set's next version and its current
// member list. Saving the same content again adds no version.
func (tx *Tx) writeSetVersion(ctx context.Context, a *vitrine.Asset, m *manifest, by actor) error {
	body, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encode set manifest: %w", err)
	}
	sum := sha256.Sum256(body)
	digest := hex.EncodeToString(sum[:])
	if a.Version > 0 {
		cur, err := tx.version(ctx, a.ID, a.Version)
		if err != nil {
			return err
		}
		if cur.SHA256 == digest {
			return nil
		}
	}
	a.Version++
	vid, err := tx.insert(ctx, `INSERT INTO versions (asset_id, number, sha256, size, format, mime, width, height, filename, created_by, created_at)
		VALUES (?, ?, ?, ?, 'set', 'application/json', 0, 0, ?, ?, ?)`, a.ID, a.Version, digest, len(body), a.Name+".json",
		nullID(by.UserID), toMicros(tx.now))
	if err != nil {
		return fmt.Errorf("insert set version: %w", err)
	}
	if _, err := tx.exec(ctx, `INSERT INTO set_versions (version_id, manifest) VALUES (?, ?)`, vid, string(body)); err != nil {
		return fmt.Errorf("insert set manifest: %w", err)
	}
	if _, err := tx.exec(ctx, `UPDATE assets SET current_version = ?, updated_at = ? WHERE id = ?`, a.Version, toMicros(tx.now), a.ID); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE sets SET rows_n = ?, columns_n = ?, source_id = ? WHERE asset_id = ?`,
		m.Rows, m.Columns, nullID(m.Source), a.ID); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM set_members WHERE set_id = ?`, a.ID); err != nil {
		return err
	}
	rows := make([][]any, len(m.Members))
	for i, mm := range m.Members {
		rows[i] = []any{a.ID, i, mm.ID, nullID(mm.SwatchID), mm.Color, mm.Label, mm.Crop, strings.Join(mm.Keywords, "\n"), mm.Text}
	}
	return tx.insertRows(ctx, setMembersInsert, rows)
}

var setMembersInsert = bulk{table: "set_members",
	cols:  []string{"set_id", "position", "member_id", "swatch_id", "swatch_color", "swatch_label", "swatch_crop", "keywords", "page_text"},
	types: []string{"bigint", "integer", "bigint", "bigint", "text", "text", "text", "text", "text"}}

// setManifest reads the manifest of a set version.
func (tx *Tx) setManifest(ctx context.Context, versionID int64) (*manifest, error) {
	var body string
	if err := tx.queryRow(ctx, `SELECT manifest FROM set_versions WHERE version_id = ?`, versionID).Scan(&body); err != nil {
		return nil, fmt.Errorf("read set manifest %d: %w", versionID, err)
	}
	m := &manifest{}
	if err := json.Unmarshal([]byte(body), m); err != nil {
		return nil, fmt.Errorf("decode set manifest %d: %w", versionID, err)
	}
	return m, nil
}

// copySet gives a copy of a set (Copy, SEL-8) the set's content: its
// attributes, its current members and, for its version 1, the manifest
// of the version copied.
func (tx *Tx) copySet(ctx context.Context, src *vitrine.Asset, v *vitrine.Version, dstID int64) error {
	var dstVersion int64
	if err := tx.queryRow(ctx, `SELECT id FROM versions WHERE asset_id = ? AND number = 1`, dstID).Scan(&dstVersion); err != nil {
		return fmt.Errorf("copy set %s: %w", src.Name, err)
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO set_versions (version_id, manifest) SELECT ?, manifest FROM set_versions WHERE version_id = ?`, []any{dstVersion, v.ID}},
		{`INSERT INTO sets (asset_id, rows_n, columns_n, source_id) SELECT ?, rows_n, columns_n, source_id FROM sets WHERE asset_id = ?`, []any{dstID, src.ID}},
		{`INSERT INTO set_members (set_id, position, member_id, swatch_id, swatch_color, swatch_label, swatch_crop, keywords, page_text)
			SELECT ?, position, member_id, swatch_id, swatch_color, swatch_label, swatch_crop, keywords, page_text FROM set_members WHERE set_id = ?`, []any{dstID, src.ID}},
	} {
		if _, err := tx.exec(ctx, q.sql, q.args...); err != nil {
			return fmt.Errorf("copy set %s: %w", src.Name, err)
		}
	}
	return nil
}
