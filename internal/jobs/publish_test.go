package jobs_test

import (
	"context"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/jobs"
)

// TestPublishJob: with instant publish off, an incremental job puts marked
// assets into the catalog and those a new version forced to republish, a
// full job also moves new versions and removes unmarked ones, and history
// has one row per change (JOB-3, PUB-7).
func TestPublishJob(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		e := newEnv(t, dsn, func(c *jobs.Config) { c.BatchSize = 7 })
		e.instantOff(t)
		e.upload(t, "/a", 0, 20)
		e.upload(t, "/b", 20, 5)
		if err := e.eng.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if e.live(t, "img00000") != 0 {
			t.Fatal("live before any publish job")
		}
		j, err := e.eng.Submit(ctx, e.user, jobs.Submission{Name: "First", Options: jobs.Options{Folders: []string{"/a"}}})
		if err != nil {
			t.Fatal(err)
		}
		done := e.wait(t, j.ID)
		if done.Status != vitrine.JobSucceeded || done.Total != 20 || done.Done != 20 || done.Published != 20 {
			t.Fatalf("job = %+v, want succeeded 20/20/20", done)
		}
		if e.live(t, "img00000") != 1 || e.live(t, "img00019") != 1 || e.live(t, "img00020") != 0 {
			t.Error("scope /a: want /a live and /b not")
		}
		log, err := e.db.JobLog(ctx, e.admin.Company.ID, j.ID, 0, 1000)
		if err != nil || len(log) != 20 {
			t.Errorf("log = %d lines, %v; want 20", len(log), err)
		}
		// Nothing to do: succeeds with zero counts.
		j, _ = e.eng.Submit(ctx, e.user, jobs.Submission{Options: jobs.Options{Folders: []string{"/a"}}})
		if done := e.wait(t, j.ID); done.Status != vitrine.JobSucceeded || done.Total != 0 || done.Published != 0 {
			t.Errorf("empty job = %+v", done)
		}
		// A new version is forced to republish, so an incremental job takes
		// it (fa04b18); an unpublish waits for a full job.
		if v := e.uploadNew(t, "/a", "img00000.jpg", 100000); v != 2 {
			t.Fatalf("re-upload of img00000 made version %d, want 2", v)
		}
		if _, err := e.db.Publish(ctx, e.user, sqlstoreUnpublish("img00001")); err != nil {
			t.Fatal(err)
		}
		j, _ = e.eng.Submit(ctx, e.user, jobs.Submission{})
		if done := e.wait(t, j.ID); done.Published != 6 || e.live(t, "img00000") != 2 || e.live(t, "img00001") != 1 {
			t.Errorf("incremental = %+v, img00000 live v%d; want the 5 of /b and img00000 v2, img00001 still live",
				done, e.live(t, "img00000"))
		}
		// A full job moves a version newer than the catalog's and removes
		// the unmarked asset.
		if v := e.uploadNew(t, "/a", "img00002.jpg", 100002); v != 2 {
			t.Fatalf("re-upload of img00002 made version %d, want 2", v)
		}
		j, _ = e.eng.Submit(ctx, e.user, jobs.Submission{Options: jobs.Options{PublishType: jobs.PublishFull}})
		if done := e.wait(t, j.ID); done.Published != 2 || done.Total != 25 || e.live(t, "img00002") != 2 || e.live(t, "img00001") != 0 {
			t.Errorf("full = %+v, img00002 live v%d; want img00002 v2 live and img00001 removed", done, e.live(t, "img00002"))
		}
		for _, name := range []string{"img00000", "img00002"} {
			if h, _ := e.db.History(ctx, e.admin.Company.ID, name, 0); len(h) != 4 {
				t.Errorf("history of %s = %+v; want v1 and v2 published to both destinations", name, h)
			}
		}
		h, _ := e.db.History(ctx, e.admin.Company.ID, "img00001", 0)
		if len(h) != 4 {
			t.Errorf("history of img00001 = %+v; want 2 published + 2 unpublished", h)
		}
	})
}
