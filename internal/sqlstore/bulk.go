package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// A publish batch writes thousands of rows. How many rows one statement can
// carry differs by engine, and so does the cheapest way to send them:
//
//   - SQLite runs in process: a multi-row INSERT … VALUES (?, …), (?, …) in
//     chunks under its parameter limit costs nothing to send.
//   - PostgreSQL parses, binds and plans every parameter of a statement: a
//     VALUES list of 900 parameters spends more time there than inserting.
//     One array per column (INSERT … SELECT * FROM unnest($1::bigint[], …))
//     is one statement of a few parameters for any number of rows, and
//     `col = ANY($1::bigint[])` replaces IN (?, ?, …) lists the same way.
//
// bulk, insertRows and inIDs are that seam; the statements around them are
// written once.

// bulk describes a multi-row INSERT.
type bulk struct {
	table string
	cols  []string // column names
	types []string // each column's PostgreSQL type: bigint, integer, text or boolean
	tail  string   // after the rows, e.g. " ON CONFLICT DO NOTHING"
}

func (b bulk) head() string {
	return "INSERT INTO " + b.table + " (" + strings.Join(b.cols, ", ") + ")"
}

// insertRows inserts rows (one value per column of b, in order).
func (tx *Tx) insertRows(ctx context.Context, b bulk, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if tx.db.dialect == Postgres {
		return tx.insertArrays(ctx, b, rows)
	}
	width := len(b.cols)
	per := 900 / width
	tuple := "(" + marks(width) + ")"
	for start := 0; start < len(rows); start += per {
		end := min(start+per, len(rows))
		var s strings.Builder
		args := make([]any, 0, (end-start)*width)
		s.WriteString(b.head())
		s.WriteString(" VALUES ")
		for i := start; i < end; i++ {
			if i > start {
				s.WriteString(", ")
			}
			s.WriteString(tuple)
			args = append(args, rows[i]...)
		}
		s.WriteString(b.tail)
		if _, err := tx.exec(ctx, s.String(), args...); err != nil {
			return fmt.Errorf("insert into %s: %w", b.table, err)
		}
	}
	return nil
}

// insertArrays is insertRows on PostgreSQL: one statement, one array
// parameter per column.
func (tx *Tx) insertArrays(ctx context.Context, b bulk, rows [][]any) error {
	casts := make([]string, len(b.cols))
	args := make([]any, len(b.cols))
	for j, typ := range b.types {
		casts[j] = "?::" + typ + "[]"
		col, err := pgArray(typ, rows, j)
		if err != nil {
			return fmt.Errorf("insert into %s, column %s: %w", b.table, b.cols[j], err)
		}
		args[j] = col
	}
	q := b.head() + " SELECT * FROM unnest(" + strings.Join(casts, ", ") + ")" + b.tail
	if _, err := tx.exec(ctx, q, args...); err != nil {
		return fmt.Errorf("insert into %s: %w", b.table, err)
	}
	return nil
}

// pgArray gathers column j of rows into a slice pgx sends as one array of
// PostgreSQL type typ. Integer columns may hold NULLs (nil, a nil pointer
// or an invalid sql.NullInt64).
func pgArray(typ string, rows [][]any, j int) (any, error) {
	switch typ {
	case "bigint", "integer":
		vals := make([]int64, len(rows))
		out := make([]*int64, len(rows))
		for i, r := range rows {
			switch v := r[j].(type) {
			case nil:
				continue
			case sql.NullInt64:
				if !v.Valid {
					continue
				}
				vals[i] = v.Int64
			default:
				rv := reflect.ValueOf(v)
				if rv.Kind() == reflect.Pointer {
					if rv.IsNil() {
						continue
					}
					rv = rv.Elem()
				}
				if !rv.CanInt() {
					return nil, fmt.Errorf("%T is not an integer", v)
				}
				vals[i] = rv.Int()
			}
			out[i] = &vals[i]
		}
		return out, nil
	case "text":
		out := make([]string, len(rows))
		for i, r := range rows {
			rv := reflect.ValueOf(r[j])
			if rv.Kind() != reflect.String {
				return nil, fmt.Errorf("%T is not a string", r[j])
			}
			out[i] = rv.String()
		}
		return out, nil
	case "boolean":
		out := make([]bool, len(rows))
		for i, r := range rows {
			v, ok := r[j].(bool)
			if !ok {
				return nil, fmt.Errorf("%T is not a bool", r[j])
			}
			out[i] = v
		}
		return out, nil
	}
	return nil, fmt.Errorf("no array type for %q", typ)
}

// inIDs returns the condition "col is one of ids" and its arguments:
// IN (?, ?, …) on SQLite, = ANY(?) with one array on PostgreSQL. ids are
// int64s.
func (tx *Tx) inIDs(col string, ids []any) (string, []any) {
	if tx.db.dialect != Postgres {
		return col + " IN (" + marks(len(ids)) + ")", ids
	}
	arr := make([]int64, len(ids))
	for i, id := range ids {
		arr[i] = id.(int64)
	}
	return col + " = ANY(?::bigint[])", []any{arr}
}

// inTexts is inIDs for strings, always one parameter: a JSON array read by
// json_each on SQLite, a text array on PostgreSQL. The statement stays the
// same size however long the list (a 500-mark IN list of names cost more
// to parse than to run).
func (tx *Tx) inTexts(col string, list []string) (string, []any) {
	if tx.db.dialect == Postgres {
		return col + " = ANY(?::text[])", []any{list}
	}
	b, _ := json.Marshal(list) // a []string always encodes
	return col + " IN (SELECT value FROM json_each(?))", []any{string(b)}
}

// idChunks splits ids for statements built with inIDs: 500 a statement on
// SQLite (under its parameter limit), all of them in one array on
// PostgreSQL.
func (tx *Tx) idChunks(ids []any) [][]any {
	if tx.db.dialect == Postgres {
		return chunks(ids, len(ids))
	}
	return chunks(ids, 500)
}

// marks returns n comma-separated placeholders.
func marks(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

func chunks(s []any, n int) [][]any {
	var out [][]any
	for len(s) > n {
		out = append(out, s[:n])
		s = s[n:]
	}
	if len(s) > 0 {
		out = append(out, s)
	}
	return out
}
