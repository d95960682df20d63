package delivery

import (
	"net/http"

	"github.com/vitrine/vitrine"
)

// serveSet answers req=set for a set (DEL-5): its published members, in the
// JSON or XML shape Scene7 viewers read. format is "", "json" or "xml".
func (h *Handler) serveSet(w http.ResponseWriter, r *http.Request, c *vitrine.Company, e *vitrine.CatalogEntry, format string) {
	deny(w, http.StatusForbidden, "req=set is not available for this asset")
}
