package ui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/jobs"
)

// The Jobs page's New upload job tab (UP-1, JOB-6): upload from a list of
// URLs or from a drop folder, now, later or recurring, with what follows
// (publish after uploading, a publish job, an HTTP notification). It
// submits a jobs.Submission of type upload, as POST /jobs does.

// uploadJobForm is the upload-job form's fields, as typed.
type uploadJobForm struct {
	Name        string
	Source      string // urls or drop
	URLs        string // one a line
	Drop        string // a folder under the company's drop folder
	Folder      string
	Publish     string // "" (the folder's mode), true, false
	Overwrite   string
	Follow      string // none, publish, http
	FollowURL   string
	OnlyIfFiles bool
	NotifyURL   string
	RunAs       string
	When        whenForm
}

type uploadJobData struct {
	Form      uploadJobForm
	When      whenView
	Action    string
	EditID    int64
	Overwrite []string
	Company   string // the company's overwrite mode
	Folders   []string
}

func (s *Server) uploadJobPage(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	f := uploadJobForm{Source: "urls", Folder: "/", Follow: jobs.FollowNone, When: defaultWhen()}
	s.renderUploadJob(w, r, http.StatusOK, uploadJobData{Form: f, Action: "/c/" + v.P.Company.RootID + "/upload-jobs"}, "")
}

func readUploadJob(r *http.Request) uploadJobForm {
	f := r.PostForm
	return uploadJobForm{Name: f.Get("name"), Source: f.Get("source"), URLs: f.Get("urls"), Drop: strings.TrimSpace(f.Get("drop")),
		Folder: strings.TrimSpace(f.Get("folder")), Publish: f.Get("publish"), Overwrite: f.Get("overwrite"),
		Follow: f.Get("follow"), FollowURL: strings.TrimSpace(f.Get("follow_url")), OnlyIfFiles: f.Get("follow_only_if_files") != "",
		NotifyURL: strings.TrimSpace(f.Get("notify_url")), RunAs: strings.TrimSpace(f.Get("run_as")), When: readWhen(f)}
}

// options are the form's job options; the engine checks them.
func (f uploadJobForm) options() jobs.Options {
	u := &jobs.UploadOptions{Folder: f.Folder, Overwrite: f.Overwrite, Follow: f.Follow, FollowOnlyIfFiles: f.OnlyIfFiles}
	if f.Folder == "" {
		u.Folder = "/"
	}
	if f.Source == "drop" {
		u.FromDrop, u.Drop = true, f.Drop
	} else {
		u.URLs = lines(f.URLs)
	}
	switch f.Publish {
	case "true", "false":
		b := f.Publish == "true"
		u.Publish = &b
	}
	if f.Follow == jobs.FollowHTTP {
		u.FollowURL = f.FollowURL
	}
	return jobs.Options{Upload: u, NotifyURL: f.NotifyURL}
}

func (s *Server) uploadJobPost(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, v, http.StatusBadRequest, "The form could not be read.")
		return
	}
	d := uploadJobData{Form: readUploadJob(r), Action: "/c/" + v.P.Company.RootID + "/upload-jobs"}
	if r.PostForm.Get("preview") != "" {
		d.When.Preview = s.preview(r, v.P, d.Form.When)
		s.renderUploadJob(w, r, http.StatusOK, d, "")
		return
	}
	j, err := s.submitUploadJob(r, v.P, d.Form)
	if err != nil {
		s.renderUploadJob(w, r, ErrorStatus(err), d, s.errorText(r, err))
		return
	}
	// The job's own page, scheduled or not: it shows what the job did.
	http.Redirect(w, r, "/c/"+v.P.Company.RootID+"/jobs/"+itoa64(j.ID), http.StatusSeeOther)
}

func (s *Server) submitUploadJob(r *http.Request, p *vitrine.Principal, f uploadJobForm) (*vitrine.JobRun, error) {
	if s.jobs == nil {
		return nil, errNoEngine
	}
	when, err := f.When.when()
	if err != nil {
		return nil, err
	}
	return s.jobs.Submit(r.Context(), p, jobs.Submission{Type: vitrine.JobUpload, Name: f.Name, When: when, RunAs: f.RunAs,
		Options: f.options()})
}

func (s *Server) saveUploadJob(r *http.Request, p *vitrine.Principal, id int64, f uploadJobForm) error {
	when, err := scheduleOf(f.When)
	if err != nil {
		return err
	}
	o := f.options()
	patch := jobs.Patch{Name: &f.Name, When: when, Options: &o}
	if f.RunAs != "" {
		patch.RunAs = &f.RunAs
	}
	_, err = s.jobs.Update(r.Context(), p, id, patch)
	return err
}

func (s *Server) renderUploadJob(w http.ResponseWriter, r *http.Request, status int, d uploadJobData, errText string) {
	v := viewOf(r)
	v.Section = "jobs"
	d.When = whenViewWith(v.P, d.Form.When, d.When.Preview)
	d.Overwrite, d.Company = overwriteModes, v.P.Company.Settings.OverwriteMode
	d.Folders = s.folderHints(r, v.P)
	title := "New upload job"
	if d.EditID != 0 {
		title = "Edit scheduled upload job"
	}
	s.render(w, r, status, "uploadjob", title, d, errText)
}

// uploadJobFormOf is the Edit form of an upload entry.
func uploadJobFormOf(j *vitrine.JobRun) (uploadJobForm, error) {
	var o jobs.Options
	if len(j.Options) > 0 {
		if err := json.Unmarshal(j.Options, &o); err != nil {
			return uploadJobForm{}, fmt.Errorf("job %d options: %w", j.ID, err)
		}
	}
	f := uploadJobForm{Name: j.Name, RunAs: j.User, NotifyURL: o.NotifyURL, When: whenFormOf(jobs.WhenOf(j.Schedule)),
		Source: "urls", Follow: jobs.FollowNone}
	if u := o.Upload; u != nil {
		f.URLs, f.Drop, f.Folder, f.Overwrite, f.FollowURL, f.OnlyIfFiles = strings.Join(u.URLs, "\n"), u.Drop, u.Folder, u.Overwrite, u.FollowURL, u.FollowOnlyIfFiles
		if u.FromDrop {
			f.Source = "drop"
		}
		if u.Follow != "" {
			f.Follow = u.Follow
		}
		if u.Publish != nil {
			f.Publish = "false"
			if *u.Publish {
				f.Publish = "true"
			}
		}
	}
	return f, nil
}
