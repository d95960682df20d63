package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
)

// TestScheduledPublicationIsExact: a scheduled Manage Publication applies
// the very request it was given. With exact (the apply step of a reviewed
// plan whose cascade was deselected) the set publishes without its
// unpublished member; without exact the member publishes with it (PUB-3).
// Before the service layer the job dropped Exact and cascaded anyway.
func TestScheduledPublicationIsExact(t *testing.T) {
	engines(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn, nil)
		ctx := context.Background()
		if err := e.eng.Start(ctx); err != nil {
			t.Fatal(err)
		}
		off := false
		files := []vitrine.NewFile{
			{Filename: "m1.jpg", Type: vitrine.TypeImage, Format: "jpeg", MIME: "image/jpeg", Ext: "jpg", Width: 10, Height: 10, SHA256: "01", Size: 1},
			{Filename: "m2.jpg", Type: vitrine.TypeImage, Format: "jpeg", MIME: "image/jpeg", Ext: "jpg", Width: 10, Height: 10, SHA256: "02", Size: 1},
		}
		if _, err := e.db.Ingest(ctx, e.user, files, vitrine.UploadOptions{Publish: &off}); err != nil {
			t.Fatal(err)
		}
		for set, member := range map[string]string{"exact": "m1", "cascade": "m2"} {
			spec := vitrine.SetSpec{Name: set, Type: vitrine.TypeImageSet, Members: []vitrine.SetMember{{Name: member}}, PublishAfterSave: &off}
			if _, err := e.db.SaveSet(ctx, e.user, spec, true); err != nil {
				t.Fatal(err)
			}
		}
		var entries []int64
		for _, pub := range []vitrine.Publication{
			{Action: vitrine.ActionPublish, Assets: []string{"exact"}, Exact: true, At: "2026-03-02 10:00"},
			{Action: vitrine.ActionPublish, Assets: []string{"cascade"}, Quick: true, At: "2026-03-02 10:00"},
		} {
			j, err := e.eng.SchedulePublication(ctx, e.user, pub)
			if err != nil {
				t.Fatal(err)
			}
			entries = append(entries, j.ID)
		}
		e.tick(t, time.Date(2026, 3, 2, 10, 0, 1, 0, time.UTC))
		for _, id := range entries { // a one-time entry becomes its own run
			if j := e.wait(t, id); j.Status != vitrine.JobSucceeded {
				t.Fatalf("run %d: %s (%s)", j.ID, j.Status, j.Message)
			}
		}
		for name, want := range map[string]bool{"exact": true, "m1": false, "cascade": true, "m2": true} {
			if got := e.live(t, name) > 0; got != want {
				t.Errorf("%s live = %v, want %v", name, got, want)
			}
		}
	})
}
