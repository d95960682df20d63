package sqlstore

import (
	"context"

	"github.com/vitrine/vitrine"
)

// PlanPublication lists every asset a publication would affect with its
// publish target, without changing anything. The apply step is Publish with
// the (possibly reduced) list of asset names.
func (d *DB) PlanPublication(ctx context.Context, p *vitrine.Principal, pub Publication) ([]PlanItem, error) {
	if err := pub.Validate(); err != nil {
		return nil, err
	}
	out := []PlanItem{}
	err := d.read(ctx, func(tx *Tx) error {
		assets, err := tx.selectAssets(ctx, p.Company.ID, pub.Assets, pub.Folders)
		if err != nil {
			return err
		}
		var notes map[int64]string
		if pub.Cascades() {
			// What publishes with the selection is on the scope page too,
			// so it can be deselected (SEL-5).
			if assets, notes, err = tx.withCascade(ctx, assets); err != nil {
				return err
			}
		}
		for _, a := range assets {
			it := vitrine.PlanFor(pub.Action, a)
			if n := notes[a.ID]; n != "" && !it.Blocked {
				it.Reason = n + "; " + it.Reason
			}
			out = append(out, it)
		}
		return nil
	})
	return out, err
}
