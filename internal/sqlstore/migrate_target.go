package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
)

// columnKinds says, per source column, what the target column takes where
// SQLite's values need converting: PostgreSQL's booleans (SQLite stores
// 0/1) and text (SQLite may hand back bytes).
type columnKinds []string

func (k columnKinds) convert(i int, v any) any {
	switch k[i] {
	case "boolean":
		if n, ok := v.(int64); ok {
			return n != 0
		}
	case "text":
		if b, ok := v.([]byte); ok {
			return string(b)
		}
	}
	return v
}

// columnKinds reads the target's column types of t and checks that the
// target has every source column.
func (d *DB) columnKinds(ctx context.Context, t SourceTable) (columnKinds, error) {
	kinds := make(columnKinds, len(t.Columns))
	if d.dialect != Postgres {
		return kinds, nil
	}
	rows, err := d.db.QueryContext(ctx, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1`, t.Name)
	if err != nil {
		return nil, fmt.Errorf("migrate: describe the target's %s: %w", t.Name, err)
	}
	defer rows.Close()
	found := 0
	for rows.Next() {
		var col, typ string
		if err := rows.Scan(&col, &typ); err != nil {
			return nil, fmt.Errorf("migrate: describe the target's %s: %w", t.Name, err)
		}
		if i := slices.Index(t.Columns, col); i >= 0 {
			kinds[i] = typ
			found++
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("migrate: describe the target's %s: %w", t.Name, err)
	}
	if found != len(t.Columns) {
		return nil, fmt.Errorf("migrate: the target's table %s lacks columns of the source's (%d of %d found)", t.Name, found, len(t.Columns))
	}
	return kinds, nil
}

// AdvanceSequences moves each PostgreSQL identity sequence of the tables
// past the greatest copied id, so that the next row the server inserts
// does not collide with a copied one. It never moves a sequence back, and
// returns the names of the tables whose sequence moved.
func (d *DB) AdvanceSequences(ctx context.Context, tables []SourceTable) ([]string, error) {
	if d.dialect != Postgres {
		return nil, nil // SQLite's INTEGER PRIMARY KEY follows MAX(id) by itself
	}
	var moved []string
	for _, t := range tables {
		if len(t.Key) != 1 || t.Key[0] != "id" {
			continue
		}
		var seq sql.NullString
		if err := d.db.QueryRowContext(ctx, `SELECT pg_get_serial_sequence($1, 'id')`, t.Name).Scan(&seq); err != nil {
			return moved, fmt.Errorf("migrate: sequence of %s: %w", t.Name, err)
		}
		if !seq.Valid {
			continue
		}
		var last int64
		var called bool
		if err := d.db.QueryRowContext(ctx, `SELECT last_value, is_called FROM `+seq.String).Scan(&last, &called); err != nil {
			return moved, fmt.Errorf("migrate: read sequence %s: %w", seq.String, err)
		}
		next := last
		if called {
			next++
		}
		var maxID sql.NullInt64
		if err := d.db.QueryRowContext(ctx, `SELECT MAX(id) FROM `+t.Name).Scan(&maxID); err != nil {
			return moved, fmt.Errorf("migrate: greatest id of %s: %w", t.Name, err)
		}
		if !maxID.Valid || maxID.Int64 < next {
			continue
		}
		if _, err := d.db.ExecContext(ctx, `SELECT setval($1, $2, false)`, seq.String, maxID.Int64+1); err != nil {
			return moved, fmt.Errorf("migrate: advance sequence %s: %w", seq.String, err)
		}
		moved = append(moved, t.Name)
	}
	return moved, nil
}
