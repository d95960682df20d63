package jobs_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/blob"
	"github.com/vitrine/vitrine/internal/jobs"
	"github.com/vitrine/vitrine/internal/service"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// gcEnv is env with a guarded blob store whose files the test can age, and
// the store's clock on the engine's.
type gcEnv struct {
	*env
	blobs *blob.Guarded
	dir   string
}

func newGCEnv(t *testing.T, dsn string) *gcEnv {
	t.Helper()
	e := newEnv(t, dsn, func(c *jobs.Config) { c.Maintenance.BatchSize = 2 })
	e.db.Now = e.clock.Now
	g := &gcEnv{env: e, dir: t.TempDir()}
	l, err := blob.OpenLocal(g.dir)
	if err != nil {
		t.Fatal(err)
	}
	g.blobs = blob.Guard(l, e.db)
	// The engine newEnv made has a plain store; this one runs the jobs.
	e.eng.Stop()
	cfg := jobs.DefaultConfig()
	cfg.Now, cfg.Tick, cfg.FetchPoll = e.clock.Now, time.Hour, 50*time.Millisecond
	cfg.Maintenance.BatchSize = 2 // several batches with few assets
	if e.eng, err = jobs.New(context.Background(), cfg, mustService(t, service.Deps{Store: e.db, Blobs: g.blobs}), dsn, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.eng.Stop() })
	e.events = subscribe(t, e.eng) // the new engine's events
	if err := e.eng.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	return g
}

// put stores data as a blob at the clock's time and returns its file.
func (g *gcEnv) put(t *testing.T, name, data string) vitrine.NewFile {
	t.Helper()
	ctx := context.Background()
	sum := sha256.Sum256([]byte(data))
	d := hex.EncodeToString(sum[:])
	f, err := os.CreateTemp(g.blobs.SpoolDir(), "t-*")
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(data)
	f.Close()
	if err := g.blobs.PutFile(ctx, d, f.Name()); err != nil {
		t.Fatal(err)
	}
	now := g.clock.Now()
	if err := os.Chtimes(filepath.Join(g.dir, d[:2], d[2:4], d), now, now); err != nil {
		t.Fatal(err)
	}
	return vitrine.NewFile{Filename: name, Type: vitrine.TypeImage, Format: "jpeg", MIME: "image/jpeg", Ext: "jpg",
		Width: 1, Height: 1, SHA256: d, Size: int64(len(data))}
}

func (g *gcEnv) ingest(t *testing.T, files ...vitrine.NewFile) {
	t.Helper()
	if _, err := g.db.Ingest(context.Background(), g.user, files, vitrine.UploadOptions{}); err != nil {
		t.Fatal(err)
	}
}

func (g *gcEnv) has(t *testing.T, f vitrine.NewFile) bool {
	t.Helper()
	_, err := g.blobs.StatBlob(context.Background(), f.SHA256)
	if err != nil && vitrine.ErrorCode(err) != vitrine.ENOTFOUND {
		t.Fatal(err)
	}
	return err == nil
}

// maintenanceRuns returns the company's maintenance jobs, newest first.
func (g *gcEnv) maintenanceRuns(t *testing.T) []sqlstore.JobRun {
	t.Helper()
	js, err := g.db.Jobs(context.Background(), g.admin.Company.ID, sqlstore.JobFilter{Type: vitrine.JobMaintenance})
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// TestMaintenance runs the daily job on the injected clock: assets in the
// Trash longer than trash_days go with their blobs, except a blob a live
// asset shares; an asset trashed yesterday stays; an unreferenced blob
// stored within the grace period (an upload in flight: stored, its version
// not yet committed) stays, and its upload then commits.
func TestMaintenance(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		g := newGCEnv(t, dsn)
		t0 := g.clock.Now()        // 2026-03-02 09:00 UTC
		other := newEngine(t, dsn) // a second node
		for _, eng := range []*jobs.Engine{other, g.eng} {
			if err := eng.RunOnce(ctx, t0); err != nil {
				t.Fatal(err)
			}
		}
		if n := len(g.maintenanceRuns(t)); n != 0 {
			t.Fatalf("a fresh install ran maintenance for a time before it: %d runs", n)
		}

		old1, old2 := g.put(t, "old1.jpg", "old one"), g.put(t, "old2.jpg", "old two")
		shared := g.put(t, "shared.jpg", "shared bytes")
		keep := shared
		keep.Filename = "keep.jpg"
		yesterday := g.put(t, "yesterday.jpg", "trashed yesterday")
		orphan := g.put(t, "orphan.jpg", "stored, but its upload failed")
		g.ingest(t, old1, old2, shared, keep, yesterday)
		for _, n := range []string{"old1", "old2", "shared"} {
			if _, err := g.db.Trash(ctx, g.admin, n); err != nil {
				t.Fatal(err)
			}
		}
		g.clock.Set(t0.Add(8 * 24 * time.Hour)) // 2026-03-10 09:00
		if _, err := g.db.Trash(ctx, g.admin, "yesterday"); err != nil {
			t.Fatal(err)
		}

		run := t0.Add(8*24*time.Hour + 19*time.Hour) // 2026-03-11 04:00, past the 03:00 run
		g.clock.Set(run.Add(-2 * time.Hour))
		inflight := g.put(t, "inflight.jpg", "an upload in flight")
		g.clock.Set(run)
		// Both nodes tick past the occurrence: one run is recorded.
		for _, eng := range []*jobs.Engine{other, g.eng, g.eng} {
			if err := eng.RunOnce(ctx, run); err != nil {
				t.Fatal(err)
			}
		}
		runs := g.maintenanceRuns(t)
		if len(runs) != 1 {
			t.Fatalf("%d maintenance runs, want 1", len(runs))
		}
		j := g.wait(t, runs[0].ID)
		if want := "Trash_and_cleanup_2026-03-11-03:00:00"; j.Name != want || j.Status != vitrine.JobSucceeded {
			t.Errorf("run %q %s, want %q succeeded (%s)", j.Name, j.Status, want, j.Message)
		}
		var res vitrine.MaintenanceResult
		if err := json.Unmarshal(j.Result, &res); err != nil {
			t.Fatalf("result %q: %v", j.Result, err)
		}
		want := vitrine.MaintenanceResult{AssetsPurged: 3, BlobsDeleted: 3, BytesFreed: old1.Size + old2.Size + orphan.Size}
		if res != want || j.Done != 3 {
			t.Errorf("result %+v, done %d; want %+v, done 3", res, j.Done, want)
		}
		for _, c := range []struct {
			name  string
			asset bool
			file  vitrine.NewFile
			blob  bool
		}{
			{"old1", false, old1, false},
			{"old2", false, old2, false},
			{"shared", false, shared, true}, // keep still uses the bytes
			{"keep", true, keep, true},
			{"yesterday", true, yesterday, true},
			{"orphan.jpg", false, orphan, false},
			{"inflight.jpg", false, inflight, true},
		} {
			_, err := g.db.Asset(ctx, g.admin.Company.ID, c.name)
			if got := err == nil; got != c.asset {
				t.Errorf("asset %s exists = %v, want %v (%v)", c.name, got, c.asset, err)
			}
			if got := g.has(t, c.file); got != c.blob {
				t.Errorf("blob of %s exists = %v, want %v", c.name, got, c.blob)
			}
		}
		g.ingest(t, inflight) // the upload in flight commits: its blob is there
		if !g.has(t, inflight) {
			t.Error("the blob of the upload in flight is gone")
		}

	})
}
