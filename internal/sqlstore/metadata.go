package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/vitrine/vitrine"
)

// MetadataPatch changes an asset's descriptive metadata; nil fields stay.
type MetadataPatch struct {
	Title    *string
	Keywords *[]string
}

// UpdateMetadata sets an asset's title and keywords. Metadata is not
// delivered, so the catalog does not change.
func (d *DB) UpdateMetadata(ctx context.Context, p *vitrine.Principal, name string, m MetadataPatch) (*vitrine.Asset, error) {
	if m.Title != nil && len(*m.Title) > 1024 {
		return nil, vitrine.Errorf(vitrine.EINVALID, "title is longer than 1024 bytes")
	}
	var kw []byte
	if m.Keywords != nil {
		clean, err := vitrine.CheckKeywords(*m.Keywords)
		if err != nil {
			return nil, err
		}
		if kw, err = json.Marshal(clean); err != nil {
			return nil, fmt.Errorf("encode keywords: %w", err)
		}
	}
	var a *vitrine.Asset
	err := d.inTx(ctx, func(tx *Tx) (err error) {
		if a, err = tx.asset(ctx, p.Company.ID, name); err != nil {
			return err
		}
		if m.Title != nil {
			if _, err := tx.exec(ctx, `UPDATE assets SET title = ?, updated_at = ? WHERE id = ?`, *m.Title, toMicros(tx.now), a.ID); err != nil {
				return err
			}
		}
		if kw != nil {
			if _, err := tx.exec(ctx, `UPDATE assets SET keywords = ?, updated_at = ? WHERE id = ?`, string(kw), toMicros(tx.now), a.ID); err != nil {
				return err
			}
		}
		if a, err = tx.asset(ctx, p.Company.ID, name); err != nil {
			return err
		}
		return tx.detail(ctx, a)
	})
	return a, err
}
