package api

import (
	"net/http"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/service"
	"github.com/vitrine/vitrine/internal/uploadform"
)

// upload stores the files of a multipart request (UP-1): every file is
// spooled to disk while hashed, identified from its bytes (UP-7), checked
// against a client digest (UP-8), and only when all are good committed to
// the blob store and recorded in one transaction. A bad request leaves no
// row and no blob. With upload_job, the files join that open batch job
// (POST …/upload-jobs) instead of making a job of their own.
func (s *Server) upload(r *http.Request, c *call) (int, any, error) {
	buf := s.spoolBuf()
	form, err := uploadform.Read(c.w, r, s.uploadLimits(), s.blobs.SpoolDir(), *buf)
	s.spoolBufs.Put(buf) // not held through the ingest's flushes
	if err != nil {
		return 0, nil, err
	}
	return s.ingestForm(r, c, form)
}

// putAsset stores one file sent as the raw request body (PUT
// …/assets/{name}, {name} the file name): the multipart upload's checks
// and guarantees, with the options in the query and the client's SHA-256
// or CRC32C in a Content-Digest header, verified while the body is spooled. Clients
// can send a file as it is (sendfile), without a multipart envelope to
// build and scan.
func (s *Server) putAsset(r *http.Request, c *call) (int, any, error) {
	buf := s.spoolBuf()
	form, err := uploadform.ReadRaw(c.w, r, s.uploadLimits(), s.blobs.SpoolDir(), r.PathValue("name"), *buf)
	s.spoolBufs.Put(buf)
	if err != nil {
		return 0, nil, err
	}
	return s.ingestForm(r, c, form)
}

// spoolBuf lends a copy buffer of service.SpoolBufferSize bytes, to be
// put back in s.spoolBufs.
func (s *Server) spoolBuf() *[]byte {
	if buf, ok := s.spoolBufs.Get().(*[]byte); ok {
		return buf
	}
	b := make([]byte, service.SpoolBufferSize)
	return &b
}

func (s *Server) uploadLimits() uploadform.Limits {
	return uploadform.Limits{MaxBytes: s.cfg.MaxUploadBytes, MaxFiles: s.cfg.MaxFiles, Grace: s.cfg.BodyTimeout, MinRate: s.cfg.MinUploadRate}
}

// ingestForm hands a read upload to the ingest use case: into the open
// batch job it names, or as an upload job of its own.
func (s *Server) ingestForm(r *http.Request, c *call, form *uploadform.Form) (int, any, error) {
	defer form.Remove() // no-op for the files stored (renamed)
	var res *vitrine.UploadResult
	var err error
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
