package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/vitrine/vitrine"
)

// selection applies the Browse toolbar's action to the selected assets
// (the a values), each through its use case, and comes back to the page
// it came from saying what was done; a refusal shows there too.
func (s *Server) selection(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, v, http.StatusBadRequest, "The form could not be read.")
		return
	}
	back := localBack(r.PostForm.Get("back"), v)
	names, op := r.PostForm["a"], r.PostForm.Get("op")
	if op == "manage" {
		q := url.Values{"a": names}
		http.Redirect(w, r, "/c/"+v.P.Company.RootID+"/publication?"+q.Encode(), http.StatusSeeOther)
		return
	}
	if op == "invalidate" && len(names) > 0 {
		// The Invalidate CDN dialog with these assets filled in (Setup,
		// admins only: it refuses anyone else).
		q := url.Values{"assets": names}
		http.Redirect(w, r, "/c/"+v.P.Company.RootID+"/setup/cdn?"+q.Encode(), http.StatusSeeOther)
		return
	}
	if len(names) == 0 {
		s.renderBrowse(w, r, queryOf(back), http.StatusBadRequest, "Select at least one asset first.")
		return
	}
	if op == "set" { // Add to set…: the Sets list, where a set is chosen
		q := url.Values{"a": names}
		http.Redirect(w, r, "/c/"+v.P.Company.RootID+"/sets?"+q.Encode(), http.StatusSeeOther)
		return
	}
	done, err := s.applySelection(r, v.P, op, names, r.PostForm.Get("to"))
	if err != nil {
		msg := s.errorText(r, err)
		if done > 0 {
			msg = fmt.Sprintf("%d of %d done, then: %s", done, len(names), msg)
		}
		s.renderBrowse(w, r, queryOf(back), ErrorStatus(err), msg)
		return
	}
	q := queryOf(back)
	q.Set("done", op)
	q.Set("n", itoa(done))
	http.Redirect(w, r, pathOf(back)+"?"+q.Encode(), http.StatusSeeOther)
}

// applySelection runs op on names and returns how many were done before
// any error. Publish actions are one publication, all or nothing (PUB-2);
// the others go asset by asset.
func (s *Server) applySelection(r *http.Request, p *vitrine.Principal, op string, names []string, to string) (int, error) {
	ctx := r.Context()
	switch op {
	case "publish", "unpublish", "quick":
		pub := vitrine.Publication{Action: vitrine.ActionPublish, Assets: names, Quick: op == "quick"}
		if op == "unpublish" {
			pub.Action = vitrine.ActionUnpublish
		}
		if _, err := s.svc.Publish(ctx, p, pub); err != nil {
			return 0, err
		}
		return len(names), nil
	case "move", "copy":
		if strings.TrimSpace(to) == "" {
			return 0, vitrine.Errorf(vitrine.EINVALID, "name the folder to %s the selection to", op)
		}
	case "delete", "restore":
	default:
		return 0, vitrine.Errorf(vitrine.EINVALID, "unknown action %q", op)
	}
	for i, name := range names {
		var err error
		switch op {
		case "move":
			_, err = s.svc.Move(ctx, p, name, to, "")
		case "copy":
			_, err = s.svc.Copy(ctx, p, name, to, "")
		case "delete":
			_, err = s.svc.Trash(ctx, p, name)
		case "restore":
			_, err = s.svc.Restore(ctx, p, name)
		}
		if err != nil {
			return i, named(name, err)
		}
	}
	return len(names), nil
}

// localBack is where a form comes back to: a page of this company's
// workspace, else Browse.
func localBack(back string, v *view) string {
	prefix := "/c/" + v.P.Company.RootID + "/"
	if !strings.HasPrefix(back, prefix) || strings.HasPrefix(back, "//") {
		return prefix + "browse"
	}
	return back
}

func queryOf(u string) url.Values {
	_, q, _ := strings.Cut(u, "?")
	vals, _ := url.ParseQuery(q)
	return vals
}

func pathOf(u string) string {
	p, _, _ := strings.Cut(u, "?")
	return p
}

// named puts the asset's name in front of a domain error's message.
func named(name string, err error) error {
	var e *vitrine.Error
	if errors.As(err, &e) {
		return &vitrine.Error{Code: e.Code, Message: name + ": " + e.Message, Details: e.Details}
	}
	return fmt.Errorf("%s: %w", name, err)
}

func itoa(n int) string { return strconv.Itoa(n) }
