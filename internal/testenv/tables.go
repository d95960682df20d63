package testenv

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// SQLiteTables lists the Vitrine tables of the SQLite database db (neither
// SQLite's, goose's nor River's), each with its columns.
func SQLiteTables(t testing.TB, db *sql.DB) map[string][]string {
	t.Helper()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table'
		AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version' AND name NOT LIKE 'river_%'`)
	if err != nil {
		t.Fatalf("list tables: %v", err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	rows.Close()
	out := map[string][]string{}
	for _, n := range names {
		r, err := db.Query(`SELECT * FROM "` + n + `" LIMIT 0`)
		if err != nil {
			t.Fatalf("columns of %s: %v", n, err)
		}
		cols, _ := r.Columns()
		r.Close()
		out[n] = cols
	}
	return out
}

// TableRows returns every row of table in db, each written as one string
// the same way whatever the engine (booleans as 1 and 0, NULL as NULL),
// sorted: two databases hold the same rows when the lists are equal.
func TableRows(t testing.TB, db *sql.DB, table string, cols []string) []string {
	t.Helper()
	rows, err := db.Query(`SELECT ` + strings.Join(cols, ", ") + ` FROM ` + table)
	if err != nil {
		t.Fatalf("read %s: %v", table, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("read %s: %v", table, err)
		}
		fields := make([]string, len(vals))
		for i, v := range vals {
			switch v := v.(type) {
			case nil:
				fields[i] = "NULL"
			case bool:
				fields[i] = map[bool]string{true: "1", false: "0"}[v]
			case []byte:
				fields[i] = fmt.Sprintf("%q", v)
			case string:
				fields[i] = fmt.Sprintf("%q", v)
			default:
				fields[i] = fmt.Sprint(v)
			}
		}
		out = append(out, strings.Join(fields, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("read %s: %v", table, err)
	}
	slices.Sort(out)
	return out
}

// SameRows compares every row of every Vitrine table of the SQLite
// database at srcPath with the database dst, and fails the test on any
// difference.
func SameRows(t testing.TB, srcPath string, dst *sql.DB) {
	t.Helper()
	// immutable: reading the source must not leave -wal or -shm files beside it.
	src, err := sql.Open("sqlite", "file:"+srcPath+"?mode=ro&immutable=1")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	tables := SQLiteTables(t, src)
	if len(tables) < 15 {
		t.Fatalf("the source has %d tables; want every Vitrine table", len(tables))
	}
	for name, cols := range tables {
		want := TableRows(t, src, name, cols)
		got := TableRows(t, dst, name, cols)
		if !slices.Equal(want, got) {
			t.Errorf("table %s: %d rows in the source, %d in the target, not the same: first difference %s", name, len(want), len(got), firstDiff(want, got))
		}
	}
}

func firstDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("source %s, target %s", a[i], b[i])
		}
	}
	return "one is a prefix of the other"
}
