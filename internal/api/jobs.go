package api

import (
	"net/http"
	"strconv"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

func (s *Server) listJobs(r *http.Request, c *call) (int, any, error) {
	q := r.URL.Query()
	f := sqlstore.JobFilter{Type: vitrine.JobType(q.Get("type"))}
	if q.Get("mine") == "true" {
		f.UserID = c.u.ID
	}
	f.Limit, _ = strconv.Atoi(q.Get("limit"))
	jobs, err := s.db.Jobs(r.Context(), c.p.Company.ID, f)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"jobs": jobs}, nil
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
	j, err := s.db.Job(r.Context(), c.p.Company.ID, id)
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
