package jobs_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/jobs"
	"github.com/vitrine/vitrine/internal/sqlstore"
	"github.com/vitrine/vitrine/internal/testenv"
)

func jpegBytes(t *testing.T, seed byte) []byte { return testenv.JPEG(t, 16, 16, seed) }

// TestUploadJobs: a URL-list upload through the outbound client, with a
// follow-on publish job Pub_<name>; a drop-folder upload that moves files
// to done/ and failed/ (UP-1, JOB-6).
func TestUploadJobs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	img := jpegBytes(t, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/img/shoe.jpg" {
			http.NotFound(w, r)
			return
		}
		w.Write(img)
	}))
	defer srv.Close()
	drop := t.TempDir()
	e := newEnv(t, filepath.Join(t.TempDir(), "v.db"), func(c *jobs.Config) {
		c.Outbound.AllowPrivate = true
		c.DropRoot = drop
	})
	e.instantOff(t)
	if err := e.eng.Start(ctx); err != nil {
		t.Fatal(err)
	}
	j, err := e.eng.Submit(ctx, e.user, jobs.Submission{Type: vitrine.JobUpload, Name: "Feed", Options: jobs.Options{Upload: &jobs.UploadOptions{
		URLs: []string{srv.URL + "/img/shoe.jpg", srv.URL + "/img/missing.jpg"}, Folder: "/feed", Follow: jobs.FollowPublish, FollowOnlyIfFiles: true}}})
	if err != nil {
		t.Fatal(err)
	}
	done := e.wait(t, j.ID)
	if done.Status != vitrine.JobSucceededWithWarnings || done.Done != 1 || done.Errors != 1 || done.Published != 1 {
		t.Fatalf("upload job = %+v", done)
	}
	// The follow-on job is recorded before the upload job's run ends.
	all, err := e.db.Jobs(ctx, e.admin.Company.ID, sqlstore.JobFilter{Type: vitrine.JobPublish})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all[0].Name != "Pub_"+done.Name {
		t.Fatalf("follow-on = %+v, want one Pub_%s", all, done.Name)
	}
	if pub := e.wait(t, all[0].ID); pub.Published != 1 || e.live(t, "shoe") != 1 {
		t.Errorf("follow-on publish = %+v, shoe live v%d", pub, e.live(t, "shoe"))
	}

	dir := filepath.Join(drop, "acme", "incoming")
	os.MkdirAll(dir, 0o750)
	os.WriteFile(filepath.Join(dir, "boot.jpg"), jpegBytes(t, 2), 0o640)
	os.WriteFile(filepath.Join(dir, "notes.exe"), []byte("MZ\x90\x00 not allowed"), 0o640)
	os.WriteFile(filepath.Join(dir, ".DS_Store"), []byte("x"), 0o640)
	j, err = e.eng.Submit(ctx, e.user, jobs.Submission{Type: vitrine.JobUpload, Options: jobs.Options{Upload: &jobs.UploadOptions{
		FromDrop: true, Drop: "incoming", Folder: "/drop"}}})
	if err != nil {
		t.Fatal(err)
	}
	done = e.wait(t, j.ID)
	if done.Done != 1 || done.Errors != 1 || done.Warnings != 1 {
		t.Errorf("drop job = %+v, want 1 done, 1 error, 1 warning", done)
	}
	for _, p := range []string{"done/boot.jpg", "failed/notes.exe", ".DS_Store"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	if _, err := e.eng.Submit(ctx, e.user, jobs.Submission{Type: vitrine.JobUpload, Options: jobs.Options{Upload: &jobs.UploadOptions{
		FromDrop: true, Drop: "../globex"}}}); vitrine.ErrorCode(err) != vitrine.EINVALID {
		t.Errorf("drop outside the company: %v, want invalid", err)
	}
}
