package ui

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/service"
	"github.com/vitrine/vitrine/internal/uploadform"
)

// overwriteModes are the API's overwrite modes, for the upload form.
var overwriteModes = []string{vitrine.OverwriteFullName, vitrine.OverwriteAnyExt, vitrine.OverwriteFullNameAnyFolder,
	vitrine.OverwriteAnyExtAnyFolder, vitrine.OverwriteOff}

type uploadData struct {
	Folder          string
	Folders         []vitrine.Folder
	Effective       *vitrine.EffectiveModes
	PublishDef      bool // Publish After Uploading's default: the folder's effective mode (UP-2)
	Publish         bool // what the select shows: PublishDef, or what the last upload asked
	Overwrite       []string
	OverwriteChosen string // the last upload's choice, "" the company's mode
	Company         string // the company's overwrite mode
	Result          *vitrine.UploadResult
	Hidden          []string
}

// upload is the Upload page: drop files or whole folders (upload.js sends
// them file by file into one batch job), or pick files with the plain file
// input, which posts them all in one request without JavaScript.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	d, err := s.uploadData(r, r.URL.Query().Get("folder"))
	if err != nil {
		s.renderError(w, r, viewOf(r), ErrorStatus(err), s.errorText(r, err))
		return
	}
	s.render(w, r, http.StatusOK, "upload", "Upload", d, "")
}

func (s *Server) uploadData(r *http.Request, folder string) (*uploadData, error) {
	v := viewOf(r)
	v.Section = "upload"
	if folder == "" {
		folder = "/"
	}
	folder, err := vitrine.CleanFolderPath(folder)
	if err != nil {
		return nil, err
	}
	d := &uploadData{Folder: folder, Overwrite: overwriteModes}
	if d.Folders, err = s.store.Folders(r.Context(), &v.P.Company, "/"); err != nil {
		return nil, err
	}
	f, err := s.store.Folder(r.Context(), &v.P.Company, folder)
	if vitrine.ErrorCode(err) == vitrine.ENOTFOUND && folder != "/" {
		// A folder an upload was to create: offer the root again.
		d.Folder = "/"
		f, err = s.store.Folder(r.Context(), &v.P.Company, "/")
	}
	if err != nil {
		return nil, err
	}
	d.Effective = f.Effective
	d.PublishDef = f.Effective != nil && f.Effective.PublishMode == vitrine.PublishImmediately && f.Effective.Synced()
	d.Publish = d.PublishDef
	d.Company = v.P.Company.Settings.OverwriteMode
	return d, nil
}

// uploadPost takes the upload form: all its files in one request (one
// job) without JavaScript; with upload_job, one file of a batch that
// upload.js sends, answered as JSON (the API's answer).
func (s *Server) uploadPost(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	lim := uploadform.DefaultLimits()
	lim.SkipHidden = true
	form, err := uploadform.Read(w, r, lim, s.svc.Blobs().SpoolDir(), nil)
	if err == nil {
		defer form.Remove()
	}
	var res *vitrine.UploadResult
	if err == nil && form.UploadJob != 0 {
		res, err = s.svc.IngestBatch(r.Context(), v.P, form.UploadJob, form.Files, form.Opts)
	} else if err == nil {
		res, err = s.svc.Ingest(r.Context(), v.P, form.Files, form.Opts)
	}
	if wantsJSON(r) {
		s.writeJSON(w, r, http.StatusCreated, res, err)
		return
	}
	folder := r.URL.Query().Get("folder")
	if form != nil {
		folder = form.Opts.Folder
	}
	d, derr := s.uploadData(r, folder)
	if derr != nil {
		s.renderError(w, r, v, ErrorStatus(derr), s.errorText(r, derr))
		return
	}
	if form != nil {
		// The page comes back with the choices the upload was made with,
		// so that the next one does not quietly revert them.
		if form.Opts.Publish != nil {
			d.Publish = *form.Opts.Publish
		}
		d.OverwriteChosen = form.Opts.Overwrite
	}
	if err != nil {
		s.render(w, r, ErrorStatus(err), "upload", "Upload", d, s.errorText(r, err))
		return
	}
	d.Result, d.Hidden = res, form.Hidden
	s.render(w, r, http.StatusCreated, "upload", "Upload", d, "")
}

// uploadOpen opens the batch upload job of a drop (upload.js).
func (s *Server) uploadOpen(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Folder string `json:"folder"`
		Total  int    `json:"total"`
	}
	err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&in)
	if err != nil {
		err = vitrine.Errorf(vitrine.EINVALID, "send {\"folder\", \"total\"}")
	}
	var j *vitrine.JobRun
	if err == nil {
		j, err = s.svc.OpenUpload(r.Context(), viewOf(r).P, "", in.Folder, in.Total)
	}
	s.writeJSON(w, r, http.StatusCreated, j, err)
}

// uploadFinish ends a drop's batch job, with the files not uploaded.
func (s *Server) uploadFinish(w http.ResponseWriter, r *http.Request) {
	var in struct {
		NotUploaded []service.NotUploaded `json:"not_uploaded"`
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		err = vitrine.Errorf(vitrine.ENOTFOUND, "job %q not found", r.PathValue("id"))
	} else if err = json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&in); err != nil {
		err = vitrine.Errorf(vitrine.EINVALID, "send {\"not_uploaded\": […]}")
	}
	var j *vitrine.JobRun
	if err == nil {
		j, err = s.svc.FinishUpload(r.Context(), viewOf(r).P, id, in.NotUploaded)
	}
	s.writeJSON(w, r, http.StatusOK, j, err)
}

func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// writeJSON answers a script's request: v, or the error as the API words
// it ({"error": {"code", "message"}}).
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	w.Header().Set("Content-Type", "application/json")
	if err != nil {
		status = ErrorStatus(err)
		if c := vitrine.ErrorCode(err); c == vitrine.ETOOLARGE {
			status = http.StatusRequestEntityTooLarge
		} else if c == vitrine.EUNSUPPORTED {
			status = http.StatusUnsupportedMediaType
		} else if c == vitrine.ECONFLICT {
			status = http.StatusConflict
		}
		v = map[string]any{"error": map[string]string{"code": vitrine.ErrorCode(err), "message": s.errorText(r, err)}}
	}
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
