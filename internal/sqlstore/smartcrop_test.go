package sqlstore_test

import (
	"context"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// TestSmartCropStore: a folder's profile is inherited below it and an
// explicit empty one stops it; setting one queues the images below; a
// re-applied profile keeps an adjusted crop; a new version starts with
// no crops; the queue forgets a task only if it was not queued again.
func TestSmartCropStore(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		c := &f.admin.Company
		f.upload(t, "/shoes/boots", nil, file("boot", 1))
		f.upload(t, "/hats", nil, file("hat", 2))

		three := &vitrine.ImageProfile{Crops: []vitrine.CropDef{{Name: "Large", Width: 1200, Height: 800}, {Name: "Square", Width: 500, Height: 500}, {Name: "Banner", Width: 1600, Height: 400}}}
		if err := db.SetFolderProfile(ctx, c, "/shoes", three); err != nil {
			t.Fatalf("SetFolderProfile: %v", err)
		}
		own, eff, err := db.FolderProfile(ctx, c, "/shoes/boots")
		if err != nil || own != nil || eff.From != "/shoes" || len(eff.Profile.Crops) != 3 {
			t.Fatalf("FolderProfile(/shoes/boots) = %v, %+v, %v; want inherited from /shoes", own, eff, err)
		}
		if err := db.SetFolderProfile(ctx, c, "/shoes/boots", &vitrine.ImageProfile{}); err != nil {
			t.Fatal(err)
		}
		if own, eff, _ = db.FolderProfile(ctx, c, "/shoes/boots"); own == nil || eff.From != "/shoes/boots" || len(eff.Profile.Crops) != 0 {
			t.Fatalf("after explicit none: own %v eff %+v", own, eff)
		}
		if err := db.SetFolderProfile(ctx, c, "/shoes/boots", nil); err != nil {
			t.Fatal(err)
		}
		if err := db.SetFolderProfile(ctx, c, "/nope", three); vitrine.ErrorCode(err) != vitrine.ENOTFOUND {
			t.Errorf("SetFolderProfile(/nope) = %v, want ENOTFOUND", err)
		}
		bad := &vitrine.ImageProfile{Crops: []vitrine.CropDef{{Name: "a:b", Width: 1, Height: 1}}}
		if err := db.SetFolderProfile(ctx, c, "/shoes", bad); vitrine.ErrorCode(err) != vitrine.EINVALID {
			t.Errorf("SetFolderProfile(bad) = %v, want EINVALID", err)
		}

		q, err := db.QueuedCrops(ctx, 10)
		if err != nil || len(q) != 1 || q[0].Name != "boot" || q[0].CompanyID != c.ID {
			t.Fatalf("QueuedCrops = %+v, %v; want boot only", q, err)
		}
		// Queued again while being worked on: not forgotten.
		stale := q[0]
		stale.QueuedAt = stale.QueuedAt.Add(-1)
		if err := db.DoneCrops(ctx, stale); err != nil {
			t.Fatal(err)
		}
		if q2, _ := db.QueuedCrops(ctx, 10); len(q2) != 1 {
			t.Fatalf("a re-queued task was forgotten")
		}
		if err := db.DoneCrops(ctx, q[0]); err != nil {
			t.Fatal(err)
		}
		if q2, _ := db.QueuedCrops(ctx, 10); len(q2) != 0 {
			t.Fatalf("QueuedCrops after DoneCrops = %+v", q2)
		}

		vs, err := db.Versions(ctx, c.ID, "boot")
		if err != nil {
			t.Fatal(err)
		}
		v := vs[0].ID
		computed := func(x int) []vitrine.SmartCrop {
			return []vitrine.SmartCrop{
				{Name: "Large", Width: 1200, Height: 800, Box: vitrine.CropBox{X: x, W: 30, H: 20}},
				{Name: "Square", Width: 500, Height: 500, Box: vitrine.CropBox{X: x, W: 20, H: 20}},
			}
		}
		if _, err := db.SaveCrops(ctx, v, computed(1)); err != nil {
			t.Fatal(err)
		}
		adj, err := db.SetCrop(ctx, v, vitrine.SmartCrop{Name: "Square", Box: vitrine.CropBox{X: 5, Y: 5, W: 10, H: 10}, Adjusted: true})
		if err != nil || adj.Width != 500 {
			t.Fatalf("SetCrop = %+v, %v", adj, err)
		}
		if _, err := db.SetCrop(ctx, v, vitrine.SmartCrop{Name: "Nope"}); vitrine.ErrorCode(err) != vitrine.ENOTFOUND {
			t.Errorf("SetCrop(Nope) = %v, want ENOTFOUND", err)
		}
		if _, err := db.SaveCrops(ctx, v, computed(2)); err != nil {
			t.Fatal(err)
		}
		got, err := db.Crops(ctx, v)
		if err != nil || len(got) != 2 {
			t.Fatalf("Crops = %+v, %v", got, err)
		}
		if got[0].Name != "Large" || got[0].Box.X != 2 || got[0].Adjusted {
			t.Errorf("Large = %+v, want recomputed at x 2", got[0])
		}
		if got[1].Name != "Square" || got[1].Box != (vitrine.CropBox{X: 5, Y: 5, W: 10, H: 10}) || !got[1].Adjusted {
			t.Errorf("Square = %+v, want the adjusted box kept", got[1])
		}

		f.upload(t, "/shoes/boots", nil, file("boot", 3))
		vs, _ = db.Versions(ctx, c.ID, "boot")
		if len(vs) != 2 {
			t.Fatalf("versions = %d, want 2", len(vs))
		}
		for _, ver := range vs {
			n, _ := db.Crops(ctx, ver.ID)
			if want := map[bool]int{true: 2, false: 0}[ver.ID == v]; len(n) != want {
				t.Errorf("version %d has %d crops, want %d", ver.Number, len(n), want)
			}
		}
	})
}
