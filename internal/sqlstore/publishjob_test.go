package sqlstore_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// startPublishJob records a publish job and moves it to running.
func startPublishJob(t *testing.T, f *fixture) *sqlstore.JobRun {
	t.Helper()
	ctx := context.Background()
	j, err := f.db.CreateJob(ctx, sqlstore.NewJob{CompanyID: f.admin.Company.ID, Type: vitrine.JobPublish, Name: "P",
		Status: vitrine.JobQueued, UserID: f.user.User.ID, SubmittedBy: f.user.User.ID})
	if err != nil {
		t.Fatal(err)
	}
	if j, err = f.db.StartJob(ctx, j.ID); err != nil || j.Status != vitrine.JobRunning {
		t.Fatalf("StartJob = %+v, %v", j, err)
	}
	return j
}

func instantOff(t *testing.T, f *fixture) {
	t.Helper()
	if _, err := f.db.UpdateSettings(context.Background(), f.admin.Company.ID, []byte(`{"instant_publish":false}`)); err != nil {
		t.Fatal(err)
	}
	f.user.Company.Settings.InstantPublish = false
}

func historyOfJob(t *testing.T, db *sqlstore.DB, jobID int64) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(rebind(db, `SELECT COUNT(*) FROM history WHERE job_id = ?`), jobID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func rebind(db *sqlstore.DB, q string) string {
	if db.Dialect() == sqlstore.Postgres {
		return strings.Replace(q, "?", "$1", 1)
	}
	return q
}

// TestPublishBatchCancel: a cancel takes effect between batches; the
// batches done are whole and the rest untouched (JOB-4).
func TestPublishBatchCancel(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		instantOff(t, f)
		var files []vitrine.NewFile
		for i := range 10 {
			files = append(files, file(string(rune('a'+i))+".jpg", i))
		}
		f.upload(t, "/", nil, files...)
		scope := sqlstore.PublishScope{Mode: sqlstore.ReconcileIncremental}
		if n, err := db.CountPublishCandidates(ctx, f.admin.Company.ID, scope); err != nil || n != 10 {
			t.Fatalf("candidates = %d, %v; want 10", n, err)
		}
		j := startPublishJob(t, f)
		got, changes, ended, err := db.PublishBatch(ctx, j.ID, scope, 4)
		if err != nil || ended || got.Done != 4 || got.Published != 4 || len(changes) != 8 {
			t.Fatalf("batch 1 = %+v, %d changes, ended %v, %v", got, len(changes), ended, err)
		}
		if c, err := db.CancelJob(ctx, f.user, j.ID); err != nil || c.Status != vitrine.JobStopping {
			t.Fatalf("cancel = %+v, %v; want stopping", c, err)
		}
		got, _, ended, err = db.PublishBatch(ctx, j.ID, scope, 4)
		if err != nil || !ended || got.Status != vitrine.JobCancelled {
			t.Fatalf("after cancel = %+v, ended %v, %v; want cancelled", got, ended, err)
		}
		live := 0
		for i := range 10 {
			n := string(rune('a' + i))
			d, p := f.live(t, n, vitrine.DestDelivery), f.live(t, n, vitrine.DestPreview)
			if d != p {
				t.Errorf("%s half published: delivery v%d, preview v%d", n, d, p)
			}
			live += d
		}
		if live != 4 || historyOfJob(t, db, j.ID) != 8 {
			t.Errorf("%d live, %d history rows; want the first batch only (4, 8)", live, historyOfJob(t, db, j.ID))
		}
		if _, err := db.CancelJob(ctx, f.user, j.ID); vitrine.ErrorCode(err) != vitrine.ECONFLICT {
			t.Errorf("cancel an ended job: %v, want conflict", err)
		}
	})
}

// TestPublishBatchRerun: re-running a batch after a crash writes no second
// history row for the same job, asset, version, context and destination
// (JOB-7).
func TestPublishBatchRerun(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		instantOff(t, f)
		f.upload(t, "/", nil, file("a.jpg", 1), file("b.jpg", 2))
		scope := sqlstore.PublishScope{Mode: sqlstore.ReconcileFull}
		j := startPublishJob(t, f)
		for {
			_, _, ended, err := db.PublishBatch(ctx, j.ID, scope, 1)
			if err != nil {
				t.Fatal(err)
			}
			if ended {
				break
			}
		}
		if n := historyOfJob(t, db, j.ID); n != 4 {
			t.Fatalf("history = %d, want 4", n)
		}
		// Rewind as if the commit of the last batch were lost but the
		// catalog write had happened twice: the re-run must not duplicate.
		for _, q := range []string{`UPDATE jobs SET status = 'running', resume_after = 0, finished_at = NULL WHERE id = ?`,
			`DELETE FROM catalog WHERE company_id = ?`} {
			arg := j.ID
			if strings.Contains(q, "catalog") {
				arg = f.admin.Company.ID
			}
			if _, err := db.SQL().Exec(rebind(db, q), arg); err != nil {
				t.Fatal(err)
			}
		}
		for {
			_, _, ended, err := db.PublishBatch(ctx, j.ID, scope, 1)
			if err != nil {
				t.Fatal(err)
			}
			if ended {
				break
			}
		}
		if n := historyOfJob(t, db, j.ID); n != 4 || f.live(t, "a", vitrine.DestDelivery) != 1 {
			t.Errorf("after re-run: %d history rows (want 4), a live v%d", n, f.live(t, "a", vitrine.DestDelivery))
		}
	})
}

// TestFireScheduleOnce: two nodes firing the same occurrence at once make
// one run (JOB-7).
func TestFireScheduleOnce(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		occ := time.Date(2026, 3, 2, 10, 15, 0, 0, time.UTC)
		entry, err := db.CreateJob(ctx, sqlstore.NewJob{CompanyID: f.admin.Company.ID, Type: vitrine.JobPublish, Name: "D",
			Status: vitrine.JobScheduled, UserID: f.user.User.ID, SubmittedBy: f.user.User.ID,
			Schedule: &sqlstore.Schedule{Kind: "daily", Rule: "0 15 10 ? * *", TimeZone: "UTC", Active: true, NextRun: &occ}})
		if err != nil {
			t.Fatal(err)
		}
		next := occ.Add(24 * time.Hour)
		var wg sync.WaitGroup
		var mu sync.Mutex
		fired := 0
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				run, err := db.FireSchedule(ctx, sqlstore.Firing{Entry: entry, Occurrence: occ, Next: &next, Run: true,
					RunName: "D_2026-03-02-10:15:00", Now: occ})
				if err != nil {
					t.Error(err)
				}
				if run != nil {
					mu.Lock()
					fired++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		e, _ := db.Job(ctx, 0, entry.ID)
		if fired != 1 || !e.Schedule.NextRun.Equal(next) {
			t.Errorf("fired %d times, next %s; want once and the next day", fired, e.Schedule.NextRun)
		}
	})
}

// TestIncrementalIndex: an incremental job reads the pending intents
// through the partial index, not by scanning the company.
func TestIncrementalIndex(t *testing.T) {
	t.Parallel()
	db := OpenSQLite(t)
	rows, err := db.SQL().Query(`EXPLAIN QUERY PLAN SELECT DISTINCT asset_id FROM intents WHERE marked AND NOT live AND asset_id > 0 ORDER BY asset_id LIMIT 500`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		rows.Scan(&id, &parent, &notused, &detail)
		plan = append(plan, detail)
	}
	if !strings.Contains(strings.Join(plan, "; "), "intents_pending") {
		t.Errorf("plan = %v, want the intents_pending index", plan)
	}
}

// TestIncrementalForcedRepublish: with instant publish off, a new version
// of a published asset and a repeated publish are forced to republish, so
// an incremental job (like the Pub_ job after an upload) takes them; an
// asset with nothing new stays out of it (JOB-3).
func TestIncrementalForcedRepublish(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		instantOff(t, f)
		f.upload(t, "/", nil, file("a.jpg", 1), file("b.jpg", 2), file("c.jpg", 3))
		scope := sqlstore.PublishScope{Mode: sqlstore.ReconcileIncremental}
		run := func() int {
			t.Helper()
			j := startPublishJob(t, f)
			for {
				_, _, ended, err := db.PublishBatch(ctx, j.ID, scope, 100)
				if err != nil {
					t.Fatal(err)
				}
				if ended {
					break
				}
			}
			n, err := db.CountPublishCandidates(ctx, f.admin.Company.ID, scope)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if left := run(); left != 0 || f.live(t, "a", vitrine.DestDelivery) != 1 {
			t.Fatalf("first incremental: %d left, a live at v%d", left, f.live(t, "a", vitrine.DestDelivery))
		}
		f.upload(t, "/", nil, file("a.jpg", 4)) // a v2, retained: forced
		if n, _ := db.CountPublishCandidates(ctx, f.admin.Company.ID, scope); n != 1 {
			t.Errorf("candidates after a new version = %d, want 1", n)
		}
		if left := run(); left != 0 || f.live(t, "a", vitrine.DestDelivery) != 2 {
			t.Errorf("incremental after a new version: %d left, a live at v%d; want v2", left, f.live(t, "a", vitrine.DestDelivery))
		}
		// Publishing an already published asset again forces it too; with
		// nothing newer the job changes nothing and it is no longer pending.
		if _, err := db.Publish(ctx, f.user, sqlstore.Publication{Action: vitrine.ActionPublish, Assets: []string{"b"}}); err != nil {
			t.Fatal(err)
		}
		if n, _ := db.CountPublishCandidates(ctx, f.admin.Company.ID, scope); n != 1 {
			t.Errorf("candidates after a repeated publish = %d, want 1", n)
		}
		if left := run(); left != 0 || f.live(t, "b", vitrine.DestDelivery) != 1 {
			t.Errorf("after the forced job: %d left, b at v%d", left, f.live(t, "b", vitrine.DestDelivery))
		}
	})
}

// TestScheduledPublicationGoesLive: a scheduled Manage Publication action is
// applied by its job, so it reaches the catalog even with instant publish
// off, and its history names the job (SEL-5, PUB-7).
func TestScheduledPublicationGoesLive(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		instantOff(t, f)
		f.upload(t, "/", ptr(false), file("a.jpg", 1))
		j := startPublishJob(t, f)
		if _, err := db.Publish(ctx, f.user, sqlstore.Publication{Action: vitrine.ActionPublish, Assets: []string{"a"}, JobID: j.ID}); err != nil {
			t.Fatal(err)
		}
		if f.live(t, "a", vitrine.DestDelivery) != 1 {
			t.Error("a scheduled publish must go live when its job runs")
		}
		h, _ := db.History(ctx, f.admin.Company.ID, "a", 0)
		if len(h) == 0 || h[0].JobID == nil || *h[0].JobID != j.ID {
			t.Errorf("history = %+v, want rows naming job %d", h, j.ID)
		}
	})
}

// TestIncrementalTouchesOnlyChanged: after a full publish, an incremental
// job visits, writes and logs only the assets that changed (new ones and a
// new version); the rows of the others are left as they were (JOB-3: its
// cost follows what changed, not the size of the company).
func TestIncrementalTouchesOnlyChanged(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		instantOff(t, f)
		f.upload(t, "/", nil, file("a.jpg", 1), file("b.jpg", 2), file("c.jpg", 3), file("d.jpg", 4), file("e.jpg", 5))
		runJob := func(mode sqlstore.ReconcileMode) *sqlstore.JobRun {
			t.Helper()
			j := startPublishJob(t, f)
			for {
				r, _, ended, err := db.PublishBatch(ctx, j.ID, sqlstore.PublishScope{Mode: mode}, 2)
				if err != nil {
					t.Fatal(err)
				}
				if ended {
					return r
				}
			}
		}
		if j := runJob(sqlstore.ReconcileFull); j.Published != 5 {
			t.Fatalf("full job published %d assets, want 5", j.Published)
		}
		stamps := func() map[string]int64 {
			t.Helper()
			rows, err := db.SQL().Query(`SELECT c.name, c.destination, c.published_at, a.last_published_at FROM catalog c
				JOIN assets a ON a.id = c.asset_id`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			out := map[string]int64{}
			for rows.Next() {
				var name, dest string
				var at, last int64
				if err := rows.Scan(&name, &dest, &at, &last); err != nil {
					t.Fatal(err)
				}
				out[name+"/"+dest] = at
				out[name+"/last"] = last
			}
			return out
		}
		before := stamps()
		later := time.Now().Add(time.Hour)
		db.Now = func() time.Time { return later }
		f.upload(t, "/", nil, file("f.jpg", 6), file("g.jpg", 7), file("a.jpg", 8)) // two new, a v2

		j := runJob(sqlstore.ReconcileIncremental)
		if j.Done != 3 || j.Published != 3 {
			t.Errorf("incremental job: done %d, published %d; want 3 and 3", j.Done, j.Published)
		}
		if n := historyOfJob(t, db, j.ID); n != 6 {
			t.Errorf("incremental job wrote %d history rows, want 6 (3 assets, 2 destinations)", n)
		}
		after := stamps()
		for k, v := range after {
			changed := strings.HasPrefix(k, "a/") || strings.HasPrefix(k, "f/") || strings.HasPrefix(k, "g/")
			if !changed && v != before[k] {
				t.Errorf("%s rewritten by the incremental job: %d, was %d", k, v, before[k])
			}
			if changed && v != later.UnixMicro() {
				t.Errorf("%s = %d, want the incremental job's time %d", k, v, later.UnixMicro())
			}
		}
		if f.live(t, "a", vitrine.DestDelivery) != 2 || f.live(t, "g", vitrine.DestPreview) != 1 {
			t.Errorf("a live at v%d, g in preview v%d; want 2 and 1", f.live(t, "a", vitrine.DestDelivery), f.live(t, "g", vitrine.DestPreview))
		}
	})
}
