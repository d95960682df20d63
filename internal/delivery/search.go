package delivery

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/vitrine/vitrine"
)

// searchAnswer is the body of /is/search/{company}?q= (DEL-6). Scene7
// documents no format for its eCatalog search server; this one names
// assets as req=set does (company/id).
type searchAnswer struct {
	Query   string              `json:"query"`
	Results []vitrine.SearchHit `json:"results"`
}

// search answers GET /is/search/{company}?q=words[&limit=n]: the pages of
// the company's published eCatalogs whose keywords or text hold every
// word, as of the last full_with_search publish. It is public, like the
// catalog it searches, and cached with the non-image TTL.
func (h *Handler) search(w http.ResponseWriter, r *http.Request) {
	c, err := h.company(r.Context(), r.PathValue("company"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	if len(q.Get("q")) > 1024 {
		h.fail(w, r, vitrine.Errorf(vitrine.EINVALID, "q is longer than 1024 bytes"))
		return
	}
	limit := 0
	if v := q.Get("limit"); v != "" {
		var err error
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 {
			h.fail(w, r, vitrine.Errorf(vitrine.EINVALID, "limit must be a positive number"))
			return
		}
	}
	hits, err := h.db.SearchPublished(r.Context(), c.ID, q.Get("q"), limit)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for i := range hits {
		hits[i].Catalog = c.RootID + "/" + hits[i].Catalog
		hits[i].Image = c.RootID + "/" + hits[i].Image
	}
	body, err := json.Marshal(searchAnswer{Query: q.Get("q"), Results: hits})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	body = append(body, '\n')
	sum := sha256.Sum256(body)
	hdr := w.Header()
	hdr.Set("Content-Type", "application/json")
	hdr.Set("Cache-Control", "public, max-age="+strconv.Itoa(c.Settings.NonImageTTLSeconds))
	hdr.Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Xkey", vitrine.SearchKey(c.RootID))
	writeBody(w, r, time.Time{}, body)
}
