package ui

import (
	"net/http"

	"github.com/vitrine/vitrine"
)

// notFound answers a company path the workspace has no page for, inside
// the layout (the nav stays usable).
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, viewOf(r), http.StatusNotFound, "There is no such page.")
}

func isAdminView(v *view) bool { return v.P != nil && vitrine.CanSeeAdminActions(v.P) }
