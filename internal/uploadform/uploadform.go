// Package uploadform reads a multipart/form-data upload: the API's
// POST …/assets and the workspace's upload page take the same form, so
// both read it here. Every file part is spooled to disk while hashed and
// identified from its bytes (service.Spool); the fields become
// vitrine.UploadOptions. Nothing is stored: the caller hands the files to
// an ingest use case, then calls Form.Remove.
package uploadform

import (
	"bufio"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/service"
)

// Limits bound one upload request.
type Limits struct {
	MaxBytes int64 // the request body
	MaxFiles int   // file parts
	// SkipHidden leaves out files whose name starts with a dot (.DS_Store,
	// ._photo.jpg), naming them in Form.Hidden: the workspace does, the
	// API stores what it is sent.
	SkipHidden bool
	// MinRate, when set, is the slowest average (bytes per second) the body
	// may arrive at after Grace: a large upload may take its time, a
	// trickle may not. Without it the body has an hour.
	MinRate int64
	Grace   time.Duration
}

// DefaultLimits are the API's defaults: 2 GiB and 1000 files a request.
func DefaultLimits() Limits { return Limits{MaxBytes: 2 << 30, MaxFiles: 1000} }

// Form is a read upload request.
type Form struct {
	Files  []service.Spooled
	Opts   vitrine.UploadOptions
	Hidden []string // hidden files left out (SkipHidden)
	// UploadJob names an open batch upload job the files join (0: the
	// request is an upload job of its own).
	UploadJob int64
}

// Remove deletes the spool files still on disk (those not stored).
func (f *Form) Remove() {
	if f == nil {
		return
	}
	for i := range f.Files {
		f.Files[i].Remove()
	}
}

// Read reads an upload request: file parts named "file", fields folder,
// publish, overwrite, sha256 (one per file, in order), job_name and
// upload_job. A bad request is refused whole, and what was spooled is
// removed. The returned Form's files are the caller's to Remove. Every
// file is copied through buf (service.SpoolBufferSize bytes, the caller's
// to reuse; nil: one made for the request), one after the other.
func Read(w http.ResponseWriter, r *http.Request, lim Limits, spoolDir string, buf []byte) (*Form, error) {
	if r.ContentLength > lim.MaxBytes {
		return nil, vitrine.Errorf(vitrine.ETOOLARGE, "request body is %d bytes; the limit is %d", r.ContentLength, lim.MaxBytes)
	}
	limitBody(w, r, lim)
	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" || params["boundary"] == "" {
		return nil, vitrine.Errorf(vitrine.EINVALID, "send multipart/form-data with one or more file parts")
	}
	f := &Form{}
	if len(buf) == 0 {
		buf = make([]byte, service.SpoolBufferSize)
	}
	if err := f.read(r, lim, spoolDir, params["boundary"], buf); err != nil {
		f.Remove()
		return nil, err
	}
	return f, nil
}

// limitBody bounds an upload body: MaxBytes, and MinRate after Grace (or
// an hour without MinRate).
func limitBody(w http.ResponseWriter, r *http.Request, lim Limits) {
	r.Body = http.MaxBytesReader(w, r.Body, lim.MaxBytes)
	if lim.MinRate > 0 {
		r.Body = struct {
			io.Reader
			io.Closer
		}{newRateReader(w, r.Body, lim.Grace, lim.MinRate), r.Body}
	} else {
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(time.Hour))
	}
}

func (f *Form) read(r *http.Request, lim Limits, spoolDir, boundary string, buf []byte) error {
	// The multipart reader pulls 4 KB at a time; a 256 KB buffer under it
	// turns that into few, large socket reads.
	mr := multipart.NewReader(bufio.NewReaderSize(r.Body, 256<<10), boundary)
	var digests []string
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return bodyError(err)
		}
		if part.FormName() == "file" {
			if len(f.Files) >= lim.MaxFiles {
				return vitrine.Errorf(vitrine.ETOOLARGE, "at most %d files per request", lim.MaxFiles)
			}
			name := rawFilename(part)
			if lim.SkipHidden && strings.HasPrefix(name, ".") {
				f.Hidden = append(f.Hidden, name)
				continue
			}
			sp, err := spool(part, name, spoolDir, buf)
			if sp != nil {
				f.Files = append(f.Files, *sp)
			}
			if err != nil {
				return err
			}
			continue
		}
		v, err := io.ReadAll(io.LimitReader(part, 4096))
		if err != nil {
			return bodyError(err)
		}
		if err := f.setField(&digests, lim.MaxFiles, part.FormName(), string(v)); err != nil {
			return err
		}
	}
	if len(f.Files) == 0 {
		if len(f.Hidden) > 0 {
			return vitrine.Errorf(vitrine.EINVALID, "every file was hidden (its name starts with a dot) and was skipped")
		}
		return vitrine.Errorf(vitrine.EINVALID, "no file parts: send each file in a part named \"file\"")
	}
	if len(digests) > 0 && len(digests) != len(f.Files) {
		return vitrine.Errorf(vitrine.EINVALID, "%d sha256 fields for %d files: send one per file, in file order", len(digests), len(f.Files))
	}
	if _, err := vitrine.CleanFolderPath(f.Opts.Folder); err != nil {
		return err
	}
	for i, d := range digests {
		if !strings.EqualFold(d, f.Files[i].File.SHA256) {
			return vitrine.Errorf(vitrine.EINVALID, "checksum mismatch for %s: sent sha256 %s, received %s", f.Files[i].File.Filename, d, f.Files[i].File.SHA256)
		}
	}
	return nil
}

func (f *Form) setField(digests *[]string, maxFiles int, name, v string) error {
	switch name {
	case "folder":
		f.Opts.Folder = v
	case "publish":
		b, err := strconv.ParseBool(v)
		if err != nil {
			return vitrine.Errorf(vitrine.EINVALID, "publish must be true or false")
		}
		f.Opts.Publish = &b
	case "overwrite":
		f.Opts.Overwrite = v
	case "job_name":
		f.Opts.JobName = v
	case "upload_job":
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || id <= 0 {
			return vitrine.Errorf(vitrine.EINVALID, "upload_job must be the id of an open upload job")
		}
		f.UploadJob = id
	case "sha256":
		if len(*digests) >= maxFiles {
			return vitrine.Errorf(vitrine.ETOOLARGE, "at most %d sha256 fields (one per file)", maxFiles)
		}
		*digests = append(*digests, strings.TrimSpace(v))
	default:
		return vitrine.Errorf(vitrine.EINVALID, "unknown form field %q (use file, folder, publish, overwrite, sha256, job_name, upload_job)", truncate(name, 64))
	}
	return nil
}

// spool writes one file part to the spool directory while hashing it, then
// identifies it (service.Spool, shared with URL-list and drop-folder
// uploads). On error the returned Spooled (if any) still names the temp
// file, for the caller to remove.
func spool(part io.Reader, name, dir string, buf []byte) (*service.Spooled, error) {
	if err := checkFilename(name); err != nil {
		return nil, err
	}
	sp, err := service.SpoolWith(part, name, dir, buf)
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
func bodyError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return vitrine.Errorf(vitrine.ETOOLARGE, "request body is larger than %d bytes", mbe.Limit)
	}
	return vitrine.Errorf(vitrine.EINVALID, "malformed or truncated request body: %v", err)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// rateReader fails a body that arrives slower than a minimum average rate
// after a grace period, by moving the connection's read deadline as bytes
// come: a large upload may take its time, a trickle may not.
type rateReader struct {
	r     io.Reader
	rc    *http.ResponseController
	start time.Time
	grace time.Duration
	rate  int64 // bytes per second
	n     int64
}

func newRateReader(w http.ResponseWriter, r io.Reader, grace time.Duration, rate int64) *rateReader {
	rr := &rateReader{r: r, rc: http.NewResponseController(w), start: time.Now(), grace: grace, rate: rate}
	_ = rr.rc.SetReadDeadline(rr.deadline())
	return rr
}

func (rr *rateReader) deadline() time.Time {
	return rr.start.Add(rr.grace + time.Duration(rr.n)*time.Second/time.Duration(rr.rate))
}

func (rr *rateReader) Read(p []byte) (int, error) {
	n, err := rr.r.Read(p)
	rr.n += int64(n)
	if n > 0 {
		_ = rr.rc.SetReadDeadline(rr.deadline())
	}
	return n, err
}
