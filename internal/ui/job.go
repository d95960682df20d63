package ui

import (
	"net/http"
	"strconv"

	"github.com/vitrine/vitrine"
)

type jobData struct {
	Job *vitrine.JobRun
	Log []vitrine.JobLogEntry
}

// job shows one job with its per-file log: where the Upload page links.
// The Jobs list (history, schedules, cancel) is the next part.
func (s *Server) job(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	v.Section = "jobs"
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderError(w, r, v, http.StatusNotFound, "There is no such job.")
		return
	}
	var d jobData
	if d.Job, err = s.store.Job(r.Context(), v.P.Company.ID, id); err != nil {
		s.renderError(w, r, v, ErrorStatus(err), s.errorText(r, err))
		return
	}
	if d.Log, err = s.store.JobLog(r.Context(), v.P.Company.ID, id, 0, 1000); err != nil {
		s.renderError(w, r, v, ErrorStatus(err), s.errorText(r, err))
		return
	}
	s.render(w, r, http.StatusOK, "job", "Job "+d.Job.Name, d, "")
}
