package sqlstore

import (
	"context"
	"fmt"

	"github.com/vitrine/vitrine"
)

// resolveSet turns a spec's member names into a manifest, refusing what
// the set cannot hold: unknown or trashed assets, types the set type does
// not take (vitrine.AssetType.CanHold), a nesting that loops back to the
// set or goes deeper than vitrine.MaxSetDepth. Every problem is listed.
func (tx *Tx) resolveSet(ctx context.Context, set *vitrine.Asset, spec *vitrine.SetSpec) (*manifest, error) {
	names := []string{}
	for _, m := range spec.Members {
		names = append(names, m.Name)
		if m.Swatch != nil && m.Swatch.Image != "" {
			names = append(names, m.Swatch.Image)
		}
	}
	if spec.Source != "" {
		names = append(names, spec.Source)
	}
	byName, err := tx.assetsByName(ctx, set.CompanyID, names)
	if err != nil {
		return nil, err
	}
	m := &manifest{Type: spec.Type, Rows: spec.Rows, Columns: spec.Columns}
	var problems []vitrine.ErrorDetail
	bad := func(item, format string, args ...any) {
		problems = append(problems, vitrine.ErrorDetail{Item: item, Message: fmt.Sprintf(format, args...)})
	}
	var nested []int64
	for i, sm := range spec.Members {
		a := byName[sm.Name]
		switch {
		case a == nil:
			bad(sm.Name, "asset not found")
			continue
		case a.Trashed():
			bad(sm.Name, "asset is in the Trash")
			continue
		case !spec.Type.CanHold(a.Type):
			bad(sm.Name, "a %s cannot hold a %s", spec.Type, a.Type)
			continue
		}
		if a.Type.IsSet() {
			nested = append(nested, a.ID)
		}
		mm := manifestMember{ID: a.ID, Keywords: sm.Keywords, Text: sm.Text}
		if w := sm.Swatch; w != nil {
			mm.Color, mm.Label, mm.Crop = w.Color, w.Label, w.Crop
			if w.Image != "" {
				sw := byName[w.Image]
				switch {
				case sw == nil || sw.Trashed():
					bad(w.Image, "swatch image of member %d not found", i+1)
				case sw.Type != vitrine.TypeImage:
					bad(w.Image, "swatch of member %d is a %s, not an image", i+1, sw.Type)
				default:
					mm.SwatchID = sw.ID
				}
			}
		}
		m.Members = append(m.Members, mm)
	}
	if spec.Source != "" {
		if src := byName[spec.Source]; src == nil || src.Trashed() || src.Type != vitrine.TypeVideo {
			bad(spec.Source, "source must be a video that is not in the Trash")
		} else {
			m.Source = src.ID
		}
	}
	if len(problems) > 0 {
		e := vitrine.Errorf(vitrine.EINVALID, "%d member problem(s); the set was not saved", len(problems))
		e.Details = problems
		return nil, e
	}
	if len(nested) > 0 {
		if err := tx.checkNesting(ctx, set, nested); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// checkNesting refuses a set whose nested members lead back to it (a
// cycle), or whose nesting, counting the sets that hold it, goes deeper
// than vitrine.MaxSetDepth.
func (tx *Tx) checkNesting(ctx context.Context, set *vitrine.Asset, nested []int64) error {
	below, err := tx.setDepth(ctx, nested, `SELECT sm.member_id FROM set_members sm JOIN assets a ON a.id = sm.member_id
		WHERE a.type IN ('image_set', 'swatch_set', 'spin_set', 'mixed_media_set', 'ecatalog', 'video_set') AND sm.set_id IN `, set.ID)
	if err != nil {
		return err
	}
	above, err := tx.setDepth(ctx, []int64{set.ID}, `SELECT set_id FROM set_members WHERE member_id IN `, 0)
	if err != nil {
		return err
	}
	// above counts the set itself; below counts the first nested level.
	if depth := above + below; depth > vitrine.MaxSetDepth {
		return vitrine.Errorf(vitrine.EINVALID, "sets would nest %d deep; the limit is %d", depth, vitrine.MaxSetDepth)
	}
	return nil
}

// setDepth walks set_members level by level from start with step (a
// query ending in "IN ") and returns how many levels it found, start
// included. Reaching forbidden (a set id, or 0 for none) is a cycle.
func (tx *Tx) setDepth(ctx context.Context, start []int64, step string, forbidden int64) (int, error) {
	seen := map[int64]bool{}
	level := start
	depth := 0
	for len(level) > 0 {
		depth++
		if depth > vitrine.MaxSetDepth+1 {
			return depth, nil // deep enough to refuse; stop walking
		}
		var next []int64
		for _, ids := range chunks(int64s(level), 500) {
			rows, err := tx.query(ctx, step+`(`+marks(len(ids))+`)`, ids...)
			if err != nil {
				return 0, fmt.Errorf("walk sets: %w", err)
			}
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return 0, err
				}
				if id == forbidden && forbidden != 0 {
					rows.Close()
					return 0, vitrine.Errorf(vitrine.EINVALID, "the set would contain itself through its nested sets (a cycle)")
				}
				if !seen[id] {
					seen[id] = true
					next = append(next, id)
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return 0, err
			}
		}
		level = next
	}
	return depth, nil
}

// assetsByName returns a company's assets with the given names (trashed
// included), by name; unknown names are absent.
func (tx *Tx) assetsByName(ctx context.Context, companyID int64, names []string) (map[string]*vitrine.Asset, error) {
	out := map[string]*vitrine.Asset{}
	uniq := []string{}
	for _, n := range names {
		if _, ok := out[n]; !ok {
			out[n] = nil
			uniq = append(uniq, n)
		}
	}
	if len(uniq) == 0 {
		return out, nil
	}
	in, args := tx.inTexts("a.name", uniq)
	rows, err := tx.query(ctx, `SELECT `+assetCols+assetFrom+`WHERE a.company_id = ? AND `+in, append([]any{companyID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("read assets: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanAsset(rows)
		if err != nil {
			return nil, err
		}
		out[a.Name] = a
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for n, a := range out {
		if a == nil {
			delete(out, n)
		}
	}
	return out, nil
}

// assetsByID returns the assets with the given ids.
func (tx *Tx) assetsByID(ctx context.Context, ids []int64) ([]*vitrine.Asset, error) {
	var out []*vitrine.Asset
	for _, part := range chunks(int64s(ids), 500) {
		rows, err := tx.query(ctx, `SELECT `+assetCols+assetFrom+`WHERE a.id IN (`+marks(len(part))+`)`, part...)
		if err != nil {
			return nil, fmt.Errorf("read assets: %w", err)
		}
		for rows.Next() {
			a, err := scanAsset(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// int64s converts ids to query arguments.
func int64s(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
