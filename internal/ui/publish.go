package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/jobs"
)

// The Publish page (JOB-1, JOB-2, JOB-3): a publish job now, later or
// recurring, with the API's options. It submits a jobs.Submission to the
// engine, as POST /jobs does; the Edit form of a Scheduled entry is the
// same page sending a jobs.Patch, as PATCH /jobs/{id} does.

// publishForm is the Publish page's fields, as typed.
type publishForm struct {
	Name        string
	When        whenForm
	To          string // "" for all contexts
	PublishType string
	RunAs       string
	NotifyURL   string
	Scope       string // company or folders
	Folders     string // one path a line
}

type publishData struct {
	Form     publishForm
	When     whenView
	Action   string // where the form posts
	EditID   int64  // the entry being edited; 0 for a new job
	Keep     bool   // the entry is a Manage Publication action: only name and schedule change
	Contexts []option
	Types    []option
	Folders  []string // the company's folders, for the scope's suggestions
}

type option struct{ Value, Label string }

var contextOptions = []option{{"", "All (image, video and content)"}, {string(vitrine.ContextImage), "Image"},
	{string(vitrine.ContextVideo), "Video"}, {string(vitrine.ContextContent), "Content"}}

var publishTypes = []option{
	{jobs.PublishIncremental, "Incremental: new since the last publish, and those marked to republish"},
	{jobs.PublishFull, "Full: also newer versions, and removes what is no longer marked"},
	{jobs.PublishFullWithSearch, "Full, and rebuild the published search data"},
}

func (s *Server) publishPage(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	f := publishForm{When: defaultWhen(), PublishType: jobs.PublishIncremental, Scope: "company"}
	if q := r.URL.Query()["folder"]; len(q) > 0 {
		f.Scope, f.Folders = "folders", strings.Join(q, "\n")
	}
	s.renderPublish(w, r, http.StatusOK, publishData{Form: f, Action: "/c/" + v.P.Company.RootID + "/publish"}, "")
}

// readPublish reads the Publish form.
func readPublish(r *http.Request) publishForm {
	f := r.PostForm
	return publishForm{Name: f.Get("name"), When: readWhen(f), To: f.Get("to"), PublishType: f.Get("publish_type"),
		RunAs: strings.TrimSpace(f.Get("run_as")), NotifyURL: strings.TrimSpace(f.Get("notify_url")),
		Scope: f.Get("scope"), Folders: f.Get("folders")}
}

// options are the form's job options, checked by the engine.
func (f publishForm) options() jobs.Options {
	o := jobs.Options{To: vitrine.Context(f.To), PublishType: f.PublishType, NotifyURL: f.NotifyURL}
	if f.Scope == "folders" {
		o.Folders = lines(f.Folders)
	}
	return o
}

// check refuses what the engine would take differently from what the
// user meant: chosen folders, none given, would publish everything.
func (f publishForm) check() error {
	if f.Scope == "folders" && len(lines(f.Folders)) == 0 {
		return vitrine.Errorf(vitrine.EINVALID, "give at least one folder, or choose the whole company")
	}
	return nil
}

func (s *Server) publishPost(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, v, http.StatusBadRequest, "The form could not be read.")
		return
	}
	d := publishData{Form: readPublish(r), Action: "/c/" + v.P.Company.RootID + "/publish"}
	if r.PostForm.Get("preview") != "" {
		d.When.Preview = s.preview(r, v.P, d.Form.When)
		s.renderPublish(w, r, http.StatusOK, d, "")
		return
	}
	j, err := s.submitPublish(r, v.P, d.Form)
	if err != nil {
		s.renderPublish(w, r, ErrorStatus(err), d, s.errorText(r, err))
		return
	}
	s.afterSubmit(w, r, j)
}

func (s *Server) submitPublish(r *http.Request, p *vitrine.Principal, f publishForm) (*vitrine.JobRun, error) {
	if s.jobs == nil {
		return nil, errNoEngine
	}
	when, err := f.When.when()
	if err != nil {
		return nil, err
	}
	if err := f.check(); err != nil {
		return nil, err
	}
	return s.jobs.Submit(r.Context(), p, jobs.Submission{Type: vitrine.JobPublish, Name: f.Name, When: when, RunAs: f.RunAs,
		Options: f.options()})
}

// afterSubmit goes where a new job is seen: a job to run now on its own
// page, a Scheduled entry in the Scheduled tab.
func (s *Server) afterSubmit(w http.ResponseWriter, r *http.Request, j *vitrine.JobRun) {
	c := "/c/" + viewOf(r).P.Company.RootID
	if j.Status == vitrine.JobScheduled {
		http.Redirect(w, r, c+"/jobs/scheduled?"+url.Values{"done": {"created"}, "job": {itoa64(j.ID)}}.Encode(), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, c+"/jobs/"+itoa64(j.ID), http.StatusSeeOther)
}

func (s *Server) renderPublish(w http.ResponseWriter, r *http.Request, status int, d publishData, errText string) {
	v := viewOf(r)
	v.Section = "jobs"
	d.When = whenViewWith(v.P, d.Form.When, d.When.Preview)
	d.Contexts, d.Types = contextOptions, publishTypes
	d.Folders = s.folderHints(r, v.P)
	title := "New publish job"
	if d.EditID != 0 {
		title = "Edit scheduled publish job"
	}
	s.render(w, r, status, "publish", title, d, errText)
}

// folderHints are some of the company's folders, to suggest in the forms.
func (s *Server) folderHints(r *http.Request, p *vitrine.Principal) []string {
	const most = 50
	fs, err := s.store.Folders(r.Context(), &p.Company, "")
	if err != nil {
		return nil // only suggestions: the form works without them
	}
	var out []string
	for _, f := range fs[:min(len(fs), most)] {
		out = append(out, f.Path)
	}
	return out
}

func whenViewWith(p *vitrine.Principal, f whenForm, pv *previewView) whenView {
	wv := newWhenView(p, f)
	wv.Preview = pv
	return wv
}

// publishPreview is the next five run times of the form's schedule, as an
// HTML fragment the page's script puts in place as the rule changes.
func (s *Server) publishPreview(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	pv := s.preview(r, v.P, readWhen(r.URL.Query()))
	var b bytes.Buffer
	if err := s.pages["publish"].ExecuteTemplate(&b, "nextruns", pv); err != nil {
		s.log.ErrorContext(r.Context(), "render", "fragment", "nextruns", "err", err)
		http.Error(w, "the preview could not be drawn", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b.Bytes())
}

// publishFormOf is the Edit form of a publish entry.
func publishFormOf(j *vitrine.JobRun) (publishForm, error) {
	var o jobs.Options
	if len(j.Options) > 0 {
		if err := json.Unmarshal(j.Options, &o); err != nil {
			return publishForm{}, fmt.Errorf("job %d options: %w", j.ID, err)
		}
	}
	f := publishForm{Name: j.Name, When: whenFormOf(jobs.WhenOf(j.Schedule)), To: string(o.To), PublishType: o.PublishType,
		RunAs: j.User, NotifyURL: o.NotifyURL, Scope: "company"}
	if f.PublishType == "" {
		f.PublishType = jobs.PublishIncremental
	}
	if len(o.Folders) > 0 {
		f.Scope, f.Folders = "folders", strings.Join(o.Folders, "\n")
	}
	return f, nil
}
