package sqlstore

import (
	"context"
	"fmt"

	"github.com/vitrine/vitrine"
)

// PublishedSet resolves a live set for req=set (DEL-5): the members of the
// set version the catalog serves, in order, keeping only those live in the
// same destination (PUB-4: unpublishing a member leaves the set, and a
// viewer gets the members still published). Nested sets are resolved the
// same way, at their own live version, down to vitrine.MaxSetDepth.
func (d *DB) PublishedSet(ctx context.Context, e *vitrine.CatalogEntry) (*vitrine.SetTree, error) {
	if !e.AssetType.IsSet() {
		return nil, vitrine.Errorf(vitrine.EINVALID, "%s is not a set", e.Name)
	}
	var t *vitrine.SetTree
	err := d.read(ctx, func(tx *Tx) (err error) {
		t, err = tx.liveTree(ctx, e.CompanyID, e.Destination, e.Name, e.Version.ID, map[string]bool{}, 1)
		return err
	})
	return t, err
}

// liveMember is a catalog row as req=set needs it.
type liveMember struct {
	name      string
	typ       vitrine.AssetType
	versionID int64
	number    int
	width     int
	height    int
	mime      string
	title     string
}

func (tx *Tx) liveTree(ctx context.Context, companyID int64, dest vitrine.Destination, name string, versionID int64, path map[string]bool, depth int) (*vitrine.SetTree, error) {
	m, err := tx.setManifest(ctx, versionID)
	if err != nil {
		return nil, err
	}
	t := &vitrine.SetTree{Name: name, Type: m.Type, Rows: m.Rows, Columns: m.Columns, Items: []vitrine.SetItem{}}
	var ids []int64
	for _, mm := range m.Members {
		ids = append(ids, mm.ID)
		if mm.SwatchID != 0 {
			ids = append(ids, mm.SwatchID)
		}
	}
	live, err := tx.liveByID(ctx, companyID, dest, ids)
	if err != nil {
		return nil, err
	}
	posters, err := tx.livePosters(ctx, companyID, dest, m, live)
	if err != nil {
		return nil, err
	}
	path[name] = true
	defer delete(path, name)
	for pos, mm := range m.Members {
		lm, ok := live[mm.ID]
		if !ok {
			continue
		}
		it := vitrine.SetItem{Position: pos, Name: lm.name, Type: lm.typ, Width: lm.width, Height: lm.height, Version: lm.number, MIME: lm.mime,
			Title: lm.title, Poster: posters[mm.ID]}
		switch {
		case mm.Color != "":
			it.Swatch = &vitrine.LiveSwatch{Color: mm.Color, Label: mm.Label}
		case mm.Crop != "":
			it.Swatch = &vitrine.LiveSwatch{Name: lm.name, Crop: mm.Crop}
		case mm.SwatchID != 0:
			if sw, ok := live[mm.SwatchID]; ok {
				it.Swatch = &vitrine.LiveSwatch{Name: sw.name}
			}
		}
		if lm.typ.IsSet() {
			// A loop cannot be saved, but the guard costs nothing and
			// keeps a damaged database from hanging delivery.
			if path[lm.name] || depth >= vitrine.MaxSetDepth {
				continue
			}
			if it.Set, err = tx.liveTree(ctx, companyID, dest, lm.name, lm.versionID, path, depth+1); err != nil {
				return nil, err
			}
		}
		t.Items = append(t.Items, it)
	}
	return t, nil
}

// liveByID returns the catalog rows of the given assets in one destination.
func (tx *Tx) liveByID(ctx context.Context, companyID int64, dest vitrine.Destination, ids []int64) (map[int64]liveMember, error) {
	out := map[int64]liveMember{}
	for _, part := range chunks(int64s(ids), 500) {
		rows, err := tx.query(ctx, `SELECT c.asset_id, c.name, a.type, v.id, v.number, v.width, v.height, v.mime, a.title
			FROM catalog c JOIN assets a ON a.id = c.asset_id JOIN versions v ON v.id = c.version_id
			WHERE c.company_id = ? AND c.destination = ? AND c.asset_id IN (`+marks(len(part))+`)`,
			append([]any{companyID, string(dest)}, part...)...)
		if err != nil {
			return nil, fmt.Errorf("read live members: %w", err)
		}
		for rows.Next() {
			var id int64
			var lm liveMember
			var typ string
			if err := rows.Scan(&id, &lm.name, &typ, &lm.versionID, &lm.number, &lm.width, &lm.height, &lm.mime, &lm.title); err != nil {
				rows.Close()
				return nil, err
			}
			lm.typ = vitrine.AssetType(typ)
			out[id] = lm
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// livePosters returns, for each live video member, the name of its first
// live thumbnail (a derived image), which req=set offers as its swatch.
func (tx *Tx) livePosters(ctx context.Context, companyID int64, dest vitrine.Destination, m *manifest, live map[int64]liveMember) (map[int64]string, error) {
	var videos []int64
	for _, mm := range m.Members {
		if lm, ok := live[mm.ID]; ok && lm.typ == vitrine.TypeVideo {
			videos = append(videos, mm.ID)
		}
	}
	out := map[int64]string{}
	for _, part := range chunks(int64s(videos), 500) {
		rows, err := tx.query(ctx, `SELECT a.parent_id, c.name FROM assets a JOIN catalog c ON c.asset_id = a.id
			WHERE c.company_id = ? AND c.destination = ? AND a.parent_id IN (`+marks(len(part))+`) ORDER BY a.parent_id, a.id`,
			append([]any{companyID, string(dest)}, part...)...)
		if err != nil {
			return nil, fmt.Errorf("read posters: %w", err)
		}
		for rows.Next() {
			var id int64
			var n string
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = n // the newest wins: rows come oldest first
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
