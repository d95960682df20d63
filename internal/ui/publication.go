package ui

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/vitrine/vitrine"
)

// The Manage Publication wizard (SEL-5): choose the action and when, see
// every affected asset with its target and what cascades with it,
// deselect, apply. Plan and apply are svc.Plan and svc.Publish, the same
// as POST /publication/plan and POST /publication.

type publicationData struct {
	Action  vitrine.Action
	Actions []actionOption
	When    string // "now" or "later"
	At      string // datetime-local, in the company's time zone
	AtRFC   string // At as RFC 3339, carried to the apply step
	Zone    string
	Assets  string // one name a line
	Folders string
	Items   []vitrine.PlanItem
	Back    string
	// BackFolder is the folder the scope page's Apply returns Browse to:
	// the first of Folders, "" for the root.
	BackFolder string
	Blocked    int
	Selected   int
}

type actionOption struct {
	Value    vitrine.Action
	Label    string
	Hint     string
	Selected bool
}

var actionOptions = []actionOption{
	{Value: vitrine.ActionPublish, Label: "Publish", Hint: "to preview and delivery; under Selective Publish, to preview"},
	{Value: vitrine.ActionPublishDelivery, Label: "Publish to Delivery", Hint: "Selective Publish folders only"},
	{Value: vitrine.ActionUnpublish, Label: "Unpublish", Hint: "from preview and delivery; under Selective Publish, from preview"},
	{Value: vitrine.ActionUnpublishDelivery, Label: "Unpublish from Delivery", Hint: "Selective Publish folders only"},
}

// publicationPage is the wizard's first step, with the assets (a) and
// folders (folder) it was opened with.
func (s *Server) publicationPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := publicationData{Action: vitrine.ActionPublish, When: "now", Assets: strings.Join(q["a"], "\n"), Folders: strings.Join(q["folder"], "\n")}
	s.renderPublication(w, r, "publication", http.StatusOK, d, "")
}

func (s *Server) renderPublication(w http.ResponseWriter, r *http.Request, page string, status int, d publicationData, errText string) {
	v := viewOf(r)
	v.Section = "browse"
	d.Zone = v.P.Company.Settings.TimeZone
	d.Back = "/c/" + v.P.Company.RootID + "/browse"
	d.Actions = append([]actionOption(nil), actionOptions...)
	for i := range d.Actions {
		d.Actions[i].Selected = d.Actions[i].Value == d.Action
	}
	title := "Manage Publication"
	if page == "publication_scope" {
		title = "Manage Publication: scope"
	}
	s.render(w, r, status, page, title, d, errText)
}

// publicationPlan is the scope page: every affected asset, checked
// unless the action would fail for it.
func (s *Server) publicationPlan(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	d := publicationData{Action: vitrine.Action(r.PostFormValue("action")), When: r.PostFormValue("when"), At: r.PostFormValue("at"),
		Assets: r.PostFormValue("assets"), Folders: r.PostFormValue("folders")}
	pub := vitrine.Publication{Action: d.Action, Assets: lines(d.Assets), Folders: lines(d.Folders)}
	if len(pub.Folders) > 0 {
		d.BackFolder = pub.Folders[0]
	}
	var err error
	if d.When == "later" {
		if d.AtRFC, err = localTime(d.At, v.P.Company.Settings.TimeZone); err != nil {
			s.renderPublication(w, r, "publication", ErrorStatus(err), d, s.errorText(r, err))
			return
		}
	}
	if d.Items, err = s.svc.Plan(r.Context(), v.P, pub); err != nil {
		s.renderPublication(w, r, "publication", ErrorStatus(err), d, s.errorText(r, err))
		return
	}
	for _, it := range d.Items {
		if it.Blocked {
			d.Blocked++
		} else {
			d.Selected++
		}
	}
	s.renderPublication(w, r, "publication_scope", http.StatusOK, d, "")
}

// publicationApply applies the action to the assets left selected, exactly
// (the cascade was on the scope page), now or at the chosen time.
func (s *Server) publicationApply(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, v, http.StatusBadRequest, "The form could not be read.")
		return
	}
	f := r.PostForm
	pub := vitrine.Publication{Action: vitrine.Action(f.Get("action")), Assets: f["a"], At: f.Get("at_rfc3339"), Exact: true}
	if len(pub.Assets) == 0 {
		s.renderError(w, r, v, http.StatusBadRequest, "Every asset was deselected: nothing to do.")
		return
	}
	out, err := s.svc.Publish(r.Context(), v.P, pub)
	if err != nil {
		s.renderError(w, r, v, ErrorStatus(err), s.errorText(r, err))
		return
	}
	done := "publish"
	switch {
	case out.Job != nil:
		done = "scheduled"
	case !pub.Action.Marks():
		done = "unpublish"
	}
	q := url.Values{"done": {done}, "n": {itoa(len(pub.Assets))}}
	// Back to the folder Manage Publication was opened on (its first).
	if back, err := vitrine.CleanFolderPath(f.Get("back")); err == nil && f.Get("back") != "" {
		q.Set("folder", back)
	}
	http.Redirect(w, r, "/c/"+v.P.Company.RootID+"/browse?"+q.Encode(), http.StatusSeeOther)
}

// localTime reads a datetime-local value in the company's zone as RFC 3339.
func localTime(at, zone string) (string, error) {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	t, err := time.ParseInLocation("2006-01-02T15:04", at, loc)
	if err != nil {
		return "", vitrine.Errorf(vitrine.EINVALID, "choose a date and time to publish at")
	}
	return t.Format(time.RFC3339), nil
}

// lines splits a text area into its non-empty trimmed lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
