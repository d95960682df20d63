package jobs_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/jobs"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

var paris = mustZone("Europe/Paris")

func mustZone(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, paris)
	if err != nil {
		panic(err)
	}
	return t
}

// runs returns the History entries fired from entry, oldest first.
func runs(t *testing.T, e *env, entry int64) []sqlstore.JobRun {
	t.Helper()
	all, err := e.db.Jobs(context.Background(), e.admin.Company.ID, sqlstore.JobFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var out []sqlstore.JobRun
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].ScheduleID != nil && *all[i].ScheduleID == entry {
			out = append(out, all[i])
		}
	}
	return out
}

func (e *env) tick(t *testing.T, now time.Time) {
	t.Helper()
	e.clock.Set(now)
	if err := e.eng.RunOnce(context.Background(), now); err != nil {
		t.Fatalf("RunOnce(%s): %v", now, err)
	}
}

func parisEnv(t *testing.T, dsn string, mod func(*jobs.Config)) *env {
	e := newEnv(t, dsn, mod)
	if _, err := e.db.UpdateSettings(context.Background(), e.admin.Company.ID, []byte(`{"time_zone":"Europe/Paris"}`)); err != nil {
		t.Fatal(err)
	}
	e.user.Company.Settings.TimeZone = "Europe/Paris"
	e.admin.Company.Settings.TimeZone = "Europe/Paris"
	e.clock.Set(at("2026-03-02 09:00:00"))
	return e
}

// TestScheduleOnce: a one-time job for later stays on the Scheduled tab,
// then becomes its own run (same id) at its time, once (JOB-2).
func TestScheduleOnce(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		e := parisEnv(t, dsn, nil)
		j, err := e.eng.Submit(ctx, e.user, jobs.Submission{Name: "Launch", When: jobs.When{At: "2026-03-02 10:00"}})
		if err != nil {
			t.Fatal(err)
		}
		if j.Status != vitrine.JobScheduled || j.Schedule.Rule != "0 0 10 2 3 ? 2026" || len(j.Schedule.NextRuns) != 1 {
			t.Fatalf("entry = %+v %+v", j, j.Schedule)
		}
		e.tick(t, at("2026-03-02 09:59:59"))
		if got, _ := e.db.Job(ctx, 0, j.ID); got.Status != vitrine.JobScheduled {
			t.Fatalf("before its time: %s", got.Status)
		}
		e.tick(t, at("2026-03-02 10:00:00"))
		e.tick(t, at("2026-03-02 10:00:01"))
		got, _ := e.db.Job(ctx, 0, j.ID)
		if got.Status != vitrine.JobQueued || got.Name != "Launch_2026-03-02-10:00:00" {
			t.Errorf("at its time: %s %q, want queued Launch_2026-03-02-10:00:00", got.Status, got.Name)
		}
		sched, _ := e.db.Jobs(ctx, e.admin.Company.ID, sqlstore.JobFilter{Scheduled: true})
		if len(sched) != 0 {
			t.Errorf("Scheduled tab still lists %d entries", len(sched))
		}
		if _, err := e.eng.Submit(ctx, e.user, jobs.Submission{When: jobs.When{At: "2026-03-01 10:00"}}); vitrine.ErrorCode(err) != vitrine.EINVALID {
			t.Errorf("at in the past: %v, want invalid", err)
		}
	})
}

// TestScheduleRecurringPauseEdit: a daily entry fires once per occurrence,
// not while paused, resumes without catching up, and follows an edit.
func TestScheduleRecurringPauseEdit(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		e := parisEnv(t, dsn, nil)
		j, err := e.eng.Submit(ctx, e.user, jobs.Submission{Name: "Daily", When: jobs.When{Daily: "10:15"},
			Options: jobs.Options{PublishType: jobs.PublishFull, To: vitrine.ContextImage}})
		if err != nil {
			t.Fatal(err)
		}
		want := []time.Time{at("2026-03-02 10:15:00"), at("2026-03-03 10:15:00"), at("2026-03-04 10:15:00"), at("2026-03-05 10:15:00"), at("2026-03-06 10:15:00")}
		for i, w := range want {
			if !j.Schedule.NextRuns[i].Equal(w) {
				t.Errorf("next run %d = %s, want %s", i, j.Schedule.NextRuns[i], w)
			}
		}
		e.tick(t, at("2026-03-02 10:15:00"))
		e.tick(t, at("2026-03-02 10:15:30"))
		e.tick(t, at("2026-03-03 10:15:02"))
		r := runs(t, e, j.ID)
		if len(r) != 2 || r[0].Name != "Daily_2026-03-02-10:15:00" || r[1].Name != "Daily_2026-03-03-10:15:00" || r[0].Status != vitrine.JobQueued {
			t.Fatalf("runs = %+v", r)
		}
		if string(r[0].Options) != string(j.Options) || r[0].UserID != e.user.User.ID {
			t.Errorf("run options %s / user %d, want the entry's", r[0].Options, r[0].UserID)
		}
		// Pause: nothing fires.
		if _, err := e.eng.Update(ctx, e.user, j.ID, jobs.Patch{Active: ptr(false)}); err != nil {
			t.Fatal(err)
		}
		e.tick(t, at("2026-03-04 10:15:00"))
		e.tick(t, at("2026-03-05 10:15:00"))
		if r := runs(t, e, j.ID); len(r) != 2 {
			t.Fatalf("paused entry fired: %d runs", len(r))
		}
		// Resume at noon on the 5th: the next run is the 6th, no catch-up.
		e.clock.Set(at("2026-03-05 12:00:00"))
		res, err := e.eng.Update(ctx, e.user, j.ID, jobs.Patch{Active: ptr(true)})
		if err != nil || !res.Schedule.NextRun.Equal(at("2026-03-06 10:15:00")) {
			t.Fatalf("resume = %+v, %v; want next run on the 6th", res.Schedule, err)
		}
		e.tick(t, at("2026-03-05 12:00:01"))
		if r := runs(t, e, j.ID); len(r) != 2 {
			t.Fatalf("resume caught up: %d runs", len(r))
		}
		// Edit: weekly on Wednesdays at 08:00 (2026-03-11 is a Wednesday).
		res, err = e.eng.Update(ctx, e.user, j.ID, jobs.Patch{When: &jobs.When{Weekly: "WED 08:00"}, Name: ptr("Weekly")})
		if err != nil || res.Schedule.Rule != "0 0 8 ? * WED" || !res.Schedule.NextRun.Equal(at("2026-03-11 08:00:00")) || res.Name != "Weekly" {
			t.Fatalf("edit = %+v %+v, %v", res, res.Schedule, err)
		}
		e.tick(t, at("2026-03-06 10:15:00"))
		e.tick(t, at("2026-03-11 08:00:00"))
		r = runs(t, e, j.ID)
		if len(r) != 3 || r[2].Name != "Weekly_2026-03-11-08:00:00" {
			t.Fatalf("after edit runs = %d, last %q", len(r), r[len(r)-1].Name)
		}
		// Someone else's entry: a user may not touch it, an admin may.
		if _, err := e.eng.Update(ctx, otherUser(t, e), j.ID, jobs.Patch{Active: ptr(false)}); vitrine.ErrorCode(err) != vitrine.EFORBIDDEN {
			t.Errorf("other user's edit: %v, want forbidden", err)
		}
		if _, err := e.eng.RunNow(ctx, e.admin, j.ID); err != nil {
			t.Errorf("admin run now: %v", err)
		}
		if err := e.eng.Delete(ctx, e.admin, j.ID); err != nil {
			t.Fatal(err)
		}
	})
}

// TestMissedRuns: occurrences passed while no server ran give one
// catch-up run (or none with MissedSkip), then the entry is back on
// schedule (JOB-5).
func TestMissedRuns(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		policy   jobs.MissedPolicy
		runs     int
		recorded int
	}{{jobs.MissedCatchUpOnce, 1, 2}, {jobs.MissedSkip, 0, 3}} {
		t.Run(string(tc.policy), func(t *testing.T) {
			t.Parallel()
			engines(t, func(t *testing.T, dsn string) {
				ctx := context.Background()
				e := parisEnv(t, dsn, func(c *jobs.Config) { c.MissedRuns = tc.policy })
				j, err := e.eng.Submit(ctx, e.user, jobs.Submission{Name: "Daily", When: jobs.When{Daily: "10:15"}})
				if err != nil {
					t.Fatal(err)
				}
				// Down from the 2nd 09:00 to the 4th 11:00: three occurrences missed.
				e.tick(t, at("2026-03-04 11:00:00"))
				e.tick(t, at("2026-03-04 11:00:01"))
				r := runs(t, e, j.ID)
				entry, _ := e.db.Job(ctx, 0, j.ID)
				if len(r) != tc.runs || entry.Schedule.Missed != tc.recorded || !entry.Schedule.NextRun.Equal(at("2026-03-05 10:15:00")) {
					t.Fatalf("runs %d (want %d), missed %d (want %d), next %s", len(r), tc.runs, entry.Schedule.Missed, tc.recorded, entry.Schedule.NextRun)
				}
				e.tick(t, at("2026-03-05 10:15:00"))
				if r := runs(t, e, j.ID); len(r) != tc.runs+1 {
					t.Errorf("back on schedule: %d runs, want %d", len(r), tc.runs+1)
				}
			})
		})
	}
}

// TestTwoNodesFireOnce: two engines on one database tick at the same
// instant; every occurrence runs once (JOB-7).
func TestTwoNodesFireOnce(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		e := parisEnv(t, dsn, nil)
		other := newEngine(t, dsn)
		var ids []int64
		for range 10 {
			j, err := e.eng.Submit(ctx, e.user, jobs.Submission{When: jobs.When{Rule: "0 */5 * * * ?"}})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, j.ID)
		}
		for _, now := range []time.Time{at("2026-03-02 09:05:00"), at("2026-03-02 09:10:00"), at("2026-03-02 09:10:00")} {
			var wg sync.WaitGroup
			for _, eng := range []*jobs.Engine{e.eng, other} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := eng.RunOnce(ctx, now); err != nil {
						t.Errorf("RunOnce: %v", err)
					}
				}()
			}
			wg.Wait()
		}
		for _, id := range ids {
			if r := runs(t, e, id); len(r) != 2 {
				t.Errorf("entry %d: %d runs, want 2 (09:05 and 09:10)", id, len(r))
			}
		}
	})
}

func ptr[T any](v T) *T { return &v }

// TestEditRunAs: changing what an entry does that runs as someone else
// takes the right to run as them; renaming it does not.
func TestEditRunAs(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		e := parisEnv(t, dsn, nil)
		j, err := e.eng.Submit(ctx, e.user, jobs.Submission{Name: "Daily", When: jobs.When{Daily: "10:15"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.eng.Update(ctx, e.admin, j.ID, jobs.Patch{RunAs: ptr(e.admin.User.Name)}); err != nil {
			t.Fatalf("admin sets run as: %v", err)
		}
		full := jobs.Options{PublishType: jobs.PublishFull}
		if _, err := e.eng.Update(ctx, e.user, j.ID, jobs.Patch{Options: &full}); vitrine.ErrorCode(err) != vitrine.EFORBIDDEN {
			t.Errorf("the submitter changes the options of an entry running as the admin: %v, want forbidden", err)
		}
		if _, err := e.eng.Update(ctx, e.user, j.ID, jobs.Patch{Name: ptr("Nightly")}); err != nil {
			t.Errorf("the submitter renames it: %v", err)
		}
		if _, err := e.eng.Update(ctx, e.admin, j.ID, jobs.Patch{Options: &full}); err != nil {
			t.Errorf("the admin changes the options: %v", err)
		}
	})
}
