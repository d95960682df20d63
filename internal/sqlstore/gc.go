package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"slices"
	"sync"
	"time"

	"github.com/vitrine/vitrine"
)

// blobLockClass is the first key of PostgreSQL advisory locks on blob
// digests ("VTBL"): the two-key form keeps them apart from River's and any
// other single-key advisory locks.
const blobLockClass = 0x5654424c

// LockBlobs implements vitrine.BlobLocker: fn runs while this node holds
// every digest's lock, so storing a blob and collecting it never overlap
// (vitrine.BlobSweeper says why that is enough).
//
// On PostgreSQL the locks are transaction-level advisory locks, shared by
// every node on the database, taken in key order (two collectors cannot
// deadlock) and released by the transaction's end even if the node dies.
// On SQLite, whose database has one server process, they are in-process
// locks on the DB.
func (d *DB) LockBlobs(ctx context.Context, digests []string, fn func(ctx context.Context) error) error {
	digests = slices.Clone(digests)
	slices.Sort(digests)
	digests = slices.Compact(digests)
	if d.dialect != Postgres {
		release, err := d.blobLocks.lock(ctx, digests, d.BlobLockWait)
		if err != nil {
			return err
		}
		defer release()
		return fn(ctx)
	}
	keys := make([]int32, 0, len(digests))
	for _, dg := range digests {
		h := fnv.New32a()
		h.Write([]byte(dg))
		keys = append(keys, int32(h.Sum32()))
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	// First try them all without waiting. When one is busy, let go of
	// those taken and wait for each in key order: holding some while
	// waiting out of order could deadlock two collectors.
	for wait := false; ; wait = true {
		got, err := d.lockKeys(ctx, keys, wait, fn)
		if err != nil || got {
			return err
		}
		if d.BlobLockWait != nil {
			d.BlobLockWait()
		}
	}
}

// lockKeys takes the advisory locks of keys in one transaction, runs fn and
// commits. Without wait it takes none and reports false if any is busy.
func (d *DB) lockKeys(ctx context.Context, keys []int32, wait bool, fn func(ctx context.Context) error) (bool, error) {
	stx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("begin blob lock: %w", err)
	}
	defer stx.Rollback()
	if wait {
		_, err = stx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, k) FROM unnest($2::int4[]) AS k`, blobLockClass, keys)
	} else {
		var missed int
		err = stx.QueryRowContext(ctx, `SELECT COUNT(*) FROM unnest($2::int4[]) AS k WHERE NOT pg_try_advisory_xact_lock($1, k)`,
			blobLockClass, keys).Scan(&missed)
		if err == nil && missed > 0 {
			return false, nil
		}
	}
	if err != nil {
		return false, fmt.Errorf("lock blobs: %w", err)
	}
	if err := fn(ctx); err != nil {
		return true, err
	}
	return true, stx.Commit()
}

// digestLocks are in-process per-digest locks; the zero value is ready.
type digestLocks struct {
	mu   sync.Mutex
	held map[string]chan struct{} // closed when released
}

// lock takes the locks of the sorted digests, calling wait (if set) once
// when one of them is held by someone else, and returns their release.
func (l *digestLocks) lock(ctx context.Context, digests []string, wait func()) (func(), error) {
	var got []string
	release := func() {
		l.mu.Lock()
		for _, dg := range got {
			close(l.held[dg])
			delete(l.held, dg)
		}
		l.mu.Unlock()
	}
	for _, dg := range digests {
		for {
			l.mu.Lock()
			if l.held == nil {
				l.held = map[string]chan struct{}{}
			}
			ch, busy := l.held[dg]
			if !busy {
				l.held[dg] = make(chan struct{})
			}
			l.mu.Unlock()
			if !busy {
				got = append(got, dg)
				break
			}
			if wait != nil {
				wait()
				wait = nil
			}
			select {
			case <-ch:
			case <-ctx.Done():
				release()
				return nil, ctx.Err()
			}
		}
	}
	return release, nil
}

// UnreferencedBlobs returns those of digests that no version refers to: no
// file version of any company, derived image or set manifest (a set
// version's digest is its manifest's).
func (d *DB) UnreferencedBlobs(ctx context.Context, digests []string) ([]string, error) {
	used := map[string]bool{}
	err := d.read(ctx, func(tx *Tx) error {
		for _, part := range chunks(strs(digests), 500) {
			rows, err := tx.query(ctx, `SELECT DISTINCT sha256 FROM versions WHERE sha256 IN (`+marks(len(part))+`)`, part...)
			if err != nil {
				return fmt.Errorf("blob references: %w", err)
			}
			for rows.Next() {
				var s string
				if err := rows.Scan(&s); err != nil {
					rows.Close()
					return err
				}
				used[s] = true
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, dg := range digests {
		if !used[dg] {
			out = append(out, dg)
		}
	}
	return out, nil
}

func strs(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// PurgeTrashBatch deletes up to limit assets of a company that went to the
// Trash before cutoff (UP-6), with everything that hangs off them: versions,
// intents, set membership. A derived image went to the Trash with its
// parent, so it goes with it. Call it until it returns fewer than limit.
func (d *DB) PurgeTrashBatch(ctx context.Context, companyID int64, cutoff time.Time, limit int) ([]PurgedAsset, error) {
	var out []PurgedAsset
	err := d.inTx(ctx, func(tx *Tx) error {
		out = nil
		rows, err := tx.query(ctx, `SELECT a.id, a.name, COALESCE(v.sha256, '') FROM assets a LEFT JOIN versions v ON v.asset_id = a.id
			WHERE a.id IN (SELECT id FROM assets WHERE company_id = ? AND trashed_at IS NOT NULL AND trashed_at < ? ORDER BY id LIMIT ?)
			ORDER BY a.id`, companyID, toMicros(cutoff), limit)
		if err != nil {
			return fmt.Errorf("read trash: %w", err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			var name, sha string
			if err := rows.Scan(&id, &name, &sha); err != nil {
				rows.Close()
				return err
			}
			if len(ids) == 0 || ids[len(ids)-1] != id {
				ids = append(ids, id)
				out = append(out, PurgedAsset{Name: name})
			}
			if p := &out[len(out)-1]; sha != "" && !slices.Contains(p.Digests, sha) {
				p.Digests = append(p.Digests, sha)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, part := range chunks(int64s(ids), 500) {
			if _, err := tx.exec(ctx, `DELETE FROM assets WHERE id IN (`+marks(len(part))+`)`, part...); err != nil {
				return fmt.Errorf("purge trash: %w", err)
			}
		}
		return nil
	})
	return out, err
}

// CreateMaintenanceRuns records the maintenance run of every company for
// the daily occurrence occ, named name, and returns the runs this call
// created: none when another node (or an earlier tick) already did.
func (d *DB) CreateMaintenanceRuns(ctx context.Context, occ time.Time, name string) ([]JobRun, error) {
	var ids []int64
	err := d.inTx(ctx, func(tx *Tx) error {
		ids = nil
		rows, err := tx.query(ctx, `INSERT INTO jobs (company_id, type, name, status, options, created_at, occurrence)
			SELECT id, ?, ?, 'queued', '{}', ?, ? FROM companies WHERE TRUE
			ON CONFLICT DO NOTHING RETURNING id`, string(vitrine.JobMaintenance), name, toMicros(tx.now), toMicros(occ))
		if err != nil {
			return fmt.Errorf("record maintenance runs: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	out := make([]JobRun, 0, len(ids))
	for _, id := range ids {
		j, err := d.Job(ctx, 0, id)
		if err != nil {
			return nil, err
		}
		out = append(out, *j)
	}
	return out, nil
}

// LastMaintenance returns the latest occurrence a maintenance run was
// recorded for, or the zero time when there is none.
func (d *DB) LastMaintenance(ctx context.Context) (time.Time, error) {
	var last *int64
	err := d.read(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `SELECT MAX(occurrence) FROM jobs WHERE type = ?`, string(vitrine.JobMaintenance)).Scan(&last)
	})
	if err != nil || last == nil {
		return time.Time{}, err
	}
	return fromMicros(*last), nil
}

// SetJobResult records what a job did (JobRun.Result).
func (d *DB) SetJobResult(ctx context.Context, id int64, result any) error {
	b, err := json.Marshal(result)
	if err != nil {
		return fmt.Errorf("encode job result: %w", err)
	}
	return d.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE jobs SET result = ? WHERE id = ?`, string(b), id)
		return err
	})
}
