package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/vitrine/vitrine"
)

// actor is who (and which job) causes a change, for history (PUB-7).
type actor struct {
	UserID   int64
	UserName string
	JobID    *int64
}

func actorOf(p *vitrine.Principal) actor {
	return actor{UserID: p.User.ID, UserName: p.User.Name}
}

// CatalogChange is one change reconcile made to the catalog.
type CatalogChange = vitrine.CatalogChange

type catKey struct {
	ctx  vitrine.Context
	dest vitrine.Destination
}

type catRow struct {
	name      string
	versionID int64
	number    int
}

// reconcile makes the catalog rows of one asset match its intent: a marked,
// synced, untrashed asset is live at its current version in each marked
// context and destination; anything else is not live. It is the one place
// that writes the catalog (with reconcileMany, its batch form, which it
// calls), and it writes history for every change.
func (tx *Tx) reconcile(ctx context.Context, a *vitrine.Asset, mode ReconcileMode, by actor) ([]CatalogChange, error) {
	return tx.reconcileMany(ctx, []*vitrine.Asset{a}, mode, by)
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// setIntent records what an asset is marked for in one destination of its context.
func (tx *Tx) setIntent(ctx context.Context, a *vitrine.Asset, d vitrine.Destination, marked bool) error {
	_, err := tx.exec(ctx, `INSERT INTO intents (asset_id, context, destination, marked, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (asset_id, context, destination) DO UPDATE SET marked = excluded.marked, updated_at = excluded.updated_at`,
		a.ID, string(a.Type.Context()), string(d), marked, toMicros(tx.now))
	return err
}

// Lookup returns the live catalog entry for a name: what delivery serves.
func (d *DB) Lookup(ctx context.Context, companyID int64, c vitrine.Context, dest vitrine.Destination, name string) (*vitrine.CatalogEntry, error) {
	e := &vitrine.CatalogEntry{CompanyID: companyID, Context: c, Destination: dest, Name: name}
	err := d.read(ctx, func(tx *Tx) error {
		var typ string
		var at, vcreated int64
		var by sql.NullInt64
		v := &e.Version
		err := tx.queryRow(ctx, `SELECT a.id, a.type, c.published_at, v.id, v.asset_id, v.number, v.sha256, v.size, v.format, v.mime,
				v.width, v.height, v.filename, v.created_by, v.created_at, a.title
			FROM catalog c JOIN assets a ON a.id = c.asset_id JOIN versions v ON v.id = c.version_id
			WHERE c.company_id = ? AND c.context = ? AND c.destination = ? AND c.name = ?`,
			companyID, string(c), string(dest), name).Scan(&e.AssetID, &typ, &at, &v.ID, &v.AssetID, &v.Number, &v.SHA256, &v.Size,
			&v.Format, &v.MIME, &v.Width, &v.Height, &v.Filename, &by, &vcreated, &e.Title)
		if errors.Is(err, sql.ErrNoRows) {
			return vitrine.Errorf(vitrine.ENOTPUBLISHED, "not published")
		}
		e.AssetType, e.PublishedAt, v.CreatedAt, v.CreatedBy = vitrine.AssetType(typ), fromMicros(at), fromMicros(vcreated), by.Int64
		return err
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// History returns an asset's publish history, newest first.
func (d *DB) History(ctx context.Context, companyID int64, name string, limit int) ([]vitrine.HistoryEntry, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	out := []vitrine.HistoryEntry{}
	err := d.read(ctx, func(tx *Tx) error {
		a, err := tx.asset(ctx, companyID, name)
		if err != nil {
			return err
		}
		rows, err := tx.query(ctx, `SELECT id, asset_name, version, context, destination, action, job_id, user_name, at
			FROM history WHERE asset_id = ? ORDER BY id DESC LIMIT ?`, a.ID, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var h vitrine.HistoryEntry
			var c, dst string
			var job sql.NullInt64
			var at int64
			if err := rows.Scan(&h.ID, &h.AssetName, &h.Version, &c, &dst, &h.Action, &job, &h.User, &at); err != nil {
				return err
			}
			h.Context, h.Destination, h.At = vitrine.Context(c), vitrine.Destination(dst), fromMicros(at)
			if job.Valid {
				h.JobID = &job.Int64
			}
			out = append(out, h)
		}
		return rows.Err()
	})
	return out, err
}
