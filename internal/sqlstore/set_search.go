package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/vitrine/vitrine"
)

// PublishSearchData replaces a company's published search data with the
// pages of its eCatalogs as they are live now (DEL-6): for each eCatalog
// in the delivery catalog, the pages of its live version whose image is
// live too, with their keywords and text. It is the search part of a
// full_with_search publish job; between two such publishes the search
// answers stay as they were, whatever is edited or published meanwhile.
func (d *DB) PublishSearchData(ctx context.Context, companyID int64) error {
	return d.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM search_pages WHERE company_id = ?`, companyID); err != nil {
			return fmt.Errorf("clear search data: %w", err)
		}
		rows, err := tx.query(ctx, `SELECT c.name, c.version_id FROM catalog c JOIN assets a ON a.id = c.asset_id
			WHERE c.company_id = ? AND c.context = 'image' AND c.destination = 'delivery' AND a.type = 'ecatalog' ORDER BY c.name`, companyID)
		if err != nil {
			return fmt.Errorf("read eCatalogs: %w", err)
		}
		type live struct {
			name    string
			version int64
		}
		var cats []live
		for rows.Next() {
			var l live
			if err := rows.Scan(&l.name, &l.version); err != nil {
				rows.Close()
				return err
			}
			cats = append(cats, l)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		var pages [][]any
		for _, cat := range cats {
			m, err := tx.setManifest(ctx, cat.version)
			if err != nil {
				return err
			}
			var ids []int64
			for _, mm := range m.Members {
				ids = append(ids, mm.ID)
			}
			lv, err := tx.liveByID(ctx, companyID, vitrine.DestDelivery, ids)
			if err != nil {
				return err
			}
			for i, mm := range m.Members {
				img, ok := lv[mm.ID]
				if !ok {
					continue
				}
				keywords := strings.Join(mm.Keywords, "\n")
				search := strings.ToLower(keywords + "\n" + mm.Text)
				pages = append(pages, []any{companyID, cat.name, i + 1, img.name, keywords, mm.Text, search, toMicros(tx.now)})
			}
		}
		return tx.insertRows(ctx, searchPagesInsert, pages)
	})
}

var searchPagesInsert = bulk{table: "search_pages",
	cols:  []string{"company_id", "catalog", "page", "image", "keywords", "page_text", "search", "published_at"},
	types: []string{"bigint", "text", "integer", "text", "text", "text", "text", "bigint"}}

// MaxSearchWords bounds the words of one search query.
const MaxSearchWords = 16

// MaxSearchLimit is the most hits one search answers.
const MaxSearchLimit = 500

// SearchPublished searches a company's published search data: pages whose
// keywords or text contain every word of q, case-insensitively, ordered by
// eCatalog and page. A limit of 0 is 100.
func (d *DB) SearchPublished(ctx context.Context, companyID int64, q string, limit int) ([]vitrine.SearchHit, error) {
	words := strings.Fields(strings.ToLower(q))
	if len(words) == 0 {
		return nil, vitrine.Errorf(vitrine.EINVALID, "give q, the words to search for")
	}
	if len(words) > MaxSearchWords {
		return nil, vitrine.Errorf(vitrine.EINVALID, "at most %d search words", MaxSearchWords)
	}
	switch {
	case limit == 0:
		limit = 100
	case limit < 0 || limit > MaxSearchLimit:
		return nil, vitrine.Errorf(vitrine.EINVALID, "limit must be 1 to %d", MaxSearchLimit)
	}
	// The text is the snapshot of the last full_with_search publish (DEL-6),
	// but an eCatalog unpublished or trashed since then is not searchable:
	// nothing that left delivery stays public.
	where, args := []string{"s.company_id = ?", `EXISTS (SELECT 1 FROM catalog c WHERE c.company_id = s.company_id
		AND c.destination = 'delivery' AND c.name = s.catalog)`}, []any{companyID}
	for _, w := range words {
		where = append(where, `s.search LIKE ? ESCAPE '\'`)
		args = append(args, "%"+likeEscape(w)+"%")
	}
	out := []vitrine.SearchHit{}
	err := d.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT s.catalog, s.page, s.image, s.keywords, s.page_text FROM search_pages s WHERE `+strings.Join(where, " AND ")+
			` ORDER BY s.catalog, s.page LIMIT ?`, append(args, limit)...)
		if err != nil {
			return fmt.Errorf("search: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var h vitrine.SearchHit
			var keywords string
			if err := rows.Scan(&h.Catalog, &h.Page, &h.Image, &keywords, &h.Text); err != nil {
				return err
			}
			if keywords != "" {
				h.Keywords = strings.Split(keywords, "\n")
			}
			out = append(out, h)
		}
		return rows.Err()
	})
	return out, err
}
