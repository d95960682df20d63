package ui

import (
	"net/http"
	"strings"

	"github.com/vitrine/vitrine"
)

// sections are the nav entries still to be built in the workspace, with
// what to use meanwhile.
var sections = map[string]string{
	"sets":  "vitrine sets, or the /sets API",
	"setup": "vitrine users and the /settings API",
}

type laterData struct {
	Name, Instead string
}

// later answers the nav entries not built yet, saying what to use.
func (s *Server) later(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	name := r.PathValue("section")
	instead, ok := sections[name]
	if !ok || name == "setup" && !isAdminView(v) {
		s.renderError(w, r, v, http.StatusNotFound, "There is no such page.")
		return
	}
	v.Section = name
	s.render(w, r, http.StatusOK, "later", strings.ToUpper(name[:1])+name[1:], laterData{Name: name, Instead: instead}, "")
}

func isAdminView(v *view) bool { return v.P != nil && vitrine.CanSeeAdminActions(v.P) }
