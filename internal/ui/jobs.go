package ui

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/vitrine/vitrine"
)

// jobReader is what the Jobs pages read: the History list, a job's log a
// page at a time, its notification attempts.
type jobReader interface {
	Jobs(ctx context.Context, companyID int64, f vitrine.JobFilter) ([]vitrine.JobRun, error)
	JobLogPage(ctx context.Context, companyID, id int64, f vitrine.JobLogFilter) ([]vitrine.JobLogEntry, error)
	WebhookDeliveries(ctx context.Context, companyID, jobID int64) ([]vitrine.WebhookDelivery, error)
}

// jobsPageSize is how many jobs a History page shows.
const jobsPageSize = 50

// jobTypes are the types History filters by.
var jobTypes = []vitrine.JobType{vitrine.JobPublish, vitrine.JobUpload, vitrine.JobInvalidate, vitrine.JobMaintenance}

type jobsData struct {
	Q       url.Values
	Types   []vitrine.JobType
	Rows    []jobRow
	NextURL string // older jobs; "" on the last page
	PrevURL string // newer jobs; "" on the first page
	Done    string // what the last action did
}

// jobRow is one job as History and the detail show it.
type jobRow struct {
	*vitrine.JobRun
	Detail    string
	Back      string // where Cancel comes back to: the page showing the row
	CanCancel bool   // running or queued, and this user may stop it (JOB-4)
}

func newJobRow(p *vitrine.Principal, j *vitrine.JobRun, back string) jobRow {
	r := jobRow{JobRun: j, Detail: "/c/" + p.Company.RootID + "/jobs/" + strconv.FormatInt(j.ID, 10), Back: back}
	switch j.Status {
	case vitrine.JobQueued, vitrine.JobRunning:
		r.CanCancel = vitrine.CanControlJob(p, j) == nil
	}
	return r
}

// Active reports whether the job is still to end: its progress is live.
func (r jobRow) Active() bool { return !r.Status.Terminal() && r.Status != vitrine.JobScheduled }

// jobHistory is the Jobs page's History tab (JOB-1): the company's jobs newest
// first, filtered by type, date range and mine/all (a GET form), a page
// at a time. Running jobs' progress and status follow the company's event
// stream (static/jobs.js); without script the page shows them as loaded.
func (s *Server) jobHistory(w http.ResponseWriter, r *http.Request) {
	s.renderJobs(w, r, r.URL.Query(), http.StatusOK, "")
}

func (s *Server) renderJobs(w http.ResponseWriter, r *http.Request, q url.Values, status int, errText string) {
	v := viewOf(r)
	v.Section = "jobs"
	q = jobsQuery(q)
	d := &jobsData{Q: q, Types: jobTypes, Done: jobsDone(r.URL.Query())}
	f, err := jobFilter(q, v.User.ID, time.Now())
	if err == nil {
		err = s.jobsPage(r.Context(), v, q, f, d)
	}
	if err != nil {
		if errText == "" {
			errText = s.errorText(r, err)
		}
		if status == http.StatusOK {
			status = ErrorStatus(err)
		}
	}
	s.render(w, r, status, "jobs", "Jobs", d, errText)
}

// jobFilter reads History's form: type, range or since/until, show=mine,
// and the page cursors (before: older than, after: newer than).
func jobFilter(q url.Values, userID int64, now time.Time) (vitrine.JobFilter, error) {
	f := vitrine.JobFilter{Type: vitrine.JobType(q.Get("type")), Limit: jobsPageSize}
	if f.Type != "" && !validJobType(f.Type) {
		return f, vitrine.Errorf(vitrine.EINVALID, "job type %q is not publish, upload, invalidate or maintenance", f.Type)
	}
	if q.Get("show") == "mine" {
		f.UserID = userID
	}
	var err error
	if f.Since, f.Until, err = vitrine.JobDateRange(q.Get("range"), q.Get("since"), q.Get("until"), now); err != nil {
		return f, err
	}
	for _, c := range []struct {
		name string
		to   *int64
	}{{"before", &f.Before}, {"after", &f.After}} {
		if *c.to, err = jobCursor(q.Get(c.name)); err != nil {
			return f, err
		}
	}
	return f, nil
}

func validJobType(t vitrine.JobType) bool {
	for _, k := range jobTypes {
		if k == t {
			return true
		}
	}
	return false
}

// jobCursor reads a History page cursor: opaque to people, a job ID here.
func jobCursor(c string) (int64, error) {
	key, err := vitrine.DecodeCursor(c)
	if err != nil || key == "" {
		return 0, err
	}
	id, err := strconv.ParseInt(key, 10, 64)
	if err != nil || id < 1 {
		return 0, vitrine.Errorf(vitrine.EINVALID, "this page link is not one Vitrine made; start from the first page")
	}
	return id, nil
}

// jobsPage fills d with the page f selects and the links to its
// neighbours. One more job than shown is read to know whether there is a
// page beyond.
func (s *Server) jobsPage(ctx context.Context, v *view, q url.Values, f vitrine.JobFilter, d *jobsData) error {
	f.Limit = jobsPageSize + 1
	list, err := s.store.Jobs(ctx, v.P.Company.ID, f)
	if err != nil {
		return err
	}
	more := len(list) > jobsPageSize
	if more {
		if f.After > 0 {
			list = list[1:] // newest first: the extra one is the newest
		} else {
			list = list[:jobsPageSize]
		}
	}
	here := s.jobsURL(v, q, nil)
	for i := range list {
		d.Rows = append(d.Rows, newJobRow(v.P, &list[i], here))
	}
	if len(list) == 0 {
		if f.Before > 0 || f.After > 0 {
			d.PrevURL = s.jobsURL(v, q, nil) // an emptied page: back to the first
		}
		return nil
	}
	newest, oldest := list[0].ID, list[len(list)-1].ID
	// Older jobs: there are when this page was full going back, or when
	// it was reached going forward (it was newer than a page shown).
	if (f.After == 0 && more) || f.After > 0 {
		d.NextURL = s.jobsURL(v, q, map[string]string{"before": vitrine.EncodeCursor(strconv.FormatInt(oldest, 10)), "after": ""})
	}
	// Newer jobs: there are when this page is not the first.
	if (f.After > 0 && more) || f.Before > 0 {
		d.PrevURL = s.jobsURL(v, q, map[string]string{"after": vitrine.EncodeCursor(strconv.FormatInt(newest, 10)), "before": ""})
	}
	return nil
}

// jobsQuery keeps History's own parameters, non-empty.
func jobsQuery(q url.Values) url.Values {
	out := url.Values{}
	for _, k := range []string{"type", "range", "since", "until", "show", "before", "after"} {
		if v := q.Get(k); v != "" {
			out.Set(k, v)
		}
	}
	return out
}

// jobsURL is History with q, changed by set ("" removes a key).
func (s *Server) jobsURL(v *view, q url.Values, set map[string]string) string {
	q = jobsQuery(q)
	for k, val := range set {
		if val == "" {
			q.Del(k)
		} else {
			q.Set(k, val)
		}
	}
	u := "/c/" + v.P.Company.RootID + "/jobs"
	if enc := q.Encode(); enc != "" {
		u += "?" + enc
	}
	return u
}

// jobsDone says what a Cancel did, after its redirect.
func jobsDone(q url.Values) string {
	switch q.Get("done") {
	case "stopping":
		return "Job " + q.Get("job") + " is stopping: it ends after the batch it is on."
	case "cancelled":
		return "Job " + q.Get("job") + " is cancelled."
	}
	return ""
}

// jobCancel is the Cancel button (JOB-4), a plain form post: the same use
// case as the API's POST /jobs/{id}/cancel. It comes back to the page it
// was pressed on (History or the job's detail), which shows "stopping"
// and then, live, "cancelled". The page's script posts with X-Fragment:
// job instead and gets the new status as text, staying on the page.
func (s *Server) jobCancel(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderError(w, r, v, http.StatusNotFound, "There is no such job.")
		return
	}
	back := r.PostFormValue("back")
	if home := "/c/" + v.P.Company.RootID + "/jobs"; !strings.HasPrefix(back, home) {
		back = home
	}
	j, err := s.svc.CancelJob(r.Context(), v.P, id)
	if r.Header.Get("X-Fragment") == "job" {
		// The page's script posted: answer the status to show, or why not.
		if err != nil {
			http.Error(w, s.errorText(r, err), ErrorStatus(err))
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte(j.Status))
		return
	}
	if err != nil {
		s.renderJobs(w, r, queryOf(back), ErrorStatus(err), "Job "+strconv.FormatInt(id, 10)+": "+s.errorText(r, err))
		return
	}
	done := "stopping"
	if j.Status.Terminal() {
		done = "cancelled"
	}
	u, _ := url.Parse(back)
	q := u.Query()
	q.Set("done", done)
	q.Set("job", strconv.FormatInt(id, 10))
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
}
