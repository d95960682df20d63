package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/vitrine/vitrine"
)

// listJobs is the Jobs view (JOB-1): ?tab=history (default) or scheduled,
// type=publish|upload, mine=true, range=today|week|month or since/until
// (RFC 3339 or YYYY-MM-DD), status, limit, and cursor: the next_cursor of
// the page before, present when there may be more.
func (s *Server) listJobs(r *http.Request, c *call) (int, any, error) {
	q := r.URL.Query()
	f := vitrine.JobFilter{Type: vitrine.JobType(q.Get("type")), Status: vitrine.JobStatus(q.Get("status"))}
	if err := f.CheckKinds(); err != nil {
		return 0, nil, err
	}
	switch q.Get("tab") {
	case "", "history":
	case "scheduled":
		f.Scheduled = true
	default:
		return 0, nil, vitrine.Errorf(vitrine.EINVALID, "tab must be history or scheduled")
	}
	if q.Get("mine") == "true" || q.Get("show") == "mine" {
		f.UserID = c.u.ID
	}
	var err error
	if f.Since, f.Until, err = vitrine.JobDateRange(q.Get("range"), q.Get("since"), q.Get("until"), time.Now()); err != nil {
		return 0, nil, err
	}
	if f.Limit, err = intParam(q.Get("limit"), "limit", 1000); err != nil {
		return 0, nil, err
	}
	if f.Limit == 0 {
		f.Limit = 100
	}
	if f.Before, err = cursorParam(q.Get("cursor")); err != nil {
		return 0, nil, err
	}
	var jobs []vitrine.JobRun
	if s.hooks.Jobs != nil {
		jobs, err = s.hooks.Jobs.Jobs(r.Context(), c.p.Company.ID, f)
	} else {
		jobs, err = s.db.Jobs(r.Context(), c.p.Company.ID, f)
	}
	if err != nil {
		return 0, nil, err
	}
	body := map[string]any{"jobs": jobs}
	if len(jobs) == f.Limit {
		body["next_cursor"] = strconv.FormatInt(jobs[len(jobs)-1].ID, 10)
	}
	return http.StatusOK, body, nil
}

// intParam reads a non-negative integer query parameter; "" is 0, and
// more than max is max.
func intParam(v, name string, max int) (int, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, vitrine.Errorf(vitrine.EINVALID, "%s must be a whole number", name)
	}
	return min(n, max), nil
}

// cursorParam reads a page cursor: opaque to clients, an ID here.
func cursorParam(v string) (int64, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, vitrine.Errorf(vitrine.EINVALID, "cursor %q is not one this API gave", v)
	}
	return n, nil
}

func jobID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return 0, vitrine.Errorf(vitrine.ENOTFOUND, "job %q not found", r.PathValue("id"))
	}
	return id, nil
}

func (s *Server) getJob(r *http.Request, c *call) (int, any, error) {
	id, err := jobID(r)
	if err != nil {
		return 0, nil, err
	}
	var j *vitrine.JobRun
	if s.hooks.Jobs != nil {
		j, err = s.hooks.Jobs.Job(r.Context(), c.p.Company.ID, id)
	} else {
		j, err = s.db.Job(r.Context(), c.p.Company.ID, id)
	}
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, j, nil
}

// jobLog is a job's per-asset log, oldest first (the job detail):
// ?level=warning|error (or both, comma-separated), limit (1..1000, 200),
// and cursor: the next_cursor of the page before. after=ID, the older
// form of the cursor, still works.
func (s *Server) jobLog(r *http.Request, c *call) (int, any, error) {
	id, err := jobID(r)
	if err != nil {
		return 0, nil, err
	}
	q := r.URL.Query()
	var f vitrine.JobLogFilter
	if f.Limit, err = intParam(q.Get("limit"), "limit", 1000); err != nil {
		return 0, nil, err
	}
	if f.Limit == 0 {
		f.Limit = 200
	}
	cur := q.Get("cursor")
	if cur == "" && q.Get("after") != "0" {
		cur = q.Get("after")
	}
	if f.After, err = cursorParam(cur); err != nil {
		return 0, nil, err
	}
	if lv := q.Get("level"); lv != "" {
		for _, l := range strings.Split(lv, ",") {
			switch l = strings.TrimSpace(l); l {
			case vitrine.LogInfo, vitrine.LogWarning, vitrine.LogError:
				f.Levels = append(f.Levels, l)
			default:
				return 0, nil, vitrine.Errorf(vitrine.EINVALID, "level %q must be info, warning or error", l)
			}
		}
	}
	log, err := s.db.JobLogPage(r.Context(), c.p.Company.ID, id, f)
	if err != nil {
		return 0, nil, err
	}
	body := map[string]any{"log": log}
	if len(log) == f.Limit {
		body["next_cursor"] = strconv.FormatInt(log[len(log)-1].ID, 10)
	}
	return http.StatusOK, body, nil
}
