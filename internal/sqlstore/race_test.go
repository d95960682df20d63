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
