package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/vitrine/vitrine"
)

// UpdateMetadata sets an asset's title and keywords. Metadata is not
// delivered, so the catalog does not change.
func (d *DB) UpdateMetadata(ctx context.Context, p *vitrine.Principal, name string, m MetadataPatch) (*vitrine.Asset, error) {
	kw, err := checkMetadata(m)
	if err != nil {
		return nil, err
	}
	var a *vitrine.Asset
	err = d.inTx(ctx, func(tx *Tx) (err error) {
		a, err = tx.updateMetadata(ctx, p, name, m.Title, kw)
		return err
	})
	return a, err
}

// checkMetadata validates a patch and encodes its keywords (nil: unchanged).
func checkMetadata(m MetadataPatch) ([]byte, error) {
	if m.Title != nil && len(*m.Title) > 1024 {
		return nil, vitrine.Errorf(vitrine.EINVALID, "title is longer than 1024 bytes")
	}
	if m.Keywords == nil {
		return nil, nil
	}
	clean, err := vitrine.CheckKeywords(*m.Keywords)
	if err != nil {
		return nil, err
	}
	kw, err := json.Marshal(clean)
	if err != nil {
		return nil, fmt.Errorf("encode keywords: %w", err)
	}
	return kw, nil
}

// EditAsset changes metadata and moves or renames an asset in one
// transaction: a refused rename leaves the metadata as it was.
func (d *DB) EditAsset(ctx context.Context, p *vitrine.Principal, name string, m MetadataPatch, folder, newName string) (*vitrine.Asset, []CatalogChange, error) {
	kw, err := checkMetadata(m)
	if err != nil {
		return nil, nil, err
	}
	var a *vitrine.Asset
	var changes []CatalogChange
	err = d.inTx(ctx, func(tx *Tx) (err error) {
		if m.Title != nil || kw != nil {
			if a, err = tx.updateMetadata(ctx, p, name, m.Title, kw); err != nil {
				return err
			}
		}
		if folder != "" || newName != "" {
			a, changes, err = tx.move(ctx, p, name, folder, newName)
		}
		return err
	})
	if err == nil && a == nil {
		err = vitrine.Errorf(vitrine.EINVALID, "nothing to change: send title, keywords, folder or name")
	}
	return a, changes, err
}

func (tx *Tx) updateMetadata(ctx context.Context, p *vitrine.Principal, name string, title *string, kw []byte) (*vitrine.Asset, error) {
	a, err := tx.asset(ctx, p.Company.ID, name)
	if err != nil {
		return nil, err
	}
	if title != nil {
		if _, err := tx.exec(ctx, `UPDATE assets SET title = ?, updated_at = ? WHERE id = ?`, *title, toMicros(tx.now), a.ID); err != nil {
			return nil, err
		}
	}
	if kw != nil {
		if _, err := tx.exec(ctx, `UPDATE assets SET keywords = ?, updated_at = ? WHERE id = ?`, string(kw), toMicros(tx.now), a.ID); err != nil {
			return nil, err
		}
	}
	if a, err = tx.asset(ctx, p.Company.ID, name); err != nil {
		return nil, err
	}
	return a, tx.detail(ctx, a)
}
