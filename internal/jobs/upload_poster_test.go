package jobs_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/blob"
	"github.com/vitrine/vitrine/internal/jobs"
	"github.com/vitrine/vitrine/internal/service"
	"github.com/vitrine/vitrine/internal/sqlstore"
	"github.com/vitrine/vitrine/internal/testenv"
	"github.com/vitrine/vitrine/internal/video"
)

// TestUploadJobMakesPosters: a video fetched by a URL-list upload job gets
// its poster thumbnail (<name>-poster, a derived image published with it),
// as a multipart upload does: both run the same ingest use case. Before
// the service layer only the API made posters.
func TestUploadJobMakesPosters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	testenv.RequireTool(t, "ffmpeg")
	clip := filepath.Join(t.TempDir(), "clip.mp4")
	cmd := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=s=64x48:d=1:r=10",
		"-c:v", "mpeg4", "-f", "mp4", clip)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v: %s", err, b)
	}
	body, err := os.ReadFile(clip)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) }))
	defer srv.Close()

	dsn := filepath.Join(t.TempDir(), "v.db")
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	blobs, err := blob.OpenLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	posters, err := video.New(video.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	cfg := jobs.DefaultConfig()
	cfg.Outbound.AllowPrivate = true
	cfg.FetchPoll = 50 * time.Millisecond
	cfg.Tick = time.Hour
	eng, err := jobs.New(ctx, cfg, mustService(t, service.Deps{Store: db, Blobs: blobs, Posters: posters}), dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Stop() })
	e := &env{db: db, eng: eng, events: subscribe(t, eng)}
	c, _ := db.CreateCompany(ctx, "acme", "")
	u, _ := db.CreateUser(ctx, "ann", false)
	if err := db.SetMembership(ctx, u.ID, c.ID, vitrine.RoleUser); err != nil {
		t.Fatal(err)
	}
	p, err := db.Principal(ctx, u, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.Start(ctx); err != nil {
		t.Fatal(err)
	}
	j, err := eng.Submit(ctx, p, jobs.Submission{Type: vitrine.JobUpload, Options: jobs.Options{Upload: &jobs.UploadOptions{
		URLs: []string{srv.URL + "/clip.mp4"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if done := e.wait(t, j.ID); done.Status != vitrine.JobSucceeded || done.Done != 1 {
		t.Fatalf("upload job = %+v", done)
	}
	rel, err := db.Relations(ctx, c.ID, "clip")
	if err != nil {
		t.Fatal(err)
	}
	if len(rel.Derived) != 1 || rel.Derived[0].Name != "clip-poster" {
		t.Fatalf("clip's derived images = %+v, want clip-poster", rel.Derived)
	}
	if _, err := db.Lookup(ctx, c.ID, vitrine.ContextImage, vitrine.DestDelivery, "clip-poster"); err != nil {
		t.Errorf("poster not published with the video: %v", err)
	}
}
