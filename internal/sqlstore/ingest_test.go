package sqlstore_test

import (
	"context"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

func TestIngest(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")

		res := f.upload(t, "/products/shoes", nil, file("shoe.jpg", 1), file("hat.jpg", 2))
		if res.Job.Status != vitrine.JobSucceeded || res.Job.Total != 2 || res.Job.Done != 2 {
			t.Fatalf("job = %+v, want succeeded 2/2", res.Job)
		}
		for _, a := range res.Assets {
			if a.Version != 1 || a.Published.Delivery == nil || a.Published.Preview == nil {
				t.Errorf("uploaded %+v, want version 1 published to delivery and preview (immediately mode)", a)
			}
		}
		if got := f.live(t, "shoe", vitrine.DestDelivery); got != 1 {
			t.Errorf("live(shoe) = %d, want 1", got)
		}
		if _, err := db.Folder(ctx, &f.admin.Company, "/products"); err != nil {
			t.Errorf("parent folder not created: %v", err)
		}

		// Publish off leaves the asset unpublished (UP-2).
		f.upload(t, "/products", ptr(false), file("draft.png", 3))
		if got := f.live(t, "draft", vitrine.DestDelivery); got != 0 {
			t.Errorf("live(draft) = %d, want unpublished", got)
		}

		// A replacement is a new version; retain publish moves the catalog (UP-5).
		res = f.upload(t, "/products/shoes", ptr(false), file("shoe.jpg", 4))
		if a := res.Assets[0]; !a.Replaced || a.Unchanged || a.Version != 2 {
			t.Errorf("replacement = %+v, want replaced version 2", a)
		}
		// The same bytes again change nothing, and say so.
		res = f.upload(t, "/products/shoes", nil, file("shoe.jpg", 4))
		if a := res.Assets[0]; !a.Replaced || !a.Unchanged || a.Version != 2 {
			t.Errorf("the same bytes again = %+v, want unchanged at version 2", a)
		}
		if got := f.live(t, "shoe", vitrine.DestDelivery); got != 2 {
			t.Errorf("live(shoe) after replace = %d, want 2", got)
		}
		vs, err := db.Versions(ctx, f.admin.Company.ID, "shoe")
		if err != nil || len(vs) != 2 || vs[0].Number != 2 {
			t.Errorf("Versions = %+v, %v; want 2 versions newest first", vs, err)
		}
		h, err := db.History(ctx, f.admin.Company.ID, "shoe", 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(h) != 4 || h[0].Action != vitrine.HistRepublished || h[0].Version != 2 || h[0].JobID == nil {
			t.Errorf("History = %+v, want 2 published + 2 republished, newest first with job", h)
		}
	})
}

func TestIngestOverwriteModes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		mode, folder, filename string
		wantName               string
		wantReplaced           bool
		wantSkipped            bool
	}{
		{vitrine.OverwriteFullName, "/a", "shoe.jpg", "shoe", true, false},
		{vitrine.OverwriteFullName, "/a", "shoe.jpeg", "shoe-1", false, false},
		{vitrine.OverwriteFullName, "/b", "shoe.jpg", "shoe-1", false, false},
		{vitrine.OverwriteAnyExt, "/a", "shoe.jpeg", "shoe", true, false},
		{vitrine.OverwriteAnyExt, "/b", "shoe.jpg", "shoe-1", false, false},
		{vitrine.OverwriteFullNameAnyFolder, "/b", "shoe.jpg", "shoe", true, false},
		{vitrine.OverwriteFullNameAnyFolder, "/b", "shoe.jpeg", "shoe-1", false, false},
		{vitrine.OverwriteAnyExtAnyFolder, "/b", "shoe.jpeg", "shoe", true, false},
		{vitrine.OverwriteOff, "/a", "shoe.jpg", "shoe", false, true},
	}
	for _, tc := range cases {
		t.Run(tc.mode+tc.folder+"/"+tc.filename, func(t *testing.T) {
			t.Parallel()
			eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
				ctx := context.Background()
				f := newFixture(t, db, "acme")
				f.upload(t, "/a", nil, file("shoe.jpg", 1))
				res, err := db.Ingest(ctx, f.user, []vitrine.NewFile{file(tc.filename, 2)},
					vitrine.UploadOptions{Folder: tc.folder, Overwrite: tc.mode})
				if err != nil {
					t.Fatal(err)
				}
				got := res.Assets[0]
				if got.Name != tc.wantName || got.Replaced != tc.wantReplaced || got.Skipped != tc.wantSkipped {
					t.Errorf("Ingest(%s, %s%s) = %+v, want name %s replaced %v skipped %v", tc.mode, tc.folder, tc.filename,
						got, tc.wantName, tc.wantReplaced, tc.wantSkipped)
				}
				if (tc.wantName != "shoe" || tc.wantSkipped) && res.Job.Status != vitrine.JobSucceededWithWarnings {
					t.Errorf("job status = %s, want a warning", res.Job.Status)
				}
				if tc.wantReplaced {
					a, err := db.Asset(ctx, f.admin.Company.ID, "shoe")
					if err != nil {
						t.Fatal(err)
					}
					if a.Folder != tc.folder {
						t.Errorf("replacement folder = %s, want %s", a.Folder, tc.folder)
					}
				}
			})
		})
	}
}

func TestIngestRetainOff(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		if _, err := db.UpdateSettings(ctx, f.admin.Company.ID, []byte(`{"retain_publish_state":false}`)); err != nil {
			t.Fatal(err)
		}
		f.upload(t, "/", nil, file("shoe.jpg", 1))
		f.upload(t, "/", ptr(false), file("shoe.jpg", 2))
		if got := f.live(t, "shoe", vitrine.DestDelivery); got != 0 {
			t.Errorf("live = %d, want unpublished: the upload's publish=false decides without retain", got)
		}
	})
}

func TestIngestTrashReservesName(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		f.upload(t, "/", nil, file("shoe.jpg", 1))
		if _, err := db.Trash(ctx, f.user, "shoe"); err != nil {
			t.Fatal(err)
		}
		if got := f.live(t, "shoe", vitrine.DestDelivery); got != 0 {
			t.Errorf("trashed asset live at version %d", got)
		}
		res := f.upload(t, "/", nil, file("shoe.jpg", 2))
		if res.Assets[0].Name != "shoe-1" {
			t.Errorf("upload over a trashed id = %q, want shoe-1", res.Assets[0].Name)
		}
		_, err := db.Publish(ctx, f.user, sqlstore.Publication{Action: vitrine.ActionPublish, Assets: []string{"shoe-1", "shoe"}})
		if vitrine.ErrorCode(err) != vitrine.ECONFLICT || len(vitrine.ErrorDetails(err)) != 1 {
			t.Fatalf("publishing a trashed asset: err = %v, want conflict listing it", err)
		}
		// Nothing in the batch was applied (PUB-8): shoe-1 was already
		// published, so unpublish it and retry to see the batch refused.
		if _, err := db.Publish(ctx, f.user, sqlstore.Publication{Action: vitrine.ActionUnpublish, Assets: []string{"shoe-1"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Publish(ctx, f.user, sqlstore.Publication{Action: vitrine.ActionPublish, Assets: []string{"shoe-1", "shoe"}}); err == nil {
			t.Fatal("want error")
		}
		if got := f.live(t, "shoe-1", vitrine.DestDelivery); got != 0 {
			t.Errorf("half-applied batch: shoe-1 live at %d", got)
		}
		if _, _, err := db.Restore(ctx, f.user, "shoe"); err != nil {
			t.Fatal(err)
		}
		if got := f.live(t, "shoe", vitrine.DestDelivery); got != 1 {
			t.Errorf("restored asset live = %d, want 1", got)
		}
	})
}
