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
