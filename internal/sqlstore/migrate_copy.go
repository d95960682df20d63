package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/vitrine/vitrine"
)

// CheckTarget refuses a migration target whose schema is at another
// version than the source's, or that holds another installation: a
// company or a user the source does not have, with the same id, name and
// creation time. An empty target, or one a previous run of the same
// migration left half done, passes.
func (d *DB) CheckTarget(ctx context.Context, src *Source) error {
	v, err := d.SchemaVersion(ctx)
	if err != nil {
		return fmt.Errorf("migrate: target: %w", err)
	}
	if v != src.Version {
		return vitrine.Errorf(vitrine.ECONFLICT, "the target database's schema is at version %d and the source's at %d; run the same vitrine on both", v, src.Version)
	}
	for _, q := range []struct{ table, name string }{{"companies", "root_id"}, {"users", "name"}} {
		rows, err := d.db.QueryContext(ctx, `SELECT id, `+q.name+`, created_at FROM `+q.table+` ORDER BY id`)
		if err != nil {
			return fmt.Errorf("migrate: read the target's %s: %w", q.table, err)
		}
		for rows.Next() {
			var id, at int64
			var name string
			if err := rows.Scan(&id, &name, &at); err != nil {
				rows.Close()
				return fmt.Errorf("migrate: read the target's %s: %w", q.table, err)
			}
			var srcName string
			var srcAt int64
			err := src.db.QueryRowContext(ctx, `SELECT `+q.name+`, created_at FROM `+q.table+` WHERE id = ?`, id).Scan(&srcName, &srcAt)
			if err != nil && err != sql.ErrNoRows {
				rows.Close()
				return fmt.Errorf("migrate: read the source's %s: %w", q.table, err)
			}
			if err == sql.ErrNoRows || srcName != name || srcAt != at {
				rows.Close()
				return vitrine.Errorf(vitrine.ECONFLICT, "the target database already holds a different installation (its %s %d %q is not the source's); migrate into an empty database", strings.TrimSuffix(q.table, "s"), id, name)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("migrate: read the target's %s: %w", q.table, err)
		}
	}
	return nil
}

// CopyTable copies the rows of t the target does not have yet, in key
// order, batch rows per INSERT (one statement: all of a batch or none of
// it). A batch commits in key order, so the target holds every row up to
// its greatest leading key value: a re-run starts there, and ON CONFLICT DO
// NOTHING skips the rows of that value it already has. progress is told the
// number of source rows each batch read. It returns the number of rows
// inserted.
func (d *DB) CopyTable(ctx context.Context, src *Source, t SourceTable, batch int, progress func(rows int)) (int64, error) {
	kinds, err := d.columnKinds(ctx, t)
	if err != nil {
		return 0, err
	}
	batch = max(1, min(batch, 30000/len(t.Columns)))
	var start any
	if err := d.db.QueryRowContext(ctx, `SELECT MAX(`+t.Key[0]+`) FROM `+t.Name).Scan(&start); err != nil {
		return 0, fmt.Errorf("migrate: resume point of %s: %w", t.Name, err)
	}
	if _, ok := start.(int64); !ok {
		// Only integers sort alike in both engines; a text key's
		// collation may differ, so such a table starts over (its rows
		// already there are skipped).
		start = nil
	}
	cols := strings.Join(t.Columns, ", ")
	keys := strings.Join(t.Key, ", ")
	selfRef := map[int]bool{}
	for i, c := range t.Columns {
		for _, s := range t.SelfRefs {
			selfRef[i] = selfRef[i] || s == c
		}
	}
	keyIdx := make([]int, len(t.Key))
	for i, k := range t.Key {
		keyIdx[i] = slices.Index(t.Columns, k)
	}
	var copied int64
	var last []any
	for {
		query, args := `SELECT `+cols+` FROM "`+t.Name+`"`, []any{}
		switch {
		case last != nil:
			query += ` WHERE (` + keys + `) > (` + placeholders(len(last)) + `)`
			args = last
		case start != nil:
			query += ` WHERE ` + t.Key[0] + ` >= ?`
			args = []any{start}
		}
		query += ` ORDER BY ` + keys + ` LIMIT ?`
		rows, err := readBatch(ctx, src.db, query, append(args, batch), len(t.Columns))
		if err != nil {
			return copied, fmt.Errorf("migrate: read %s: %w", t.Name, err)
		}
		if len(rows) == 0 {
			return copied, nil
		}
		for _, r := range rows {
			for i := range r {
				r[i] = kinds.convert(i, r[i])
				// A row naming a later row of its own table is copied
				// without it first; FixSelfRefs sets it once both are in.
				if selfRef[i] && forward(r[i], r[keyIdx[0]]) {
					r[i] = nil
				}
			}
		}
		n, err := d.insertRows(ctx, t, rows)
		if err != nil {
			return copied, err
		}
		copied += n
		if progress != nil {
			progress(len(rows))
		}
		last = make([]any, len(keyIdx))
		for i, k := range keyIdx {
			last[i] = rows[len(rows)-1][k]
		}
		if len(rows) < batch {
			return copied, nil
		}
	}
}

// FixSelfRefs sets the references CopyTable left out (rows naming a later
// row of their own table), where the target differs from the source. It
// returns the number of rows changed.
func (d *DB) FixSelfRefs(ctx context.Context, src *Source, t SourceTable) (int64, error) {
	if len(t.SelfRefs) == 0 || len(t.Key) != 1 {
		return 0, nil
	}
	var changed int64
	for _, col := range t.SelfRefs {
		rows, err := readBatch(ctx, src.db, `SELECT `+t.Key[0]+`, `+col+` FROM "`+t.Name+`" WHERE `+col+` > `+t.Key[0], nil, 2)
		if err != nil {
			return changed, fmt.Errorf("migrate: read %s.%s: %w", t.Name, col, err)
		}
		for _, r := range rows {
			res, err := d.db.ExecContext(ctx, d.q(`UPDATE `+t.Name+` SET `+col+` = ? WHERE `+t.Key[0]+` = ? AND (`+col+` IS NULL OR `+col+` <> ?)`), r[1], r[0], r[1])
			if err != nil {
				return changed, fmt.Errorf("migrate: set %s.%s: %w", t.Name, col, err)
			}
			n, _ := res.RowsAffected()
			changed += n
		}
	}
	return changed, nil
}

// forward reports whether a reference names a greater key than the row's.
func forward(ref, key any) bool {
	r, ok1 := ref.(int64)
	k, ok2 := key.(int64)
	return ok1 && ok2 && r > k
}

// readBatch reads every row of a query as values.
func readBatch(ctx context.Context, db *sql.DB, query string, args []any, ncols int) ([][]any, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		r := make([]any, ncols)
		ptrs := make([]any, ncols)
		for i := range r {
			ptrs[i] = &r[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// insertRows inserts rows in one statement, skipping those the target has.
func (d *DB) insertRows(ctx context.Context, t SourceTable, rows [][]any) (int64, error) {
	var b strings.Builder
	b.WriteString(`INSERT INTO ` + t.Name + ` (` + strings.Join(t.Columns, ", ") + `) VALUES `)
	args := make([]any, 0, len(rows)*len(t.Columns))
	one := `(` + placeholders(len(t.Columns)) + `)`
	for i, r := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(one)
		args = append(args, r...)
	}
	b.WriteString(` ON CONFLICT DO NOTHING`)
	res, err := d.db.ExecContext(ctx, d.q(b.String()), args...)
	if err != nil {
		return 0, fmt.Errorf("migrate: write %s: %w", t.Name, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("migrate: write %s: %w", t.Name, err)
	}
	return n, nil
}

// CountRows counts a table's rows in the target.
func (d *DB) CountRows(ctx context.Context, table string) (int64, error) {
	var n int64
	if err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		return 0, fmt.Errorf("migrate: count %s: %w", table, err)
	}
	return n, nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// CopyReport is what CopyRows did.
type CopyReport struct {
	Tables    []SourceTable
	Rows      int64    // rows in the source
	Written   int64    // rows this run inserted
	Corrected int64    // rows whose reference to a later row of their table this run set
	Sequences []string // tables whose id sequence moved
}

// CopyRows copies every table of src into d (CopyTable, then FixSelfRefs),
// advances d's sequences and compares each table's row count with the
// source's. progress is told of the rows each batch read (rows > 0) and of
// each table's end (rows == 0).
func (d *DB) CopyRows(ctx context.Context, src *Source, batch int, progress func(table string, rows int)) (*CopyReport, error) {
	tables, err := src.Tables(ctx)
	if err != nil {
		return nil, err
	}
	rep := &CopyReport{Tables: tables}
	for _, t := range tables {
		rep.Rows += t.Rows
	}
	if progress == nil {
		progress = func(string, int) {}
	}
	for _, t := range tables {
		n, err := d.CopyTable(ctx, src, t, batch, func(rows int) { progress(t.Name, rows) })
		rep.Written += n
		if err != nil {
			return rep, err
		}
		progress(t.Name, 0)
	}
	for _, t := range tables {
		n, err := d.FixSelfRefs(ctx, src, t)
		rep.Corrected += n
		if err != nil {
			return rep, err
		}
	}
	if rep.Sequences, err = d.AdvanceSequences(ctx, tables); err != nil {
		return rep, err
	}
	var wrong []string
	for _, t := range tables {
		n, err := d.CountRows(ctx, t.Name)
		if err != nil {
			return rep, err
		}
		if n != t.Rows {
			wrong = append(wrong, fmt.Sprintf("%s: %d in the source, %d in the target", t.Name, t.Rows, n))
		}
	}
	if len(wrong) > 0 {
		return rep, fmt.Errorf("migrate: row counts differ after the copy (did something else write to the target?): %s", strings.Join(wrong, "; "))
	}
	return rep, nil
}
