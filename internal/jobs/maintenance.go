package jobs

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/vitrine/vitrine"
)

// MaintenanceConfig configures the daily Trash and cleanup job.
type MaintenanceConfig struct {
	// Off: no maintenance runs are recorded (nothing is ever purged).
	Off bool
	// At is the time of day, UTC, of the daily run; 03:00.
	At time.Duration
	// BlobGrace is how long a stored blob is safe from collection: an
	// upload refers to its blob within one transaction of storing it, so
	// a younger unreferenced blob may be an upload in flight; 24h.
	BlobGrace time.Duration
	// BatchSize is how many assets are purged, or blobs collected, per
	// transaction; 1000.
	BatchSize int
}

// DefaultMaintenanceConfig returns the defaults.
func DefaultMaintenanceConfig() MaintenanceConfig {
	return MaintenanceConfig{At: 3 * time.Hour, BlobGrace: 24 * time.Hour, BatchSize: 1000}
}

// Validate checks a maintenance configuration.
func (c MaintenanceConfig) Validate() error {
	switch {
	case c.At < 0 || c.At >= 24*time.Hour:
		return fmt.Errorf("jobs: maintenance time of day %v is not within a day", c.At)
	case c.BlobGrace < time.Minute:
		return errors.New("jobs: the blob grace period must be at least a minute")
	case c.BatchSize < 1:
		return errors.New("jobs: the maintenance batch size must be positive")
	}
	return nil
}

// maintenanceState is the latest daily occurrence this engine knows to be
// recorded; loaded from the database on the first tick.
type maintenanceState struct {
	mu     sync.Mutex
	loaded bool
	last   time.Time
}

// maintenanceName is the name of the runs of one daily occurrence.
const maintenanceName = "Trash_and_cleanup"

// maintain records and enqueues the maintenance runs of the latest daily
// occurrence at or before now, once: the first time any node ticks past
// it (the insert is unique per company and occurrence, as a Scheduled
// entry's runs are). An occurrence that passed while every node was down
// runs at the next start; on a fresh database the first run is the next
// occurrence, not one from before the install.
func (e *Engine) maintain(ctx context.Context, now time.Time) error {
	mc := e.cfg.Maintenance
	if mc.Off {
		return nil
	}
	occ := now.UTC().Truncate(24 * time.Hour).Add(mc.At)
	if occ.After(now) {
		occ = occ.Add(-24 * time.Hour)
	}
	e.maint.mu.Lock()
	defer e.maint.mu.Unlock()
	if !e.maint.loaded {
		last, err := e.db.LastMaintenance(ctx)
		if err != nil {
			return fmt.Errorf("maintenance: %w", err)
		}
		if last.IsZero() {
			last = occ
		}
		e.maint.last, e.maint.loaded = last, true
	}
	if !occ.After(e.maint.last) {
		return nil
	}
	runs, err := e.db.CreateMaintenanceRuns(ctx, occ, vitrine.JobName(maintenanceName, occ))
	if err != nil {
		return fmt.Errorf("maintenance: %w", err)
	}
	e.maint.last = occ
	var errs []error
	for i := range runs {
		errs = append(errs, e.enqueue(ctx, &runs[i]))
	}
	return errors.Join(errs...)
}

// runMaintenance is one company's maintenance run: it purges the assets
// that have been in its Trash longer than its trash_days (UP-6; derived
// images went to the Trash with their parent and go with it), then deletes
// the blobs those assets leave unreferenced. The run of the first company
// (the one made at first start) also sweeps the whole blob store for
// unreferenced blobs no purge accounts for (an upload that failed after
// storing its files). A re-run after a crash purges what is left; blobs
// it no longer knows about go in the next sweep.
func (e *Engine) runMaintenance(ctx context.Context, j *vitrine.JobRun) error {
	c, err := e.db.CompanyByID(ctx, j.CompanyID)
	if err != nil {
		return err
	}
	now := e.cfg.Now()
	var res vitrine.MaintenanceResult
	cutoff := now.Add(-time.Duration(c.Settings.TrashDays) * 24 * time.Hour)
	var freed []string
	for {
		batch, err := e.db.PurgeTrashBatch(ctx, c.ID, cutoff, e.cfg.Maintenance.BatchSize)
		if err != nil {
			return err
		}
		lines := make([]vitrine.JobLogEntry, len(batch))
		for i, a := range batch {
			lines[i] = vitrine.JobLogEntry{Asset: a.Name, Level: vitrine.LogInfo,
				Message: fmt.Sprintf("purged: in the Trash for more than %d days", c.Settings.TrashDays)}
			freed = append(freed, a.Digests...)
		}
		if err := e.db.AppendJobLog(ctx, j.ID, lines); err != nil {
			return err
		}
		if err := e.db.AddJobProgress(ctx, j.ID, len(batch), 0); err != nil {
			return err
		}
		res.AssetsPurged += len(batch)
		if len(batch) < e.cfg.Maintenance.BatchSize {
			break
		}
	}
	if err := e.collectBlobs(ctx, j, c, now, freed, &res); err != nil {
		return err
	}
	if err := e.db.SetJobResult(ctx, j.ID, res); err != nil {
		return err
	}
	msg := fmt.Sprintf("purged %d assets from the Trash; deleted %d unreferenced blobs, %d bytes freed", res.AssetsPurged, res.BlobsDeleted, res.BytesFreed)
	_, _, err = e.db.FinishJob(ctx, j.ID, "", msg)
	return err
}

// collectBlobs deletes the blobs in freed that no version refers to any
// more and, in the first company's run, every other unreferenced blob.
func (e *Engine) collectBlobs(ctx context.Context, j *vitrine.JobRun, c *vitrine.Company, now time.Time, freed []string, res *vitrine.MaintenanceResult) error {
	sw, ok := e.blobs.(vitrine.BlobSweeper)
	if !ok {
		e.log.Warn("jobs: the blob store is not guarded against concurrent uploads; blobs are not collected", "job", j.ID)
		return nil
	}
	cutoff := now.Add(-e.cfg.Maintenance.BlobGrace)
	if err := e.deleteStale(ctx, sw, freed, cutoff, res); err != nil {
		return err
	}
	first, err := e.firstCompany(ctx)
	if err != nil || first != c.ID {
		return err
	}
	before := *res
	aborted, err := sw.AbortPartialUploads(ctx, cutoff)
	if err != nil {
		return fmt.Errorf("abort partial uploads: %w", err)
	}
	var old []string
	err = sw.ListBlobs(ctx, func(b vitrine.BlobInfo) error {
		if b.ModTime.Before(cutoff) {
			old = append(old, b.Digest)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("list blobs: %w", err)
	}
	if err := e.deleteStale(ctx, sw, old, cutoff, res); err != nil {
		return err
	}
	e.log.Info("jobs: swept the blob store", "job", j.ID, "older_than_grace", len(old), "partial_uploads_aborted", aborted,
		"deleted", res.BlobsDeleted-before.BlobsDeleted, "bytes", res.BytesFreed-before.BytesFreed)
	return nil
}

// deleteStale collects digests batch by batch (see vitrine.BlobSweeper).
func (e *Engine) deleteStale(ctx context.Context, sw vitrine.BlobSweeper, digests []string, cutoff time.Time, res *vitrine.MaintenanceResult) error {
	n := e.cfg.Maintenance.BatchSize
	for len(digests) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		part := digests[:min(n, len(digests))]
		digests = digests[len(part):]
		gone, err := sw.DeleteStale(ctx, part, cutoff, e.db.UnreferencedBlobs)
		if err != nil {
			return err
		}
		for _, b := range gone {
			res.BlobsDeleted++
			res.BytesFreed += b.Size
		}
	}
	return nil
}

// firstCompany returns the id of the oldest company.
func (e *Engine) firstCompany(ctx context.Context) (int64, error) {
	cs, err := e.db.Companies(ctx)
	if err != nil {
		return 0, err
	}
	var first int64
	for _, c := range cs {
		if first == 0 || c.ID < first {
			first = c.ID
		}
	}
	return first, nil
}
