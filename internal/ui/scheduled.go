package ui

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/jobs"
)

// The Jobs page's Scheduled tab (JOB-1, JOB-5): every Scheduled entry with
// its next and last runs, the Active switch, Edit, Delete and Run now.
// Each action is a form post to the engine's use case, the same as PATCH,
// DELETE and POST /jobs/{id}/run; a script only submits the Active switch
// as it changes.

type scheduledData struct {
	Rows     []scheduledRow
	Zone     string
	Done     string // what was just done, for the notice
	DoneCode string // …as a word: created, saved, paused, resumed, deleted
	Job      int64  // the entry it was done to
}

type scheduledRow struct {
	Job      vitrine.JobRun
	Kind     string
	NextRun  string
	LastRun  string
	NextRuns []string
	Editable bool // a publish or upload entry the forms know
	Control  bool // the viewer may pause, edit, delete or run it (vitrine.CanControlJob)
}

var scheduledNotice = map[string]string{
	"created": "The job is scheduled.", "saved": "The scheduled job is saved.", "paused": "The job is paused: it will not run until it is active again.",
	"resumed": "The job is active again.", "deleted": "The scheduled job is deleted.",
}

func (s *Server) scheduled(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	v.Section = "jobs"
	if s.jobs == nil {
		s.renderError(w, r, v, http.StatusServiceUnavailable, vitrine.ErrorMessage(errNoEngine))
		return
	}
	list, err := s.jobs.Jobs(r.Context(), v.P.Company.ID, vitrine.JobFilter{Scheduled: true, Limit: 500})
	if err != nil {
		s.renderError(w, r, v, ErrorStatus(err), s.errorText(r, err))
		return
	}
	q := r.URL.Query()
	d := scheduledData{Zone: zoneOf(v.P), Done: scheduledNotice[q.Get("done")], DoneCode: q.Get("done")}
	d.Job, _ = strconv.ParseInt(q.Get("job"), 10, 64)
	for _, j := range list {
		row := scheduledRow{Job: j, Control: vitrine.CanControlJob(v.P, &j) == nil}
		row.Editable = row.Control && (j.Type == vitrine.JobPublish || j.Type == vitrine.JobUpload)
		if sc := j.Schedule; sc != nil {
			row.Kind = sc.Kind
			row.NextRun, row.LastRun = inZone(sc.NextRun, v.P), inZone(sc.LastRun, v.P)
			for i := range sc.NextRuns {
				row.NextRuns = append(row.NextRuns, inZone(&sc.NextRuns[i], v.P))
			}
		}
		d.Rows = append(d.Rows, row)
	}
	s.render(w, r, http.StatusOK, "scheduled", "Scheduled jobs", d, "")
}

// entryID is the {id} of an entry, or a not-found page.
func (s *Server) entryID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	v := viewOf(r)
	v.Section = "jobs"
	if s.jobs == nil {
		s.renderError(w, r, v, http.StatusServiceUnavailable, vitrine.ErrorMessage(errNoEngine))
		return 0, false
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderError(w, r, v, http.StatusNotFound, "There is no such job.")
		return 0, false
	}
	return id, true
}

func (s *Server) backToScheduled(w http.ResponseWriter, r *http.Request, done string, id int64) {
	q := url.Values{"done": {done}, "job": {itoa64(id)}}
	http.Redirect(w, r, "/c/"+viewOf(r).P.Company.RootID+"/jobs/scheduled?"+q.Encode(), http.StatusSeeOther)
}

// scheduledActive is the Active switch: active=true resumes, anything
// else (an unchecked box sends nothing) pauses.
func (s *Server) scheduledActive(w http.ResponseWriter, r *http.Request) {
	id, ok := s.entryID(w, r)
	if !ok {
		return
	}
	v := viewOf(r)
	active := r.PostFormValue("active") == "true"
	if _, err := s.jobs.Update(r.Context(), v.P, id, jobs.Patch{Active: &active}); err != nil {
		s.renderError(w, r, v, ErrorStatus(err), s.errorText(r, err))
		return
	}
	done := "paused"
	if active {
		done = "resumed"
	}
	s.backToScheduled(w, r, done, id)
}

func (s *Server) scheduledRun(w http.ResponseWriter, r *http.Request) {
	id, ok := s.entryID(w, r)
	if !ok {
		return
	}
	v := viewOf(r)
	run, err := s.jobs.RunNow(r.Context(), v.P, id)
	if err != nil {
		s.renderError(w, r, v, ErrorStatus(err), s.errorText(r, err))
		return
	}
	http.Redirect(w, r, "/c/"+v.P.Company.RootID+"/jobs/"+itoa64(run.ID), http.StatusSeeOther)
}

type deleteData struct {
	Job  *vitrine.JobRun
	Next string
}

// scheduledDeletePage asks before deleting: the confirmation step.
func (s *Server) scheduledDeletePage(w http.ResponseWriter, r *http.Request) {
	id, ok := s.entryID(w, r)
	if !ok {
		return
	}
	v := viewOf(r)
	j, err := s.jobs.Job(r.Context(), v.P.Company.ID, id)
	if err == nil {
		err = vitrine.CanControlJob(v.P, j)
	}
	if err != nil {
		s.renderError(w, r, v, ErrorStatus(err), s.errorText(r, err))
		return
	}
	d := deleteData{Job: j}
	if j.Schedule != nil {
		d.Next = inZone(j.Schedule.NextRun, v.P)
	}
	s.render(w, r, http.StatusOK, "scheduled_delete", "Delete "+j.Name+"?", d, "")
}

func (s *Server) scheduledDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := s.entryID(w, r)
	if !ok {
		return
	}
	v := viewOf(r)
	if err := s.jobs.Delete(r.Context(), v.P, id); err != nil {
		s.renderError(w, r, v, ErrorStatus(err), s.errorText(r, err))
		return
	}
	s.backToScheduled(w, r, "deleted", id)
}

// scheduledEntry reads an entry to edit: a Scheduled entry, else a page
// saying why not.
func (s *Server) scheduledEntry(w http.ResponseWriter, r *http.Request) (*vitrine.JobRun, bool) {
	id, ok := s.entryID(w, r)
	if !ok {
		return nil, false
	}
	v := viewOf(r)
	j, err := s.jobs.Job(r.Context(), v.P.Company.ID, id)
	if err == nil && j.Status != vitrine.JobScheduled {
		err = vitrine.Errorf(vitrine.ECONFLICT, "job %d is %s; only scheduled entries can be edited", id, j.Status)
	}
	if err == nil {
		err = vitrine.CanControlJob(v.P, j) // the forms of another's entry are not shown either
	}
	if err != nil {
		s.renderError(w, r, v, ErrorStatus(err), s.errorText(r, err))
		return nil, false
	}
	return j, true
}

// scheduledEdit is the Publish page (or the upload-job form) filled in
// with the entry.
func (s *Server) scheduledEdit(w http.ResponseWriter, r *http.Request) {
	j, ok := s.scheduledEntry(w, r)
	if !ok {
		return
	}
	v := viewOf(r)
	action := "/c/" + v.P.Company.RootID + "/jobs/scheduled/" + itoa64(j.ID) + "/edit"
	switch j.Type {
	case vitrine.JobPublish:
		f, err := publishFormOf(j)
		if err != nil {
			s.renderError(w, r, v, http.StatusInternalServerError, s.errorText(r, err))
			return
		}
		s.renderPublish(w, r, http.StatusOK, publishData{Form: f, Action: action, EditID: j.ID, Keep: keepsOptions(j)}, "")
	case vitrine.JobUpload:
		f, err := uploadJobFormOf(j)
		if err != nil {
			s.renderError(w, r, v, http.StatusInternalServerError, s.errorText(r, err))
			return
		}
		s.renderUploadJob(w, r, http.StatusOK, uploadJobData{Form: f, Action: action, EditID: j.ID}, "")
	default:
		s.renderError(w, r, v, http.StatusConflict, "This kind of job cannot be edited here.")
	}
}

// keepsOptions reports whether an entry's options are more than the
// Publish page shows (a scheduled Manage Publication action): its edit
// changes the name and the schedule only.
func keepsOptions(j *vitrine.JobRun) bool {
	var o jobs.Options
	return json.Unmarshal(j.Options, &o) == nil && o.Action != ""
}

// scheduledSave is PATCH /jobs/{id} from the Edit form.
func (s *Server) scheduledSave(w http.ResponseWriter, r *http.Request) {
	j, ok := s.scheduledEntry(w, r)
	if !ok {
		return
	}
	v := viewOf(r)
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, v, http.StatusBadRequest, "The form could not be read.")
		return
	}
	action := "/c/" + v.P.Company.RootID + "/jobs/scheduled/" + itoa64(j.ID) + "/edit"
	preview := r.PostForm.Get("preview") != ""
	switch j.Type {
	case vitrine.JobPublish:
		d := publishData{Form: readPublish(r), Action: action, EditID: j.ID, Keep: keepsOptions(j)}
		if d.Form.RunAs == j.User {
			d.Form.RunAs = "" // unchanged: only a new name asks to run as someone
		}
		if preview {
			d.When.Preview = s.preview(r, v.P, d.Form.When)
			s.renderPublish(w, r, http.StatusOK, d, "")
			return
		}
		if err := s.savePublish(r, v.P, j.ID, d.Form, d.Keep); err != nil {
			s.renderPublish(w, r, ErrorStatus(err), d, s.errorText(r, err))
			return
		}
	case vitrine.JobUpload:
		d := uploadJobData{Form: readUploadJob(r), Action: action, EditID: j.ID}
		if d.Form.RunAs == j.User {
			d.Form.RunAs = "" // unchanged
		}
		if preview {
			d.When.Preview = s.preview(r, v.P, d.Form.When)
			s.renderUploadJob(w, r, http.StatusOK, d, "")
			return
		}
		if err := s.saveUploadJob(r, v.P, j.ID, d.Form); err != nil {
			s.renderUploadJob(w, r, ErrorStatus(err), d, s.errorText(r, err))
			return
		}
	default:
		s.renderError(w, r, v, http.StatusConflict, "This kind of job cannot be edited here.")
		return
	}
	s.backToScheduled(w, r, "saved", j.ID)
}

// scheduleOf is the When of an edited entry: a Scheduled entry needs one.
func scheduleOf(f whenForm) (*jobs.When, error) {
	w, err := f.when()
	if err != nil {
		return nil, err
	}
	if w.IsNow() {
		return nil, vitrine.Errorf(vitrine.EINVALID, "a scheduled job needs a time; use Run now in the Scheduled tab to run it at once")
	}
	return &w, nil
}

func (s *Server) savePublish(r *http.Request, p *vitrine.Principal, id int64, f publishForm, keep bool) error {
	when, err := scheduleOf(f.When)
	if err != nil {
		return err
	}
	patch := jobs.Patch{Name: &f.Name, When: when}
	if !keep {
		if err := f.check(); err != nil {
			return err
		}
		o := f.options()
		patch.Options = &o
		if f.RunAs != "" {
			patch.RunAs = &f.RunAs
		}
	}
	_, err = s.jobs.Update(r.Context(), p, id, patch)
	return err
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
