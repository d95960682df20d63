package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/vitrine/vitrine"
)

// reconcileMany is reconcile for a batch of assets: it reads the intents,
// catalog rows and current versions of the whole batch with one query each
// and writes with multi-row statements, so a publish job of 100,000 assets
// costs a few hundred statements rather than a million. The rule (what is
// wanted live, and which difference each mode applies) is decide's, the same
// for one asset and for many.
func (tx *Tx) reconcileMany(ctx context.Context, assets []*vitrine.Asset, mode ReconcileMode, by actor) ([]CatalogChange, error) {
	if len(assets) == 0 {
		return nil, nil
	}
	ids := make([]any, len(assets))
	for i, a := range assets {
		ids[i] = a.ID
	}
	if err := tx.lockAssets(ctx, assets, ids); err != nil {
		return nil, err
	}
	want, err := tx.wantedLive(ctx, assets, ids)
	if err != nil {
		return nil, err
	}
	have, err := tx.liveRows(ctx, ids)
	if err != nil {
		return nil, err
	}
	cur, err := tx.currentVersions(ctx, assets, want)
	if err != nil {
		return nil, err
	}
	w := &catalogWriter{tx: tx, now: toMicros(tx.now)}
	if mode == ReconcileIncremental {
		// Every pending asset gets its live flags recomputed, even when
		// there was nothing to write, or it would stay pending forever.
		w.seen, w.published = map[int64]bool{}, map[int64]bool{}
		for _, a := range assets {
			w.seen[a.ID] = true
			w.touched = append(w.touched, a.ID)
		}
	}
	var changes []CatalogChange
	for _, a := range assets {
		for _, op := range decide(a, want[a.ID], have[a.ID], cur[a.ID], mode) {
			w.add(a, op)
			changes = append(changes, op.change)
		}
	}
	if err := w.flush(ctx, by); err != nil {
		return nil, err
	}
	for _, a := range assets {
		if w.published[a.ID] {
			a.LastPublishedAt = &tx.now
		}
	}
	return changes, nil
}

// catalogOp is one catalog write decide asks for.
type catalogOp struct {
	key    catKey
	kind   string // insert, update, delete
	change CatalogChange
	verID  int64
}

// decide compares what an asset wants live with what is live and returns
// the writes mode allows (JOB-3): incremental only adds what is missing;
// full also moves rows to the current version (or a new name) and removes
// what is no longer wanted. Removal of a trashed asset always applies (UP-6).
func decide(a *vitrine.Asset, want map[catKey]bool, have map[catKey]catRow, cur *vitrine.Version, mode ReconcileMode) []catalogOp {
	var ops []catalogOp
	for _, c := range vitrine.Contexts {
		for _, d := range vitrine.Destinations {
			k := catKey{c, d}
			row, live := have[k]
			switch {
			case want[k] && !live:
				ops = append(ops, catalogOp{k, "insert", CatalogChange{Asset: a.Name, Context: c, Destination: d, Action: vitrine.HistPublished, Version: cur.Number}, cur.ID})
			// Incremental jobs only see pending assets (missing from the
			// catalog, or forced to republish by a new version or a repeated
			// publish), so moving their rows to the current version is
			// theirs to do too (JOB-3).
			case want[k] && (row.versionID != cur.ID || row.name != a.Name):
				ops = append(ops, catalogOp{k, "update", CatalogChange{Asset: a.Name, Context: c, Destination: d, Action: vitrine.HistRepublished, Version: cur.Number}, cur.ID})
			case !want[k] && live && (mode == ReconcileFull || a.TrashedAt != nil):
				ops = append(ops, catalogOp{k, "delete", CatalogChange{Asset: row.name, Context: c, Destination: d, Action: vitrine.HistUnpublished, Version: row.number}, 0})
			}
		}
	}
	return ops
}

// wantedLive returns, per asset, the contexts and destinations it should be
// live in: its marked intents, if it is untrashed, synced and has a version.
func (tx *Tx) wantedLive(ctx context.Context, assets []*vitrine.Asset, ids []any) (map[int64]map[catKey]bool, error) {
	eligible := map[int64]bool{}
	for _, a := range assets {
		eligible[a.ID] = a.TrashedAt == nil && a.SyncMode != vitrine.SyncExclude && a.Version > 0
	}
	in, args := tx.inIDs("asset_id", ids)
	rows, err := tx.query(ctx, `SELECT asset_id, context, destination FROM intents WHERE marked AND `+in, args...)
	if err != nil {
		return nil, fmt.Errorf("read intents: %w", err)
	}
	defer rows.Close()
	out := map[int64]map[catKey]bool{}
	for rows.Next() {
		var id int64
		var c, d string
		if err := rows.Scan(&id, &c, &d); err != nil {
			return nil, err
		}
		if !eligible[id] {
			continue
		}
		if out[id] == nil {
			out[id] = map[catKey]bool{}
		}
		out[id][catKey{vitrine.Context(c), vitrine.Destination(d)}] = true
	}
	return out, rows.Err()
}

// liveRows returns the catalog rows of the assets.
func (tx *Tx) liveRows(ctx context.Context, ids []any) (map[int64]map[catKey]catRow, error) {
	in, args := tx.inIDs("c.asset_id", ids)
	rows, err := tx.query(ctx, `SELECT c.asset_id, c.context, c.destination, c.name, c.version_id, v.number FROM catalog c
		JOIN versions v ON v.id = c.version_id WHERE `+in, args...)
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	defer rows.Close()
	out := map[int64]map[catKey]catRow{}
	for rows.Next() {
		var id int64
		var c, d string
		var r catRow
		if err := rows.Scan(&id, &c, &d, &r.name, &r.versionID, &r.number); err != nil {
			return nil, err
		}
		if out[id] == nil {
			out[id] = map[catKey]catRow{}
		}
		out[id][catKey{vitrine.Context(c), vitrine.Destination(d)}] = r
	}
	return out, rows.Err()
}

// currentVersions returns the current version of each asset that wants to
// be live somewhere.
func (tx *Tx) currentVersions(ctx context.Context, assets []*vitrine.Asset, want map[int64]map[catKey]bool) (map[int64]*vitrine.Version, error) {
	var ids []any
	number := map[int64]int{}
	for _, a := range assets {
		if len(want[a.ID]) > 0 {
			ids = append(ids, a.ID)
			number[a.ID] = a.Version
		}
	}
	out := map[int64]*vitrine.Version{}
	if len(ids) == 0 {
		return out, nil
	}
	in, args := tx.inIDs("a.id", ids)
	rows, err := tx.query(ctx, `SELECT v.asset_id, v.id, v.number FROM versions v JOIN assets a ON a.id = v.asset_id
		AND v.number = a.current_version WHERE `+in, args...)
	if err != nil {
		return nil, fmt.Errorf("read versions: %w", err)
	}
	for rows.Next() {
		v := &vitrine.Version{}
		if err := rows.Scan(&v.AssetID, &v.ID, &v.Number); err != nil {
			rows.Close()
			return nil, err
		}
		out[v.AssetID] = v
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// The caller's asset is the truth; the stored pointer can only differ if
	// the caller changed it without writing it, which reconcile never sees.
	for id, n := range number {
		if v := out[id]; v == nil || v.Number != n {
			var err error
			if out[id], err = tx.version(ctx, id, n); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// catalogWriter collects a batch's catalog writes and applies them with as
// few statements as the engines allow.
type catalogWriter struct {
	tx        *Tx
	now       int64
	inserts   [][]any
	history   [][]any
	others    []func(ctx context.Context) error
	touched   []any // assets whose intents' live flag may have changed
	published map[int64]bool
	seen      map[int64]bool
}

func (w *catalogWriter) add(a *vitrine.Asset, op catalogOp) {
	if w.seen == nil {
		w.seen, w.published = map[int64]bool{}, map[int64]bool{}
	}
	c, d := string(op.key.ctx), string(op.key.dest)
	switch op.kind {
	case "insert":
		w.inserts = append(w.inserts, []any{a.CompanyID, c, d, a.Name, a.ID, op.verID, w.now})
	case "update":
		verID, name, id := op.verID, a.Name, a.ID
		w.others = append(w.others, func(ctx context.Context) error {
			_, err := w.tx.exec(ctx, `UPDATE catalog SET version_id = ?, name = ?, published_at = ? WHERE asset_id = ? AND context = ? AND destination = ?`,
				verID, name, w.now, id, c, d)
			return err
		})
	case "delete":
		id := a.ID
		w.others = append(w.others, func(ctx context.Context) error {
			_, err := w.tx.exec(ctx, `DELETE FROM catalog WHERE asset_id = ? AND context = ? AND destination = ?`, id, c, d)
			return err
		})
	}
	ch := op.change
	w.history = append(w.history, []any{a.CompanyID, a.ID, ch.Asset, ch.Version, c, d, ch.Action})
	if ch.Action != vitrine.HistUnpublished {
		w.published[a.ID] = true
	}
	if !w.seen[a.ID] {
		w.seen[a.ID] = true
		w.touched = append(w.touched, a.ID)
	}
}

var catalogInsert = bulk{table: "catalog",
	cols:  []string{"company_id", "context", "destination", "name", "asset_id", "version_id", "published_at"},
	types: []string{"bigint", "text", "text", "text", "bigint", "bigint", "bigint"}}

// History is idempotent per job, asset, version, context and destination
// (the history_once index): a re-run batch writes nothing twice. Naming the
// index spares PostgreSQL probing the primary key for conflicts too.
var historyInsert = bulk{table: "history",
	cols:  []string{"company_id", "asset_id", "asset_name", "version", "context", "destination", "action", "job_id", "user_id", "user_name", "at"},
	types: []string{"bigint", "bigint", "text", "integer", "text", "text", "text", "bigint", "bigint", "text", "bigint"},
	tail:  " ON CONFLICT (job_id, asset_id, version, context, destination) DO NOTHING"}

// flush writes everything collected: catalog rows, the intents' live flags,
// history (idempotent per job, asset, version, context and destination) and
// last-published times.
func (w *catalogWriter) flush(ctx context.Context, by actor) error {
	tx := w.tx
	for _, f := range w.others {
		if err := f(ctx); err != nil {
			return err
		}
	}
	if err := tx.insertRows(ctx, catalogInsert, w.inserts); err != nil {
		return err
	}
	if len(w.touched) == 0 {
		return nil
	}
	for _, ids := range tx.idChunks(w.touched) {
		if err := tx.refreshLive(ctx, ids); err != nil {
			return fmt.Errorf("update intents: %w", err)
		}
	}
	hist := make([][]any, len(w.history))
	companies := make([]int64, 0, 1)
	for i, h := range w.history {
		hist[i] = append(h, by.JobID, nullID(by.UserID), by.UserName, w.now)
		companies = append(companies, h[0].(int64))
	}
	var jobID int64
	if by.JobID != nil {
		jobID = *by.JobID
	}
	if err := tx.historyReferents(ctx, companies, nil, jobID, by.UserID); err != nil {
		return err
	}
	if err := tx.insertRows(ctx, historyInsert, hist); err != nil {
		return err
	}
	var pub []any
	for _, id := range w.touched {
		if w.published[id.(int64)] {
			pub = append(pub, id)
		}
	}
	for _, ids := range tx.idChunks(pub) {
		in, args := tx.inIDs("id", ids)
		if _, err := tx.exec(ctx, `UPDATE assets SET last_published_at = ? WHERE `+in, append([]any{w.now}, args...)...); err != nil {
			return err
		}
	}
	return nil
}

// refreshLive sets the live flag of the intents of assets ids: whether
// each has a catalog row. On PostgreSQL the catalog is read by one
// uncorrelated subquery: a correlated EXISTS made it scan the catalog once
// per intent while its statistics still said the table was empty (during a
// first full publish), seconds per batch. SQLite's planner uses the index
// for the correlated form, which is faster there.
func (tx *Tx) refreshLive(ctx context.Context, ids []any) error {
	in, args := tx.inIDs("asset_id", ids)
	if tx.db.dialect == Postgres {
		_, err := tx.exec(ctx, `UPDATE intents SET live = ((asset_id, context, destination) IN
			(SELECT asset_id, context, destination FROM catalog WHERE `+in+`)) WHERE `+in, append(args, args...)...)
		return err
	}
	_, err := tx.exec(ctx, `UPDATE intents SET live = EXISTS (SELECT 1 FROM catalog c WHERE c.asset_id = intents.asset_id
		AND c.context = intents.context AND c.destination = intents.destination) WHERE `+in, args...)
	return err
}

// lockAssets serialises catalog writes per asset on PostgreSQL: it locks
// the asset rows (in id order, so two writers cannot deadlock) and reloads
// the state the decision depends on, committed by whoever held the lock
// before. Without it a Trash and a Publish of one asset, run at the same
// time at READ COMMITTED, could leave a trashed asset live. SQLite has one
// writer at a time and needs nothing. The lock is also what makes the asset
// keys of the catalog and history rows the batch writes safe without a
// per-row check (migration 00013): a locked asset cannot be deleted before
// the batch commits, and one deleted before the lock took its intents and
// catalog rows with it, so the batch writes nothing for it.
func (tx *Tx) lockAssets(ctx context.Context, assets []*vitrine.Asset, ids []any) error {
	if tx.db.dialect != Postgres {
		return nil
	}
	byID := make(map[int64]*vitrine.Asset, len(assets))
	for _, a := range assets {
		byID[a.ID] = a
	}
	in, args := tx.inIDs("id", ids)
	rows, err := tx.query(ctx, `SELECT id, name, trashed_at, sync_mode, current_version FROM assets
		WHERE `+in+` ORDER BY id FOR UPDATE`, args...)
	if err != nil {
		return fmt.Errorf("lock assets: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name, sync string
		var trashed sql.NullInt64
		var version int
		if err := rows.Scan(&id, &name, &trashed, &sync, &version); err != nil {
			return err
		}
		if a := byID[id]; a != nil {
			a.Name, a.TrashedAt, a.SyncMode, a.Version = name, fromNullMicros(trashed), vitrine.SyncMode(sync), version
		}
	}
	return rows.Err()
}
