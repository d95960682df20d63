package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/vitrine/vitrine"
)

// listJobs is the Jobs view (JOB-1): ?tab=history (default) or scheduled,
// type=publish|upload, mine=true, range=today|week|month or since/until
// (RFC 3339 or YYYY-MM-DD), status, limit.
func (s *Server) listJobs(r *http.Request, c *call) (int, any, error) {
	q := r.URL.Query()
	f := vitrine.JobFilter{Type: vitrine.JobType(q.Get("type")), Status: vitrine.JobStatus(q.Get("status"))}
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
	if f.Since, f.Until, err = dateRange(q.Get("range"), q.Get("since"), q.Get("until"), time.Now()); err != nil {
		return 0, nil, err
	}
	f.Limit, _ = strconv.Atoi(q.Get("limit"))
	var jobs []vitrine.JobRun
	if s.hooks.Jobs != nil {
		jobs, err = s.hooks.Jobs.Jobs(r.Context(), c.p.Company.ID, f)
	} else {
		jobs, err = s.db.Jobs(r.Context(), c.p.Company.ID, f)
	}
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"jobs": jobs}, nil
}

// dateRange reads the Jobs view's Date Range: today, the previous week or
// month, or since/until.
func dateRange(rng, since, until string, now time.Time) (time.Time, time.Time, error) {
	var from, to time.Time
	switch rng {
	case "":
	case "today":
		from = now.Truncate(24 * time.Hour)
	case "week":
		from = now.AddDate(0, 0, -7)
	case "month":
		from = now.AddDate(0, -1, 0)
	default:
		return from, to, vitrine.Errorf(vitrine.EINVALID, "range must be today, week or month")
	}
	for _, p := range []struct {
		s string
		t *time.Time
	}{{since, &from}, {until, &to}} {
		if p.s == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, p.s)
		if err != nil {
			if t, err = time.Parse("2006-01-02", p.s); err != nil {
				return from, to, vitrine.Errorf(vitrine.EINVALID, "since and until are RFC 3339 times or YYYY-MM-DD dates")
			}
		}
		*p.t = t
	}
	return from, to, nil
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

func (s *Server) jobLog(r *http.Request, c *call) (int, any, error) {
	id, err := jobID(r)
	if err != nil {
		return 0, nil, err
	}
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	log, err := s.db.JobLog(r.Context(), c.p.Company.ID, id, after, limit)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"log": log}, nil
}
