package api

import (
	"net/http"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/uploadform"
)

// upload stores the files of a multipart request (UP-1): every file is
// spooled to disk while hashed, identified from its bytes (UP-7), checked
// against a client digest (UP-8), and only when all are good committed to
// the blob store and recorded in one transaction. A bad request leaves no
// row and no blob. With upload_job, the files join that open batch job
// (POST …/upload-jobs) instead of making a job of their own.
func (s *Server) upload(r *http.Request, c *call) (int, any, error) {
	form, err := uploadform.Read(c.w, r, uploadform.Limits{MaxBytes: s.cfg.MaxUploadBytes, MaxFiles: s.cfg.MaxFiles, Grace: s.cfg.BodyTimeout, MinRate: s.cfg.MinUploadRate}, s.blobs.SpoolDir())
	if err != nil {
		return 0, nil, err
	}
	defer form.Remove() // no-op for the files stored (renamed)
	var res *vitrine.UploadResult
	if form.UploadJob != 0 {
		res, err = s.svc.IngestBatch(r.Context(), c.p, form.UploadJob, form.Files, form.Opts)
	} else {
		res, err = s.svc.Ingest(r.Context(), c.p, form.Files, form.Opts)
	}
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, res, nil
}
