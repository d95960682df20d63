package api

import (
	"bufio"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"strconv"
	"strings"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/service"
)

// spooled is one uploaded file on local disk, hashed and identified.
type spooled = service.Spooled

// upload stores the files of a multipart request (UP-1): every file is
// spooled to disk while hashed, identified from its bytes (UP-7), checked
// against a client digest (UP-8), and only when all are good committed to
// the blob store and recorded in one transaction. A bad request leaves no
// row and no blob.
func (s *Server) upload(r *http.Request, c *call) (int, any, error) {
	if r.ContentLength > s.cfg.MaxUploadBytes {
		return 0, nil, vitrine.Errorf(vitrine.ETOOLARGE, "request body is %d bytes; the limit is %d", r.ContentLength, s.cfg.MaxUploadBytes)
	}
	r.Body = http.MaxBytesReader(c.w, r.Body, s.cfg.MaxUploadBytes)
	body := newRateReader(c.w, r.Body, s.cfg.BodyTimeout, s.cfg.MinUploadRate)
	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" || params["boundary"] == "" {
		return 0, nil, vitrine.Errorf(vitrine.EINVALID, "send multipart/form-data with one or more file parts")
	}
	// The multipart reader pulls 4 KB at a time; a 256 KB buffer under it
	// turns that into few, large socket reads.
	mr := multipart.NewReader(bufio.NewReaderSize(body, 256<<10), params["boundary"])
	var files []spooled
	defer func() {
		for _, f := range files {
			os.Remove(f.Path) // no-op once committed (renamed)
		}
	}()
	var opts vitrine.UploadOptions
	var digests []string
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return 0, nil, bodyError(err)
		}
		if part.FormName() == "file" {
			if len(files) >= s.cfg.MaxFiles {
				return 0, nil, vitrine.Errorf(vitrine.ETOOLARGE, "at most %d files per request", s.cfg.MaxFiles)
			}
			f, err := s.spool(part)
			if f != nil {
				files = append(files, *f)
			}
			if err != nil {
				return 0, nil, err
			}
			continue
		}
		v, err := io.ReadAll(io.LimitReader(part, 4096))
		if err != nil {
			return 0, nil, bodyError(err)
		}
		if err := setField(&opts, &digests, s.cfg.MaxFiles, part.FormName(), string(v)); err != nil {
			return 0, nil, err
		}
	}
	if len(files) == 0 {
		return 0, nil, vitrine.Errorf(vitrine.EINVALID, "no file parts: send each file in a part named \"file\"")
	}
	if len(digests) > 0 && len(digests) != len(files) {
		return 0, nil, vitrine.Errorf(vitrine.EINVALID, "%d sha256 fields for %d files: send one per file, in file order", len(digests), len(files))
	}
	if _, err := vitrine.CleanFolderPath(opts.Folder); err != nil {
		return 0, nil, err
	}
	for i, d := range digests {
		if !strings.EqualFold(d, files[i].File.SHA256) {
			return 0, nil, vitrine.Errorf(vitrine.EINVALID, "checksum mismatch for %s: sent sha256 %s, received %s", files[i].File.Filename, d, files[i].File.SHA256)
		}
	}
	res, err := s.svc.Ingest(r.Context(), c.p, files, opts)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, res, nil
}

func setField(opts *vitrine.UploadOptions, digests *[]string, maxFiles int, name, v string) error {
	switch name {
	case "folder":
		opts.Folder = v
	case "publish":
		b, err := strconv.ParseBool(v)
		if err != nil {
			return vitrine.Errorf(vitrine.EINVALID, "publish must be true or false")
		}
		opts.Publish = &b
	case "overwrite":
		opts.Overwrite = v
	case "job_name":
		opts.JobName = v
	case "sha256":
		if len(*digests) >= maxFiles {
			return vitrine.Errorf(vitrine.ETOOLARGE, "at most %d sha256 fields (one per file)", maxFiles)
		}
		*digests = append(*digests, strings.TrimSpace(v))
	default:
		return vitrine.Errorf(vitrine.EINVALID, "unknown form field %q (use file, folder, publish, overwrite, sha256, job_name)", truncate(name, 64))
	}
	return nil
}

// spool writes one file part to the spool directory while hashing it, then
// identifies it (service.Spool, shared with URL-list and drop-folder uploads).
// On error the returned spooled (if any) still names the temp file, for the
// caller to remove.
func (s *Server) spool(part *multipart.Part) (*spooled, error) {
	name := rawFilename(part)
	if err := checkFilename(name); err != nil {
		return nil, err
	}
	sp, err := service.Spool(part, name, s.blobs.SpoolDir())
	var re *service.ReadError
	if errors.As(err, &re) {
		err = bodyError(re.Err)
	}
	return sp, err
}

// rawFilename returns the file name as the client sent it: Part.FileName
// strips directories, which would hide a "../" attempt instead of refusing it.
func rawFilename(part *multipart.Part) string {
	_, params, err := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
	if err != nil {
		return part.FileName()
	}
	return params["filename"]
}

// checkFilename refuses names that try to be paths or carry junk: the
// asset id comes from the name, so a bad one is a client error, not
// something to guess around.
func checkFilename(name string) error {
	switch {
	case name == "":
		return vitrine.Errorf(vitrine.EINVALID, "a file part has no file name")
	case len(name) > 1024:
		return vitrine.Errorf(vitrine.EINVALID, "file name is %d bytes long; the limit is 1024", len(name))
	case strings.ContainsRune(name, 0):
		return vitrine.Errorf(vitrine.EINVALID, "file name contains a NUL byte")
	case strings.ContainsAny(name, `/\`):
		return vitrine.Errorf(vitrine.EINVALID, "file name %q must not contain a path", truncate(name, 64))
	}
	return nil
}

// bodyError turns a failure reading the request body into a client error.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
