package sqlstore_test

import (
	"context"
	"testing"

	"github.com/vitrine/vitrine/internal/sqlstore"
)

// TestHistoryKeysOnDelete: history keeps what its keys promised when a job,
// a user or a company is deleted (PUB-7), on both engines; on PostgreSQL
// the triggers of migration 00013 do it, as the constraints did before.
// Deleting a job or a user leaves their rows with no job or user; deleting
// the company removes its rows; purging an asset removes its catalog rows
// and leaves its history rows with no asset.
func TestHistoryKeysOnDelete(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		other := newFixture(t, db, "other")
		instantOff(t, f)
		f.upload(t, "/", nil, file("a.jpg", 1), file("b.jpg", 2))
		j := startPublishJob(t, f)
		for {
			_, _, ended, err := db.PublishBatch(ctx, j.ID, sqlstore.PublishScope{Mode: sqlstore.ReconcileFull}, 1)
			if err != nil {
				t.Fatal(err)
			}
			if ended {
				break
			}
		}
		other.upload(t, "/", ptr(true), file("c.jpg", 3))
		count := func(q string, arg int64) int {
			t.Helper()
			var n int
			if err := db.SQL().QueryRowContext(ctx, rebind(db, q), arg).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		exec := func(q string, arg int64) {
			t.Helper()
			if _, err := db.SQL().ExecContext(ctx, rebind(db, q), arg); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if n := historyOfJob(t, db, j.ID); n != 4 {
			t.Fatalf("history of the job = %d, want 4", n)
		}
		if err := db.DeleteJob(ctx, f.admin, j.ID); err != nil {
			t.Fatal(err)
		}
		if n := historyOfJob(t, db, j.ID); n != 0 {
			t.Errorf("after deleting the job: %d rows still name it", n)
		}
		if n := count(`SELECT COUNT(*) FROM history WHERE company_id = ? AND job_id IS NULL`, f.admin.Company.ID); n != 4 {
			t.Errorf("after deleting the job: %d rows without a job, want 4", n)
		}
		exec(`DELETE FROM users WHERE id = ?`, f.user.User.ID)
		if n := count(`SELECT COUNT(*) FROM history WHERE user_id = ?`, f.user.User.ID); n != 0 {
			t.Errorf("after deleting the user: %d rows still name them", n)
		}
		var c int64
		if err := db.SQL().QueryRowContext(ctx, rebind(db, `SELECT id FROM assets WHERE company_id = ?`), other.admin.Company.ID).Scan(&c); err != nil {
			t.Fatal(err)
		}
		exec(`DELETE FROM assets WHERE id = ?`, c)
		if n := count(`SELECT COUNT(*) FROM history WHERE asset_id = ?`, c); n != 0 {
			t.Errorf("after purging the asset: %d history rows still name it", n)
		}
		if n := count(`SELECT COUNT(*) FROM catalog WHERE asset_id = ?`, c); n != 0 {
			t.Errorf("after purging the asset: %d catalog rows left", n)
		}
		exec(`DELETE FROM companies WHERE id = ?`, f.admin.Company.ID)
		if n := count(`SELECT COUNT(*) FROM history WHERE company_id = ?`, f.admin.Company.ID); n != 0 {
			t.Errorf("after deleting the company: %d of its history rows left", n)
		}
		if n := count(`SELECT COUNT(*) FROM history WHERE company_id = ?`, other.admin.Company.ID); n != 2 {
			t.Errorf("the other company's history: %d rows, want 2", n)
		}
		if n := count(`SELECT COUNT(*) FROM catalog WHERE company_id = ?`, f.admin.Company.ID); n != 0 {
			t.Errorf("after deleting the company: %d of its catalog rows left", n)
		}
	})
}
