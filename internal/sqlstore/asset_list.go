package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/vitrine/vitrine"
)

// sortExprs are the SQL of each listing order; ties go by name, so every
// order is total and a keyset cursor (value, name) pages through it.
var sortExprs = map[vitrine.AssetSort]string{
	vitrine.SortType:     "a.type",
	vitrine.SortSize:     "COALESCE((SELECT v.size FROM versions v WHERE v.asset_id = a.id AND v.number = a.current_version), 0)",
	vitrine.SortModified: "a.updated_at",
}

// Assets lists a company's assets, by name or by f.Sort, with keyset
// pagination: the cursor is the last name (by name) or "value|name".
func (d *DB) Assets(ctx context.Context, companyID int64, f vitrine.AssetFilter) (*AssetPage, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	if !f.Sort.Valid() {
		return nil, vitrine.Errorf(vitrine.EINVALID, "sort %q is not one of name, type, size, modified", f.Sort)
	}
	where, args, err := assetWhere(companyID, f)
	if err != nil {
		return nil, err
	}
	dir, cmp := "", ">"
	if f.Desc {
		dir, cmp = " DESC", "<"
	}
	expr, byValue := sortExprs[f.Sort]
	order := "a.name" + dir
	if byValue {
		order = expr + dir + ", a.name" + dir
	}
	// Clients see opaque cursors (vitrine.EncodeCursor); inside is the
	// keyset position.
	raw, err := vitrine.DecodeCursor(f.Cursor)
	if err != nil {
		return nil, err
	}
	f.Cursor = raw
	if f.Cursor != "" {
		if !byValue {
			where = append(where, "a.name "+cmp+" ?")
			args = append(args, f.Cursor)
		} else {
			v, name, ok := strings.Cut(f.Cursor, "|")
			if !ok {
				return nil, vitrine.Errorf(vitrine.EINVALID, "cursor %q does not belong to sort %s", f.Cursor, f.Sort)
			}
			var val any = v
			if f.Sort != vitrine.SortType {
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil {
					return nil, vitrine.Errorf(vitrine.EINVALID, "cursor %q does not belong to sort %s", f.Cursor, f.Sort)
				}
				val = n
			}
			where = append(where, fmt.Sprintf("(%[1]s %[2]s ? OR (%[1]s = ? AND a.name %[2]s ?))", expr, cmp))
			args = append(args, val, val, name)
		}
	}
	args = append(args, f.Limit+1)
	page := &AssetPage{Assets: []vitrine.Asset{}}
	err = d.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+assetCols+assetFrom+`WHERE `+strings.Join(where, " AND ")+` ORDER BY `+order+` LIMIT ?`, args...)
		if err != nil {
			return fmt.Errorf("list assets: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanAsset(rows)
			if err != nil {
				return err
			}
			page.Assets = append(page.Assets, *a)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		if len(page.Assets) > f.Limit {
			page.Assets = page.Assets[:f.Limit]
		} else {
			f.Limit = -1
		}
		if err := tx.listDetail(ctx, page.Assets); err != nil {
			return err
		}
		if f.Limit > 0 {
			page.NextCursor = vitrine.EncodeCursor(cursorOf(&page.Assets[f.Limit-1], f.Sort))
		}
		return nil
	})
	return page, err
}

// cursorOf is the keyset cursor after a in order s.
func cursorOf(a *vitrine.Asset, s vitrine.AssetSort) string {
	switch s {
	case vitrine.SortType:
		return string(a.Type) + "|" + a.Name
	case vitrine.SortSize:
		var size int64
		if a.CurrentVersion != nil {
			size = a.CurrentVersion.Size
		}
		return strconv.FormatInt(size, 10) + "|" + a.Name
	case vitrine.SortModified:
		return strconv.FormatInt(toMicros(a.UpdatedAt), 10) + "|" + a.Name
	}
	return a.Name
}

// assetWhere is the WHERE of a listing, without the cursor.
func assetWhere(companyID int64, f vitrine.AssetFilter) ([]string, []any, error) {
	where := []string{"a.company_id = ?"}
	args := []any{companyID}
	if f.Trashed {
		where = append(where, "a.trashed_at IS NOT NULL")
	} else {
		where = append(where, "a.trashed_at IS NULL")
	}
	if f.Folder != "" {
		p, err := vitrine.CleanFolderPath(f.Folder)
		if err != nil {
			return nil, nil, err
		}
		if f.Recursive {
			where = append(where, `(f.path = ? OR f.path LIKE ? ESCAPE '\')`)
			args = append(args, p, likePrefix(p))
		} else {
			// The folder's id as a constant, so the plan reads the
			// (folder_id, name) index in order rather than walking every
			// name of the company.
			where = append(where, "a.folder_id = (SELECT id FROM folders WHERE company_id = ? AND path = ?)")
			args = append(args, companyID, p)
		}
	}
	if f.Query != "" {
		// Name, title and keywords (stored as a JSON array) all match.
		q := "%" + likeEscape(strings.ToLower(f.Query)) + "%"
		where = append(where, `(lower(a.name) LIKE ? ESCAPE '\' OR lower(a.title) LIKE ? ESCAPE '\' OR lower(a.keywords) LIKE ? ESCAPE '\')`)
		args = append(args, q, q, q)
	}
	if f.Type != "" {
		where = append(where, "a.type = ?")
		args = append(args, string(f.Type))
	}
	for _, c := range []struct {
		want *bool
		dest vitrine.Destination
	}{{f.Published, vitrine.DestDelivery}, {f.PublishedPreview, vitrine.DestPreview}} {
		if c.want == nil {
			continue
		}
		not := ""
		if !*c.want {
			not = "NOT "
		}
		where = append(where, not+`EXISTS (SELECT 1 FROM catalog c WHERE c.asset_id = a.id AND c.destination = ?)`)
		args = append(args, string(c.dest))
	}
	if !f.ModifiedAfter.IsZero() {
		where = append(where, "a.updated_at >= ?")
		args = append(args, toMicros(f.ModifiedAfter))
	}
	if !f.ModifiedBefore.IsZero() {
		where = append(where, "a.updated_at < ?")
		args = append(args, toMicros(f.ModifiedBefore))
	}
	return where, args, nil
}

// listDetail fills the catalog state and current version of a page of
// assets in two queries, not two per asset.
func (tx *Tx) listDetail(ctx context.Context, assets []vitrine.Asset) error {
	if len(assets) == 0 {
		return nil
	}
	byID := make(map[int64]*vitrine.Asset, len(assets))
	marks := make([]string, len(assets))
	ids := make([]any, len(assets))
	for i := range assets {
		byID[assets[i].ID] = &assets[i]
		marks[i], ids[i] = "?", assets[i].ID
	}
	in := "(" + strings.Join(marks, ",") + ")"
	rows, err := tx.query(ctx, `SELECT c.asset_id, c.context, c.destination, v.number, c.published_at FROM catalog c
		JOIN versions v ON v.id = c.version_id WHERE c.asset_id IN `+in, ids...)
	if err != nil {
		return fmt.Errorf("list catalog state: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, at int64
		var cx, dest string
		s := &vitrine.CatalogState{}
		if err := rows.Scan(&id, &cx, &dest, &s.Version, &at); err != nil {
			return err
		}
		s.Context, s.PublishedAt = vitrine.Context(cx), fromMicros(at)
		if a := byID[id]; vitrine.Destination(dest) == vitrine.DestDelivery {
			a.Published.Delivery = s
		} else {
			a.Published.Preview = s
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	vrows, err := tx.query(ctx, `SELECT `+versionCols+` FROM versions v WHERE v.asset_id IN `+in+
		` AND v.number = (SELECT a.current_version FROM assets a WHERE a.id = v.asset_id)`, ids...)
	if err != nil {
		return fmt.Errorf("list versions: %w", err)
	}
	defer vrows.Close()
	for vrows.Next() {
		v, err := scanVersion(vrows)
		if err != nil {
			return err
		}
		byID[v.AssetID].CurrentVersion = v
	}
	return vrows.Err()
}
