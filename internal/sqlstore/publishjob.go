package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/vitrine/vitrine"
)

// where returns the SQL condition (on assets a JOIN folders f) of a scope.
func scopeWhere(s PublishScope, companyID int64) (string, []any) {
	conds, args := []string{"a.company_id = ?"}, []any{companyID}
	switch s.To {
	case vitrine.ContextVideo:
		conds = append(conds, "a.type = 'video'")
	case vitrine.ContextContent:
		conds = append(conds, "a.type = 'static'")
	case vitrine.ContextImage:
		conds = append(conds, "a.type NOT IN ('video', 'static')")
	}
	if len(s.Folders) > 0 {
		var or []string
		for _, p := range s.Folders {
			or = append(or, `(f.path = ? OR f.path LIKE ? ESCAPE '\')`)
			args = append(args, p, likePrefix(p))
		}
		conds = append(conds, "("+strings.Join(or, " OR ")+")")
	}
	return strings.Join(conds, " AND "), args
}

// pendingOnly restricts an incremental job to what can go live.
const pendingOnly = ` AND a.trashed_at IS NULL AND a.sync_mode <> 'exclude' AND a.current_version > 0`

// CountPublishCandidates counts the assets a publish job will look at: for
// incremental the marked assets missing from the catalog (through the
// intents_pending index), for full every asset in scope.
func (d *DB) CountPublishCandidates(ctx context.Context, companyID int64, s PublishScope) (int, error) {
	where, args := scopeWhere(s, companyID)
	q := `SELECT COUNT(*) FROM assets a JOIN folders f ON f.id = a.folder_id WHERE ` + where
	if s.Mode == ReconcileIncremental {
		ctxCond := ""
		if s.To != "" {
			ctxCond, args = " AND i.context = ?", append([]any{string(s.To)}, args...)
		}
		q = `SELECT COUNT(DISTINCT a.id) FROM intents i JOIN assets a ON a.id = i.asset_id JOIN folders f ON f.id = a.folder_id
			WHERE i.marked AND NOT i.live` + ctxCond + ` AND ` + where + pendingOnly
	}
	var n int
	err := d.read(ctx, func(tx *Tx) error { return tx.queryRow(ctx, q, args...).Scan(&n) })
	return n, err
}

// PublishBatch does the next batch of a running publish job in one
// transaction: the next size candidate assets after the job's cursor are
// reconciled, logged and counted, and the cursor moves past them. A crash
// loses at most the open batch, which the re-run does again; a cancel takes
// effect here, between batches, so every asset is fully old or fully new
// (JOB-4, JOB-7). It returns the job, the batch's catalog changes (for edge
// purges) and whether the job has ended.
func (d *DB) PublishBatch(ctx context.Context, jobID int64, s PublishScope, size int) (*JobRun, []CatalogChange, bool, error) {
	var j *JobRun
	var ended bool
	var changes []CatalogChange
	err := d.inTx(ctx, func(tx *Tx) (err error) {
		if d.dialect == Postgres {
			// Every query of a batch looks rows up by key. A first publish
			// grows the catalog from nothing faster than autovacuum's
			// statistics follow, and with "catalog is empty" the planner
			// chooses sequential scans that make the job quadratic.
			if _, err := tx.exec(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
				return err
			}
		}
		if j, err = tx.lockJob(ctx, jobID); err != nil {
			return err
		}
		switch j.Status {
		case vitrine.JobRunning:
		case vitrine.JobStopping:
			ended = true
			return tx.endJob(ctx, j, vitrine.JobCancelled, "")
		default:
			ended = j.Status.Terminal()
			if !ended {
				return fmt.Errorf("publish batch: job %d is %s, not running", jobID, j.Status)
			}
			return nil
		}
		assets, cursor, err := tx.publishCandidates(ctx, j.CompanyID, s, j.ResumeAfter, size)
		if err != nil {
			return err
		}
		if cursor == j.ResumeAfter {
			ended = true
			return tx.endJob(ctx, j, "", "")
		}
		changes, err = tx.reconcileMany(ctx, assets, s.Mode, actor{UserID: j.UserID, UserName: j.User, JobID: &j.ID})
		if err != nil {
			return fmt.Errorf("reconcile: %w", err)
		}
		if err := tx.appendLog(ctx, j.ID, changeLog(changes)); err != nil {
			return err
		}
		changed := map[string]bool{}
		for _, c := range changes {
			changed[c.Asset] = true
		}
		j.ResumeAfter, j.Done, j.Published = cursor, j.Done+len(assets), j.Published+len(changed)
		_, err = tx.exec(ctx, `UPDATE jobs SET resume_after = ?, done = ?, published = ? WHERE id = ?`,
			cursor, j.Done, j.Published, j.ID)
		return err
	})
	if err != nil {
		return nil, nil, false, err
	}
	return j, changes, ended, nil
}

// publishCandidates returns the next batch of assets after cursor and the
// cursor past them. Incremental walks the intents_pending index, so it
// visits only marked intents that are not live; full walks every asset in
// scope by id.
func (tx *Tx) publishCandidates(ctx context.Context, companyID int64, s PublishScope, cursor int64, size int) ([]*vitrine.Asset, int64, error) {
	where, args := scopeWhere(s, companyID)
	from := ` FROM assets a `
	if len(s.Folders) > 0 {
		from = assetFrom
	}
	if s.Mode != ReconcileIncremental {
		assets, err := tx.queryAssets(ctx, `SELECT `+leanCols+from+`WHERE `+where+` AND a.id > ? ORDER BY a.id LIMIT ?`,
			append(args, cursor, size)...)
		if err != nil || len(assets) == 0 {
			return nil, cursor, err
		}
		return assets, assets[len(assets)-1].ID, nil
	}
	q, qargs := `SELECT DISTINCT asset_id FROM intents WHERE marked AND NOT live AND asset_id > ?`, []any{cursor}
	if s.To != "" {
		q, qargs = q+` AND context = ?`, append(qargs, string(s.To))
	}
	rows, err := tx.query(ctx, q+` ORDER BY asset_id LIMIT ?`, append(qargs, size)...)
	if err != nil {
		return nil, cursor, fmt.Errorf("pending intents: %w", err)
	}
	var ids []any
	next := cursor
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, cursor, err
		}
		ids, next = append(ids, id), id
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return nil, cursor, err
	}
	in, inArgs := tx.inIDs("a.id", ids)
	assets, err := tx.queryAssets(ctx, `SELECT `+leanCols+from+`WHERE `+where+pendingOnly+` AND `+in+` ORDER BY a.id`,
		append(args, inArgs...)...)
	return assets, next, err
}

// leanCols are the asset columns reconcile reads: a publish job scans every
// asset in scope, so it reads no more than it needs.
const leanCols = `a.id, a.company_id, a.name, a.type, a.current_version, a.sync_mode, a.trashed_at`

func (tx *Tx) queryAssets(ctx context.Context, q string, args ...any) ([]*vitrine.Asset, error) {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*vitrine.Asset
	for rows.Next() {
		a := &vitrine.Asset{}
		var typ, sync string
		var trashed sql.NullInt64
		if err := rows.Scan(&a.ID, &a.CompanyID, &a.Name, &typ, &a.Version, &sync, &trashed); err != nil {
			return nil, err
		}
		a.Type, a.SyncMode, a.TrashedAt = vitrine.AssetType(typ), vitrine.SyncMode(sync), fromNullMicros(trashed)
		out = append(out, a)
	}
	return out, rows.Err()
}

// changeLog turns catalog changes into one log line per asset.
func changeLog(changes []CatalogChange) []vitrine.JobLogEntry {
	type key struct{ asset, action string }
	by := map[key][]string{}
	ver := map[key]int{}
	var order []key
	for _, c := range changes {
		k := key{c.Asset, c.Action}
		if _, ok := by[k]; !ok {
			order = append(order, k)
		}
		by[k] = append(by[k], string(c.Context)+"/"+string(c.Destination))
		ver[k] = c.Version
	}
	out := make([]vitrine.JobLogEntry, 0, len(order))
	for _, k := range order {
		sort.Strings(by[k])
		out = append(out, vitrine.JobLogEntry{Asset: k.asset, Level: vitrine.LogInfo,
			Message: fmt.Sprintf("%s v%d: %s", k.action, ver[k], strings.Join(by[k], ", "))})
	}
	return out
}
