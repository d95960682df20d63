package ui

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/vitrine/vitrine"
)

// publishToggle is a click on an asset's publish icon: the action the
// icon offers (publish, unpublish, or under Selective Publish the same
// per destination), applied through the publish use case. A plain form
// post comes back to the page it came from; the page's script posts
// with X-Fragment and swaps in the icons this answers.
func (s *Server) publishToggle(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	name, back := r.PostFormValue("name"), localBack(r.PostFormValue("back"), v)
	pub := vitrine.Publication{Action: vitrine.Action(r.PostFormValue("action")), Assets: []string{name}}
	_, err := s.svc.Publish(r.Context(), v.P, pub)
	fragment := r.Header.Get("X-Fragment") == "pubs"
	if err != nil {
		if fragment {
			http.Error(w, s.errorText(r, err), ErrorStatus(err))
			return
		}
		s.renderBrowse(w, r, queryOf(back), ErrorStatus(err), name+": "+s.errorText(r, err))
		return
	}
	if !fragment {
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	a, err := s.store.Asset(r.Context(), v.P.Company.ID, name)
	if err != nil {
		http.Error(w, s.errorText(r, err), ErrorStatus(err))
		return
	}
	slot, _ := strconv.Atoi(r.PostFormValue("slot"))
	var b bytes.Buffer
	if err := s.pages["browse"].ExecuteTemplate(&b, "pubs", newAssetRow(v.P.Company.RootID, a, slot, back, "grid")); err != nil {
		s.log.ErrorContext(r.Context(), "render", "fragment", "pubs", "err", err)
		http.Error(w, "the icons could not be drawn", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b.Bytes())
}
