package ui

import (
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/vitrine/vitrine"
)

type folderData struct {
	Folder       *vitrine.Folder
	Parent       string
	Browse       string
	SyncModes    []modeOption
	PublishModes []modeOption
	Done         string
}

// modeOption is one choice of a mode select.
type modeOption struct {
	Value, Label string
	Selected     bool
}

var syncLabels = []modeOption{{Value: string(vitrine.SyncInherit), Label: "Inherit"},
	{Value: string(vitrine.SyncOn), Label: "Sync for publish"}, {Value: string(vitrine.SyncExclude), Label: "Exclude from publish"}}

var publishLabels = []modeOption{{Value: string(vitrine.PublishInherit), Label: "Inherit"},
	{Value: string(vitrine.PublishImmediately), Label: "Immediately"}, {Value: string(vitrine.PublishOnActivation), Label: "Upon activation"},
	{Value: string(vitrine.PublishSelective), Label: "Selective Publish"}}

// folderDone says what the last change to a folder did.
var folderDone = map[string]string{"modes": "Properties saved.", "create": "Folder created.", "move": "Folder moved."}

// folderPage shows a folder's properties: sync mode and publish mode,
// each with its effective value and where it comes from (SEL-2), and
// creating, renaming, moving and deleting folders.
func (s *Server) folderPage(w http.ResponseWriter, r *http.Request) {
	s.renderFolder(w, r, r.URL.Query().Get("path"), http.StatusOK, "")
}

func (s *Server) renderFolder(w http.ResponseWriter, r *http.Request, p string, status int, errText string) {
	v := viewOf(r)
	v.Section = "browse"
	f, err := s.store.Folder(r.Context(), &v.P.Company, p)
	if err != nil {
		s.renderError(w, r, v, ErrorStatus(err), s.errorText(r, err))
		return
	}
	d := folderData{Folder: f, Parent: path.Dir(f.Path), Browse: "/c/" + v.P.Company.RootID + "/browse?folder=" + url.QueryEscape(f.Path),
		SyncModes: options(syncLabels, string(f.SyncMode)), PublishModes: options(publishLabels, string(f.PublishMode)),
		Done: folderDone[r.URL.Query().Get("done")]}
	s.render(w, r, status, "folder", "Folder "+f.Path, d, errText)
}

func options(all []modeOption, cur string) []modeOption {
	out := append([]modeOption(nil), all...)
	for i := range out {
		out[i].Selected = out[i].Value == cur || cur == "" && i == 0
	}
	return out
}

// folderChange applies one change to a folder through the store, then
// tells the caches (svc.Changes) as the API's writes do.
func (s *Server) folderChange(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	c := &v.P.Company
	ctx := r.Context()
	p, op := r.PostFormValue("path"), r.PostFormValue("op")
	next := p
	var err error
	switch op {
	case "modes":
		sync, pub := vitrine.SyncMode(r.PostFormValue("sync_mode")), vitrine.PublishMode(r.PostFormValue("publish_mode"))
		_, err = s.store.UpdateFolder(ctx, c, p, vitrine.FolderPatch{SyncMode: &sync, PublishMode: &pub})
	case "create":
		name := strings.TrimSpace(r.PostFormValue("name"))
		if name == "" || strings.Contains(name, "/") {
			err = vitrine.Errorf(vitrine.EINVALID, "a folder name is one path element, like shoes")
			break
		}
		var f *vitrine.Folder
		if f, err = s.store.CreateFolder(ctx, c, strings.TrimSuffix(p, "/")+"/"+name); err == nil {
			next = f.Path
		}
	case "move":
		to := strings.TrimSpace(r.PostFormValue("to"))
		var f *vitrine.Folder
		if f, err = s.store.UpdateFolder(ctx, c, p, vitrine.FolderPatch{Path: &to}); err == nil {
			next = f.Path
		}
	case "delete":
		if err = s.store.DeleteFolder(ctx, c, p); err == nil {
			s.svc.Changes().Forget(ctx, c)
			http.Redirect(w, r, "/c/"+c.RootID+"/browse?folder="+url.QueryEscape(path.Dir(p)), http.StatusSeeOther)
			return
		}
	default:
		err = vitrine.Errorf(vitrine.EINVALID, "unknown folder action %q", op)
	}
	if err != nil {
		s.renderFolder(w, r, p, ErrorStatus(err), s.errorText(r, err))
		return
	}
	s.svc.Changes().Forget(ctx, c)
	http.Redirect(w, r, "/c/"+c.RootID+"/folder?"+url.Values{"path": {next}, "done": {op}}.Encode(), http.StatusSeeOther)
}
