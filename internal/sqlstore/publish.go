package sqlstore

import (
	"context"
	"fmt"
	"sort"

	"github.com/vitrine/vitrine"
)

// Publish marks or unmarks assets for publishing and, with instant publish
// on, brings the catalog along at once (PUB-1). The batch is all or nothing:
// if any asset cannot take the action, nothing changes and the error lists
// every such asset (PUB-8, SEL-7).
func (d *DB) Publish(ctx context.Context, p *vitrine.Principal, pub Publication) (*PublicationResult, error) {
	if err := pub.Validate(); err != nil {
		return nil, err
	}
	var out *PublicationResult
	err := d.inTx(ctx, func(tx *Tx) (err error) {
		out, err = tx.publish(ctx, p, pub)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// publish is Publish inside a transaction, for callers that publish as
// part of a larger change (Publish after save, PUB-5). A marking action
// publishes the selection's cascade with it (PUB-3); unmarking never
// cascades (PUB-4).
func (tx *Tx) publish(ctx context.Context, p *vitrine.Principal, pub Publication) (*PublicationResult, error) {
	out := &PublicationResult{}
	c, err := tx.company(ctx, `id = ?`, p.Company.ID)
	if err != nil {
		return nil, err
	}
	assets, err := tx.selectAssets(ctx, c.ID, pub.Assets, pub.Folders)
	if err != nil {
		return nil, err
	}
	if err := checkPublishable(pub.Action, assets); err != nil {
		return nil, err
	}
	var notes map[int64]string
	if pub.Cascades() {
		if assets, notes, err = tx.withCascade(ctx, assets); err != nil {
			return nil, err
		}
	}
	intents, err := tx.intentsOf(ctx, assets)
	if err != nil {
		return nil, err
	}
	live := pub.LiveNow(c.Settings)
	for _, a := range assets {
		res := vitrine.PublishResult{Name: a.Name, Changed: []vitrine.Destination{}, Note: notes[a.ID]}
		targets := pub.Action.Targets(a.PublishMode)
		if len(targets) == 0 {
			res.Note = fmt.Sprintf("%s has no effect in publish mode %s", pub.Action, a.PublishMode)
		}
		for _, dst := range targets {
			if marked(intents[a.ID], a.Type.Context(), dst) == pub.Action.Marks() {
				if pub.Action.Marks() && !live {
					// Publishing a marked asset again forces it to
					// republish at the next publish job (JOB-3).
					if _, err := tx.exec(ctx, `UPDATE intents SET live = FALSE WHERE asset_id = ? AND context = ? AND destination = ?`,
						a.ID, string(a.Type.Context()), string(dst)); err != nil {
						return nil, err
					}
				}
				continue
			}
			if err := tx.setIntent(ctx, a, dst, pub.Action.Marks()); err != nil {
				return nil, err
			}
			res.Changed = append(res.Changed, dst)
		}
		out.Results = append(out.Results, res)
	}
	if live {
		// The catalog follows in batches: a few statements per thousand
		// assets, not per asset.
		by := actorOf(p)
		if pub.JobID != 0 {
			by.JobID = &pub.JobID
		}
		for start := 0; start < len(assets); start += reconcileChunk {
			ch, err := tx.reconcileMany(ctx, assets[start:min(start+reconcileChunk, len(assets))], ReconcileFull, by)
			if err != nil {
				return nil, err
			}
			out.Changes = append(out.Changes, ch...)
		}
	}
	return out, nil
}

// reconcileChunk bounds the assets of one batch statement (bind
// parameters: SQLite allows 32766, PostgreSQL 65535).
const reconcileChunk = 1000

// intentsOf reads the intents of many assets, a chunk per query.
func (tx *Tx) intentsOf(ctx context.Context, assets []*vitrine.Asset) (map[int64][]vitrine.Intent, error) {
	out := make(map[int64][]vitrine.Intent, len(assets))
	for start := 0; start < len(assets); start += reconcileChunk {
		chunk := assets[start:min(start+reconcileChunk, len(assets))]
		ids := make([]any, len(chunk))
		for i, a := range chunk {
			ids[i] = a.ID
		}
		rows, err := tx.query(ctx, `SELECT asset_id, context, destination, marked FROM intents WHERE asset_id IN (`+
			marks(len(ids))+`)`, ids...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var in vitrine.Intent
			if err := rows.Scan(&id, &in.Context, &in.Destination, &in.Marked); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = append(out[id], in)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func marked(intents []vitrine.Intent, c vitrine.Context, d vitrine.Destination) bool {
	for _, i := range intents {
		if i.Context == c && i.Destination == d {
			return i.Marked
		}
	}
	return false
}

// checkPublishable refuses the whole batch when any asset cannot take the
// action (PUB-8, SEL-7), listing each such asset.
func checkPublishable(action vitrine.Action, assets []*vitrine.Asset) error {
	var details []vitrine.ErrorDetail
	unsynced := false
	for _, a := range assets {
		if why := vitrine.Blocked(action, a); why != "" {
			details = append(details, vitrine.ErrorDetail{Item: a.Name, Message: why})
			unsynced = unsynced || a.SyncMode == vitrine.SyncExclude
		}
	}
	if len(details) == 0 {
		return nil
	}
	e := vitrine.Errorf(vitrine.ECONFLICT, "%d asset(s) cannot be published; nothing was changed", len(details))
	if unsynced {
		e.Message = fmt.Sprintf("asset is not synced for delivery; move it to a synced folder or reprocess it (%d asset(s); nothing was changed)", len(details))
	}
	e.Details = details
	return e
}

// selectAssets resolves names and folders to assets, each once, by name.
// Unknown names fail the whole request.
func (tx *Tx) selectAssets(ctx context.Context, companyID int64, names, folders []string) ([]*vitrine.Asset, error) {
	seen := map[int64]bool{}
	var out []*vitrine.Asset
	var missing []vitrine.ErrorDetail
	byName, err := tx.assetsByName(ctx, companyID, names)
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		a, ok := byName[n]
		if !ok {
			missing = append(missing, vitrine.ErrorDetail{Item: n, Message: "asset not found"})
			continue
		}
		if !seen[a.ID] {
			seen[a.ID] = true
			out = append(out, a)
		}
	}
	if len(missing) > 0 {
		e := vitrine.Errorf(vitrine.ENOTFOUND, "%d asset(s) not found; nothing was changed", len(missing))
		e.Details = missing
		return nil, e
	}
	for _, fp := range folders {
		p, err := vitrine.CleanFolderPath(fp)
		if err != nil {
			return nil, err
		}
		if _, err := tx.folder(ctx, companyID, p); err != nil {
			return nil, err
		}
		rows, err := tx.query(ctx, `SELECT `+assetCols+assetFrom+`WHERE a.company_id = ? AND a.trashed_at IS NULL
			AND (f.path = ? OR f.path LIKE ? ESCAPE '\')`, companyID, p, likePrefix(p))
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			a, err := scanAsset(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			if !seen[a.ID] {
				seen[a.ID] = true
				out = append(out, a)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
