package api

import (
	"net/http"

	"github.com/vitrine/vitrine/internal/service"
)

// openUploadBody is POST …/upload-jobs: a batch upload job that several
// upload requests fill (field upload_job), then finish.
type openUploadBody struct {
	Name   string `json:"name"`
	Folder string `json:"folder"`
	Total  int    `json:"total"` // files the batch expects: the job's progress bar
}

func (s *Server) openUpload(r *http.Request, c *call) (int, any, error) {
	var in openUploadBody
	if err := s.decode(r, &in); err != nil {
		return 0, nil, err
	}
	j, err := s.svc.OpenUpload(r.Context(), c.p, in.Name, in.Folder, in.Total)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, j, nil
}

// finishUploadBody lists the batch's files that were not uploaded, for the
// job's log.
type finishUploadBody struct {
	NotUploaded []service.NotUploaded `json:"not_uploaded"`
}

func (s *Server) finishUpload(r *http.Request, c *call) (int, any, error) {
	id, err := jobID(r)
	if err != nil {
		return 0, nil, err
	}
	var in finishUploadBody
	if r.ContentLength != 0 {
		if err := s.decode(r, &in); err != nil {
			return 0, nil, err
		}
	}
	j, err := s.svc.FinishUpload(r.Context(), c.p, id, in.NotUploaded)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, j, nil
}
