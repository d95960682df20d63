package jobs_test

import (
	"context"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/jobs"
)

// TestPublishJob: with instant publish off, an incremental job puts marked
// assets into the catalog, a full job also moves new versions and removes
// unmarked ones, and history has one row per change (JOB-3, PUB-7).
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
		// A new version and an unpublish wait for a full job; incremental skips them.
		e.upload(t, "/a", 0, 1) // img00000 v2 (new bytes? same digest: unchanged)
		if _, err := e.db.Publish(ctx, e.user, sqlstoreUnpublish("img00001")); err != nil {
			t.Fatal(err)
		}
		j, _ = e.eng.Submit(ctx, e.user, jobs.Submission{})
		if done := e.wait(t, j.ID); done.Published != 5 || e.live(t, "img00001") != 1 {
			t.Errorf("incremental = %+v; want the 5 of /b only, img00001 still live", done)
		}
		j, _ = e.eng.Submit(ctx, e.user, jobs.Submission{Options: jobs.Options{PublishType: jobs.PublishFull}})
		if done := e.wait(t, j.ID); done.Published != 1 || done.Total != 25 || e.live(t, "img00001") != 0 {
			t.Errorf("full = %+v; want img00001 removed", done)
		}
		h, _ := e.db.History(ctx, e.admin.Company.ID, "img00001", 0)
		if len(h) != 4 {
			t.Errorf("history of img00001 = %+v; want 2 published + 2 unpublished", h)
		}
	})
}
