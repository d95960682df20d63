package sqlstore_test

import (
	"context"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// TestIngestIntoChecksTheJob: IngestInto is told the job by its caller (a
// batch upload names it in the request), so the store refuses another
// company's job, a job of another type and one that has ended, and stores
// nothing then.
func TestIngestIntoChecksTheJob(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		acme, other := newFixture(t, db, "acme"), newFixture(t, db, "other")
		job := func(p *vitrine.Principal, typ vitrine.JobType, status vitrine.JobStatus) int64 {
			j, err := db.CreateJob(ctx, vitrine.NewJob{CompanyID: p.Company.ID, Type: typ, Name: "j", Status: status, UserID: p.User.ID})
			if err != nil {
				t.Fatal(err)
			}
			if status == vitrine.JobRunning && j.StartedAt == nil {
				t.Errorf("a job recorded as running has no start time")
			}
			return j.ID
		}
		ended := job(acme.admin, vitrine.JobUpload, vitrine.JobRunning)
		if _, _, err := db.FinishJob(ctx, ended, "", ""); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			job  int64
			want string
		}{
			{"another company's", job(other.admin, vitrine.JobUpload, vitrine.JobRunning), vitrine.ENOTFOUND},
			{"a publish job", job(acme.admin, vitrine.JobPublish, vitrine.JobRunning), vitrine.EINVALID},
			{"an ended job", ended, vitrine.ECONFLICT},
		} {
			_, err := db.IngestInto(ctx, acme.admin, tc.job, []vitrine.NewFile{file("x.jpg", 1)}, vitrine.UploadOptions{Folder: "/"}, -1)
			if got := vitrine.ErrorCode(err); got != tc.want {
				t.Errorf("IngestInto %s = %v, want %s", tc.name, err, tc.want)
			}
		}
		if _, err := db.Asset(ctx, acme.admin.Company.ID, "x"); vitrine.ErrorCode(err) != vitrine.ENOTFOUND {
			t.Errorf("a refused IngestInto stored x: %v", err)
		}
		ok := job(acme.admin, vitrine.JobUpload, vitrine.JobRunning)
		if ups, err := db.IngestInto(ctx, acme.admin, ok, []vitrine.NewFile{file("y.jpg", 2)}, vitrine.UploadOptions{Folder: "/"}, -1); err != nil || len(ups) != 1 {
			t.Errorf("IngestInto a running upload job = %v, %v", ups, err)
		}
	})
}

// TestIngestBatchAnswersTheJob: IngestBatch answers the job as its
// transaction left it (the request reads it no more), counts and all, and
// raises the total to done when more files came than announced.
func TestIngestBatchAnswersTheJob(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		acme := newFixture(t, db, "acme")
		off := false
		j, err := db.CreateJob(ctx, vitrine.NewJob{CompanyID: acme.admin.Company.ID, Type: vitrine.JobUpload, Name: "batch",
			Status: vitrine.JobRunning, UserID: acme.admin.User.ID})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetJobTotal(ctx, j.ID, 2); err != nil {
			t.Fatal(err)
		}
		opts := vitrine.UploadOptions{Folder: "/", Publish: &off}
		for i, tc := range []struct {
			files                            []vitrine.NewFile
			total, done, warnings, published int
		}{
			{[]vitrine.NewFile{file("a.jpg", 1)}, 2, 1, 0, 1},
			// b.jpg, and a.jpg again with other bytes into overwrite
			// off: skipped with a warning (not done, not published).
			{[]vitrine.NewFile{file("b.jpg", 2), file("a.jpg", 3)}, 2, 2, 1, 2},
			// A third file done for a total of 2.
			{[]vitrine.NewFile{file("c.jpg", 4)}, 3, 3, 1, 3},
		} {
			o := opts
			if i == 1 {
				o.Overwrite = vitrine.OverwriteOff
			}
			ups, got, err := db.IngestBatch(ctx, acme.admin, j.ID, tc.files, o)
			if err != nil || len(ups) != len(tc.files) {
				t.Fatalf("request %d: IngestBatch = %v, %v", i, ups, err)
			}
			if got.ID != j.ID || got.Status != vitrine.JobRunning || got.Total != tc.total || got.Done != tc.done ||
				got.Warnings != tc.warnings || got.Published != tc.published {
				t.Errorf("request %d answered total %d done %d warnings %d published %d status %s; want %d %d %d %d running",
					i, got.Total, got.Done, got.Warnings, got.Published, got.Status, tc.total, tc.done, tc.warnings, tc.published)
			}
			row, err := db.Job(ctx, acme.admin.Company.ID, j.ID)
			if err != nil {
				t.Fatal(err)
			}
			if row.Total != got.Total || row.Done != got.Done || row.Warnings != got.Warnings || row.Errors != got.Errors ||
				row.Published != got.Published || row.Name != got.Name {
				t.Errorf("request %d answered %+v; the row says %+v", i, got.Job, row.Job)
			}
		}
	})
}
