package sqlstore

import (
	"context"
	"fmt"

	"github.com/vitrine/vitrine"
)

// PlanItem is one asset of a Manage Publication plan (SEL-5): what the action
// would do to it, and why.
type PlanItem struct {
	Name        string              `json:"name"`
	Folder      string              `json:"folder"`
	Type        vitrine.AssetType   `json:"type"`
	PublishMode vitrine.PublishMode `json:"publish_mode"`
	Target      string              `json:"target"` // "preview and delivery", "preview", "delivery", "none"
	Reason      string              `json:"reason"`
	Blocked     bool                `json:"blocked,omitempty"` // the action would fail for this asset
}

// PlanPublication lists every asset a publication would affect with its
// publish target, without changing anything. The apply step is Publish with
// the (possibly reduced) list of asset names.
func (d *DB) PlanPublication(ctx context.Context, p *vitrine.Principal, pub Publication) ([]PlanItem, error) {
	if !pub.Action.Valid() {
		return nil, vitrine.Errorf(vitrine.EINVALID, "action %q is not one of publish, unpublish, publish_delivery, unpublish_delivery", pub.Action)
	}
	if len(pub.Assets) == 0 && len(pub.Folders) == 0 {
		return nil, vitrine.Errorf(vitrine.EINVALID, "name at least one asset or folder")
	}
	out := []PlanItem{}
	err := d.read(ctx, func(tx *Tx) error {
		assets, err := tx.selectAssets(ctx, p.Company.ID, pub.Assets, pub.Folders)
		if err != nil {
			return err
		}
		var notes map[int64]string
		if pub.Action.Marks() {
			// What publishes with the selection is on the scope page too,
			// so it can be deselected (SEL-5).
			if assets, notes, err = tx.withCascade(ctx, assets); err != nil {
				return err
			}
		}
		for _, a := range assets {
			it := planItem(pub.Action, a)
			if n := notes[a.ID]; n != "" && !it.Blocked {
				it.Reason = n + "; " + it.Reason
			}
			out = append(out, it)
		}
		return nil
	})
	return out, err
}

func planItem(action vitrine.Action, a *vitrine.Asset) PlanItem {
	it := PlanItem{Name: a.Name, Folder: a.Folder, Type: a.Type, PublishMode: a.PublishMode}
	targets := action.Targets(a.PublishMode)
	it.Target = TargetLabel(targets)
	switch {
	case a.Trashed() && action.Marks():
		it.Target, it.Blocked, it.Reason = "none", true, "asset is in the Trash"
	case a.SyncMode == vitrine.SyncExclude && (action.Marks() || action == vitrine.ActionUnpublishDelivery):
		it.Target, it.Blocked, it.Reason = "none", true, "asset is not synced for delivery; move it to a synced folder or reprocess it"
	case len(targets) == 0:
		it.Reason = fmt.Sprintf("%s has no effect in publish mode %s", action, a.PublishMode)
	case a.PublishMode == vitrine.PublishSelective:
		it.Reason = "publish mode selective: destinations are independent"
	default:
		it.Reason = fmt.Sprintf("publish mode %s: preview and delivery together", a.PublishMode)
	}
	return it
}

// TargetLabel names a set of destinations as the UI shows it.
func TargetLabel(ds []vitrine.Destination) string {
	var del, pre bool
	for _, d := range ds {
		del = del || d == vitrine.DestDelivery
		pre = pre || d == vitrine.DestPreview
	}
	switch {
	case del && pre:
		return "preview and delivery"
	case del:
		return "delivery"
	case pre:
		return "preview"
	}
	return "none"
}
