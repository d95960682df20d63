package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/blob"
	"github.com/vitrine/vitrine/internal/jobs"
	"github.com/vitrine/vitrine/internal/service"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// runGC measures the daily maintenance job's blob collection: n small
// blobs stored a week ago, half referenced by a version and half not; one
// maintenance run (through the engine and River, as in production) deletes
// the unreferenced half.
func runGC(dsn string, n int) error {
	ctx := context.Background()
	db, c, dsn, done, err := openBench(ctx, dsn)
	if err != nil {
		return err
	}
	defer done()
	dir, err := os.MkdirTemp("", "gcbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	local, err := blob.OpenLocal(dir)
	if err != nil {
		return err
	}
	t0 := time.Now()
	if err := seed(ctx, db, c.ID, 1, n/2); err != nil { // versions of blobs 1..n/2
		return err
	}
	week := time.Now().Add(-7 * 24 * time.Hour)
	for i := 1; i <= n; i++ {
		d := fmt.Sprintf("%064x", i)
		p := filepath.Join(dir, d[:2], d[2:4], d)
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(d), 0o640); err != nil {
			return err
		}
		if err := os.Chtimes(p, week, week); err != nil {
			return err
		}
	}
	fmt.Printf("%s: seeded %d blobs, %d referenced, in %s\n", db.Dialect(), n, n/2, time.Since(t0).Round(time.Millisecond))

	now := time.Now().UTC()
	cfg := jobs.DefaultConfig()
	cfg.Tick, cfg.FetchPoll, cfg.Maintenance.At = time.Hour, 20*time.Millisecond, 0
	cfg.Now = func() time.Time { return now }
	svc, err := service.New(service.Deps{Store: db, Blobs: blob.Guard(local, db)})
	if err != nil {
		return err
	}
	eng, err := jobs.New(ctx, cfg, svc, dsn, nil)
	if err != nil {
		return err
	}
	defer eng.Stop()
	if err := eng.RunOnce(ctx, now.Add(-24*time.Hour)); err != nil { // yesterday's run is done
		return err
	}
	if err := eng.Start(ctx); err != nil {
		return err
	}
	if err := eng.RunOnce(ctx, now); err != nil {
		return err
	}
	js, err := db.Jobs(ctx, c.ID, sqlstore.JobFilter{Type: vitrine.JobMaintenance})
	if err != nil || len(js) != 1 {
		return fmt.Errorf("maintenance runs: %d, %v", len(js), err)
	}
	var j *sqlstore.JobRun
	for {
		if j, err = db.Job(ctx, 0, js[0].ID); err != nil {
			return err
		}
		if j.Status.Terminal() {
			break
		}
		time.Sleep(10 * time.Millisecond) // a benchmark polls; its timing comes from the job's own times
	}
	if j.Status != vitrine.JobSucceeded || j.StartedAt == nil {
		return fmt.Errorf("maintenance run %s: %s", j.Status, j.Message)
	}
	took := j.FinishedAt.Sub(*j.StartedAt)
	left := 0
	if err := local.ListBlobs(ctx, func(vitrine.BlobInfo) error { left++; return nil }); err != nil {
		return err
	}
	if left != n/2 {
		return fmt.Errorf("%d blobs left, want %d (%s)", left, n/2, j.Message)
	}
	fmt.Printf("%s: collected %d of %d blobs in %s: %.0f blobs/s scanned, %.0f deleted/s\n", db.Dialect(), n-n/2, n,
		took.Round(time.Millisecond), float64(n)/took.Seconds(), float64(n-n/2)/took.Seconds())
	return nil
}
