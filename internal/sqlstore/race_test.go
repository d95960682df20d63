package sqlstore_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// TestTrashPublishRace runs Trash and Publish of the same assets at the
// same time: whatever the order, no trashed asset may stay live (UP-6).
func TestTrashPublishRace(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		const n = 40
		var files []vitrine.NewFile
		for i := range n {
			files = append(files, file(fmt.Sprintf("r%02d.jpg", i), i+1))
		}
		f.upload(t, "/", ptr(false), files...)
		var wg sync.WaitGroup
		for i := range n {
			name := fmt.Sprintf("r%02d", i)
			wg.Add(2)
			go func() {
				defer wg.Done()
				db.Publish(ctx, f.user, sqlstore.Publication{Action: vitrine.ActionPublish, Assets: []string{name}})
			}()
			go func() {
				defer wg.Done()
				if _, err := db.Trash(ctx, f.user, name); err != nil {
					t.Errorf("Trash(%s): %v", name, err)
				}
			}()
		}
		wg.Wait()
		for i := range n {
			name := fmt.Sprintf("r%02d", i)
			for _, d := range vitrine.Destinations {
				if v := f.live(t, name, d); v != 0 {
					t.Errorf("%s is trashed but live in %s at v%d", name, d, v)
				}
			}
		}
	})
}

// TestMoveSyncAndPending: a move takes the new folder's sync mode (so
// moving out of an excluded folder makes an asset publishable, and into
// one takes it off delivery), and with instant publish off a rename moves
// only the name: a pending version stays pending (PUB-1, SEL-7, SEL-8).
func TestMoveSyncAndPending(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		ex := vitrine.SyncExclude
		db.CreateFolder(ctx, &f.admin.Company, "/ex")
		db.UpdateFolder(ctx, &f.admin.Company, "/ex", sqlstore.FolderPatch{SyncMode: &ex})
		f.upload(t, "/ex", nil, file("x.jpg", 1))
		if _, err := db.Publish(ctx, f.user, sqlstore.Publication{Action: vitrine.ActionPublish, Assets: []string{"x"}}); err == nil {
			t.Fatal("publishing in an excluded folder must fail")
		}
		if _, _, err := db.Move(ctx, f.user, "x", "/ok", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Publish(ctx, f.user, sqlstore.Publication{Action: vitrine.ActionPublish, Assets: []string{"x"}}); err != nil {
			t.Fatalf("after moving to a synced folder: %v", err)
		}
		if f.live(t, "x", vitrine.DestDelivery) != 1 {
			t.Fatal("x not live")
		}
		if _, _, err := db.Move(ctx, f.user, "x", "/ex", ""); err != nil {
			t.Fatal(err)
		}
		if v := f.live(t, "x", vitrine.DestDelivery); v != 0 {
			t.Errorf("moved into an excluded folder but live at v%d", v)
		}

		// Instant publish off: a rename carries the live version only.
		f.upload(t, "/", nil, file("y.jpg", 2))
		if _, err := db.UpdateSettings(ctx, f.admin.Company.ID, []byte(`{"instant_publish":false}`)); err != nil {
			t.Fatal(err)
		}
		f.upload(t, "/", nil, file("y.jpg", 3)) // v2, pending
		if _, _, err := db.Move(ctx, f.user, "y", "", "z"); err != nil {
			t.Fatal(err)
		}
		if f.live(t, "y", vitrine.DestDelivery) != 0 || f.live(t, "z", vitrine.DestDelivery) != 1 {
			t.Errorf("rename with instant publish off: y v%d, z v%d; want y gone and z at the live v1",
				f.live(t, "y", vitrine.DestDelivery), f.live(t, "z", vitrine.DestDelivery))
		}
	})
}
