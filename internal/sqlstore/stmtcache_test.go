package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"path/filepath"
	"testing"

	"modernc.org/sqlite"
)

// countingConnector counts the statements SQLite really prepares and
// finalizes under the cache.
type countingConnector struct {
	driver.Connector
	prepared, closed map[string]int
}

func (c *countingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &countingConn{stmtConnInner: dc.(stmtConnInner), c: c}, nil
}

type countingConn struct {
	stmtConnInner
	c *countingConnector
}

func (c *countingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	s, err := c.stmtConnInner.PrepareContext(ctx, query)
	if err == nil {
		c.c.prepared[query]++
		s = &countingStmt{Stmt: s, c: c.c, query: query}
	}
	return s, err
}

type countingStmt struct {
	driver.Stmt
	c     *countingConnector
	query string
}

func (s *countingStmt) Close() error { s.c.closed[s.query]++; return s.Stmt.Close() }
func (s *countingStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}
func (s *countingStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
}

func openCounting(t *testing.T, size int) (*sql.DB, *countingConnector) {
	t.Helper()
	sc, err := sqlite.NewConnector("file:" + filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	cc := &countingConnector{Connector: sc, prepared: map[string]int{}, closed: map[string]int{}}
	db := sql.OpenDB(&stmtConnector{Connector: cc, size: size})
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE t (x INTEGER)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO t (x) VALUES (1), (2), (3)`); err != nil {
		t.Fatal(err)
	}
	return db, cc
}

func TestStmtCacheReusesStatements(t *testing.T) {
	db, cc := openCounting(t, 8)
	const ins, sel = `INSERT INTO t (x) VALUES (?)`, `SELECT count(*), sum(x) FROM t WHERE x > ?`
	for i := range 5 {
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ins, 10+i); err != nil {
			t.Fatal(err)
		}
		var n, sum int
		if err := tx.QueryRow(sel, 9).Scan(&n, &sum); err != nil {
			t.Fatal(err)
		}
		if want := i + 1; n != want {
			t.Fatalf("round %d: count %d, want %d", i, n, want)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	if cc.prepared[ins] != 1 || cc.prepared[sel] != 1 {
		t.Errorf("prepared insert %d times, select %d times; want once each", cc.prepared[ins], cc.prepared[sel])
	}
	if cc.closed[ins] != 0 || cc.closed[sel] != 0 {
		t.Errorf("kept statements finalized: %v", cc.closed)
	}
	db.Close()
	if cc.closed[ins] != 1 || cc.closed[sel] != 1 {
		t.Errorf("closing the pool finalized %v; want each kept statement once", cc.closed)
	}
}

// A query run while the rows of the same query are open gets a statement
// of its own: sharing one would rebind the statement under the open rows.
func TestStmtCacheNestedSameQuery(t *testing.T) {
	db, cc := openCounting(t, 8)
	const q = `SELECT x FROM t WHERE x >= ? ORDER BY x`
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	rows, err := tx.Query(q, 1)
	if err != nil {
		t.Fatal(err)
	}
	var outer, inner []int
	for rows.Next() {
		var x int
		if err := rows.Scan(&x); err != nil {
			t.Fatal(err)
		}
		outer = append(outer, x)
		var y int
		if err := tx.QueryRow(q, 3).Scan(&y); err != nil {
			t.Fatal(err)
		}
		inner = append(inner, y)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if len(outer) != 3 || outer[0] != 1 || outer[1] != 2 || outer[2] != 3 {
		t.Errorf("outer rows %v, want [1 2 3]", outer)
	}
	for _, y := range inner {
		if y != 3 {
			t.Errorf("inner rows %v, want 3 each time", inner)
			break
		}
	}
	// The kept statement, and one of its own for each nested run.
	if cc.prepared[q] != 4 || cc.closed[q] != 3 {
		t.Errorf("prepared %d, finalized %d; want 4 and 3", cc.prepared[q], cc.closed[q])
	}
}

// Past its size, the least recently used statement is finalized.
func TestStmtCacheEvicts(t *testing.T) {
	db, cc := openCounting(t, 2)
	qs := []string{`SELECT 1`, `SELECT 2`, `SELECT 1`, `SELECT 3`, `SELECT 2`, `SELECT 1`}
	for _, q := range qs {
		var n int
		if err := db.QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
	}
	// Kept, most recent first: 1, 2 → [2 1]; 1 again → [1 2]; 3 evicts
	// 2 → [3 1]; 2 again evicts 1 → [2 3]; 1 again evicts 3.
	want := map[string]int{`SELECT 1`: 2, `SELECT 2`: 2, `SELECT 3`: 1}
	for q, n := range want {
		if cc.prepared[q] != n {
			t.Errorf("%s prepared %d times, want %d (all: %v)", q, cc.prepared[q], n, cc.prepared)
		}
	}
	if cc.closed[`SELECT 1`] != 1 || cc.closed[`SELECT 2`] != 1 || cc.closed[`SELECT 3`] != 1 {
		t.Errorf("finalized %v; want SELECT 1, 2 and 3 once each", cc.closed)
	}
}
