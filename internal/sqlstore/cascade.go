package sqlstore

import (
	"context"
	"fmt"

	"github.com/vitrine/vitrine"
)

// withCascade adds to a marking action's selection what publishes with it
// (PUB-3): a set's members and swatches, recursively through nested sets;
// an image's derived images; a video's thumbnails (its derived images) and
// the video sets made from it, with their encodes. It walks level by level
// and returns the selection followed by what it added, each asset once,
// with a note per added asset naming what brought it in. Added assets
// that cannot be published (trashed, or in an excluded folder) are left
// out rather than failing the batch: the user did not pick them, and a set
// with a trashed member still publishes (PUB-4 has the viewer skip it).
func (tx *Tx) withCascade(ctx context.Context, selected []*vitrine.Asset) ([]*vitrine.Asset, map[int64]string, error) {
	seen := map[int64]bool{}
	for _, a := range selected {
		seen[a.ID] = true
	}
	out := append([]*vitrine.Asset(nil), selected...)
	notes := map[int64]string{}
	level := selected
	for depth := 0; len(level) > 0 && depth <= vitrine.MaxSetDepth+2; depth++ {
		edges, err := tx.cascadeEdges(ctx, level)
		if err != nil {
			return nil, nil, err
		}
		var ids []int64
		from := map[int64]string{}
		for _, e := range edges {
			if !seen[e.child] {
				seen[e.child] = true
				ids = append(ids, e.child)
				from[e.child] = e.parent
			}
		}
		next, err := tx.assetsByID(ctx, ids)
		if err != nil {
			return nil, nil, err
		}
		level = level[:0:0]
		for _, a := range next {
			if vitrine.Blocked(vitrine.ActionPublish, a) != "" {
				continue // references that cannot publish stay behind (PUB-8, SEL-7)
			}
			notes[a.ID] = "published with " + from[a.ID]
			out = append(out, a)
			level = append(level, a)
		}
	}
	return out, notes, nil
}

// cascadeEdge says that publishing parent (a name) publishes child (an id).
type cascadeEdge struct {
	parent string
	child  int64
}

// cascadeEdges returns the assets that publish with each asset of level,
// in order: set members and swatches by position, then derived images,
// then video sets of a video.
func (tx *Tx) cascadeEdges(ctx context.Context, level []*vitrine.Asset) ([]cascadeEdge, error) {
	name := map[int64]string{}
	var sets, files []int64
	for _, a := range level {
		name[a.ID] = a.Name
		switch {
		case a.Type.IsSet():
			sets = append(sets, a.ID)
		case a.Type == vitrine.TypeImage || a.Type == vitrine.TypeVideo:
			files = append(files, a.ID)
		}
	}
	var edges []cascadeEdge
	queries := []struct {
		ids []int64
		q   string
	}{
		{sets, `SELECT set_id, member_id FROM set_members WHERE set_id IN (%s) ORDER BY set_id, position`},
		{sets, `SELECT set_id, swatch_id FROM set_members WHERE swatch_id IS NOT NULL AND set_id IN (%s) ORDER BY set_id, position`},
		{files, `SELECT parent_id, id FROM assets WHERE parent_id IN (%s) ORDER BY parent_id, id`},
		{files, `SELECT source_id, asset_id FROM sets WHERE source_id IN (%s) ORDER BY source_id, asset_id`},
	}
	for _, q := range queries {
		for _, part := range chunks(int64s(q.ids), 500) {
			rows, err := tx.query(ctx, fmt.Sprintf(q.q, marks(len(part))), part...)
			if err != nil {
				return nil, fmt.Errorf("cascade: %w", err)
			}
			for rows.Next() {
				var p, c int64
				if err := rows.Scan(&p, &c); err != nil {
					rows.Close()
					return nil, err
				}
				edges = append(edges, cascadeEdge{name[p], c})
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
		}
	}
	return edges, nil
}

// trashDerived moves to the Trash, with a, everything derived from it,
// recursively (UP-6: deleting an asset deletes its derived images; a video
// its thumbnails). Sets are not derived from their members, so deleting a
// set deletes only the set, and deleting a member leaves its sets alone.
func (tx *Tx) trashDerived(ctx context.Context, a *vitrine.Asset, by actor) ([]CatalogChange, error) {
	var all []*vitrine.Asset
	level := []int64{a.ID}
	for depth := 0; len(level) > 0 && depth < 16; depth++ {
		var next []int64
		for _, part := range chunks(int64s(level), 500) {
			rows, err := tx.query(ctx, `SELECT `+assetCols+assetFrom+`WHERE a.trashed_at IS NULL AND a.parent_id IN (`+marks(len(part))+`)`, part...)
			if err != nil {
				return nil, fmt.Errorf("read derived: %w", err)
			}
			for rows.Next() {
				d, err := scanAsset(rows)
				if err != nil {
					rows.Close()
					return nil, err
				}
				all = append(all, d)
				next = append(next, d.ID)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
		}
		level = next
	}
	for _, d := range all {
		d.TrashedAt = a.TrashedAt
		if _, err := tx.exec(ctx, `UPDATE assets SET trashed_at = ?, updated_at = ? WHERE id = ?`, toMicros(*a.TrashedAt), toMicros(tx.now), d.ID); err != nil {
			return nil, err
		}
	}
	return tx.reconcileMany(ctx, all, ReconcileFull, by)
}

// restoreDerived takes out of the Trash what trashDerived put there with
// a: the derived assets trashed at the same instant.
func (tx *Tx) restoreDerived(ctx context.Context, a *vitrine.Asset, trashedAt int64) ([]*vitrine.Asset, error) {
	var all []*vitrine.Asset
	level := []int64{a.ID}
	for depth := 0; len(level) > 0 && depth < 16; depth++ {
		var next []int64
		for _, part := range chunks(int64s(level), 500) {
			rows, err := tx.query(ctx, `SELECT `+assetCols+assetFrom+`WHERE a.trashed_at = ? AND a.parent_id IN (`+marks(len(part))+`)`,
				append([]any{trashedAt}, part...)...)
			if err != nil {
				return nil, fmt.Errorf("read derived: %w", err)
			}
			for rows.Next() {
				d, err := scanAsset(rows)
				if err != nil {
					rows.Close()
					return nil, err
				}
				d.TrashedAt = nil
				all = append(all, d)
				next = append(next, d.ID)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
		}
		level = next
	}
	for _, d := range all {
		if _, err := tx.exec(ctx, `UPDATE assets SET trashed_at = NULL, updated_at = ? WHERE id = ?`, toMicros(tx.now), d.ID); err != nil {
			return nil, err
		}
	}
	return all, nil
}
