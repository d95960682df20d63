package ui

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/vitrine/vitrine"
)

// logPageSize is how many log entries a job's detail shows at a time.
const logPageSize = 200

type jobData struct {
	Job        jobRow
	Log        []vitrine.JobLogEntry
	Level      string // "": every entry; "problems": warnings and errors
	NextURL    string // the log's next page; "" on its last
	FirstURL   string // the log's first page; "" on it
	Deliveries []vitrine.WebhookDelivery
	Done       string
}

// job shows one job: its status and progress (live while it runs), Cancel,
// its per-asset log a page at a time (all entries, or warnings and errors
// only), and its HTTP notification attempts (JOB-6).
func (s *Server) job(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	v.Section = "jobs"
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderError(w, r, v, http.StatusNotFound, "There is no such job.")
		return
	}
	q := r.URL.Query()
	j, err := s.store.Job(r.Context(), v.P.Company.ID, id)
	if err != nil {
		s.renderError(w, r, v, ErrorStatus(err), s.errorText(r, err))
		return
	}
	d := jobData{Job: newJobRow(v.P, j, ""), Level: q.Get("level"), Done: jobsDone(q)}
	f := vitrine.JobLogFilter{Limit: logPageSize}
	switch d.Level {
	case "":
	case "problems":
		f.Levels = []string{vitrine.LogWarning, vitrine.LogError}
	default:
		s.renderError(w, r, v, http.StatusBadRequest, "The log filter is all entries or warnings and errors.")
		return
	}
	if f.After, err = jobCursor(q.Get("after")); err != nil {
		s.renderError(w, r, v, ErrorStatus(err), s.errorText(r, err))
		return
	}
	if d.Log, err = s.store.JobLogPage(r.Context(), v.P.Company.ID, id, f); err != nil {
		s.renderError(w, r, v, ErrorStatus(err), s.errorText(r, err))
		return
	}
	if d.Deliveries, err = s.store.WebhookDeliveries(r.Context(), v.P.Company.ID, id); err != nil {
		s.renderError(w, r, v, ErrorStatus(err), s.errorText(r, err))
		return
	}
	page := func(after int64) string {
		u := d.Job.Detail
		pq := url.Values{}
		if d.Level != "" {
			pq.Set("level", d.Level)
		}
		if after > 0 {
			pq.Set("after", vitrine.EncodeCursor(strconv.FormatInt(after, 10)))
		}
		if enc := pq.Encode(); enc != "" {
			u += "?" + enc
		}
		return u
	}
	d.Job.Back = page(f.After)
	if len(d.Log) == logPageSize {
		d.NextURL = page(d.Log[len(d.Log)-1].ID)
	}
	if f.After > 0 {
		d.FirstURL = page(0)
	}
	s.render(w, r, http.StatusOK, "job", "Job "+j.Name, d, "")
}
