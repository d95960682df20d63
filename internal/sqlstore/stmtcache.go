package sqlstore

import (
	"container/list"
	"context"
	"database/sql/driver"
	"errors"
)

// stmtCacheSize is how many prepared statements a SQLite connection keeps.
// The store has about a hundred distinct queries; a migration's one-off
// scripts pass through and are evicted.
const stmtCacheSize = 256

// stmtConnector opens SQLite connections that keep their prepared
// statements. The driver prepares (parses and plans) every query anew,
// which was most of the store's CPU per uploaded file; a statement kept
// per connection and query text is bound and stepped again instead.
// PostgreSQL needs none: pgx caches statements per connection itself.
type stmtConnector struct {
	driver.Connector
	size int
}

// Connect opens a connection of the wrapped connector with its cache.
func (c *stmtConnector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	inner, ok := dc.(stmtConnInner)
	if !ok {
		dc.Close()
		return nil, errors.New("sqlite driver connection lacks the context interfaces")
	}
	return &cachingConn{inner: inner, size: c.size, byQuery: map[string]*list.Element{}, lru: list.New()}, nil
}

// stmtConnInner is what the wrapped connection must do.
type stmtConnInner interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
}

// cachingConn is a driver connection whose statements are kept, most
// recently used first, up to size. database/sql uses a connection from one
// goroutine at a time, so it needs no lock. It offers no ExecerContext or
// QueryerContext: database/sql then prepares (here: takes from the cache),
// runs, and closes (here: gives back) every statement.
type cachingConn struct {
	inner   stmtConnInner
	size    int
	byQuery map[string]*list.Element // of *cachedStmt
	lru     *list.List
}

// cachedStmt is a kept statement. While a caller holds it (busy), a second
// prepare of the same query (a query run while the rows of another are
// open) gets a statement of its own, closed after use.
type cachedStmt struct {
	driver.Stmt
	query         string
	busy, evicted bool
}

func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if e, ok := c.byQuery[query]; ok {
		s := e.Value.(*cachedStmt)
		if s.busy {
			return c.inner.PrepareContext(ctx, query)
		}
		s.busy = true
		c.lru.MoveToFront(e)
		return s, nil
	}
	ds, err := c.inner.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	s := &cachedStmt{Stmt: ds, query: query, busy: true}
	c.byQuery[query] = c.lru.PushFront(s)
	if c.lru.Len() > c.size {
		old := c.lru.Remove(c.lru.Back()).(*cachedStmt)
		delete(c.byQuery, old.query)
		old.evicted = true
		if !old.busy {
			old.Stmt.Close()
		}
	}
	return s, nil
}

func (c *cachingConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// Close finalizes the kept statements, then closes the connection.
func (c *cachingConn) Close() error {
	var errs []error
	for e := c.lru.Front(); e != nil; e = e.Next() {
		errs = append(errs, e.Value.(*cachedStmt).Stmt.Close())
	}
	c.lru.Init()
	clear(c.byQuery)
	return errors.Join(append(errs, c.inner.Close())...)
}

// Begin is driver.Conn's; database/sql calls BeginTx.
func (c *cachingConn) Begin() (driver.Tx, error) {
	return c.inner.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.inner.BeginTx(ctx, opts)
}

func (c *cachingConn) Ping(ctx context.Context) error {
	if p, ok := c.inner.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *cachingConn) ResetSession(ctx context.Context) error {
	if r, ok := c.inner.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *cachingConn) IsValid() bool {
	if v, ok := c.inner.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

// Close gives the statement back to its connection's cache (or finalizes
// it once evicted).
func (s *cachedStmt) Close() error {
	s.busy = false
	if s.evicted {
		return s.Stmt.Close()
	}
	return nil
}

func (s *cachedStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	if e, ok := s.Stmt.(driver.StmtExecContext); ok {
		return e.ExecContext(ctx, args)
	}
	return nil, errors.New("sqlite statement lacks ExecContext")
}

func (s *cachedStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	if q, ok := s.Stmt.(driver.StmtQueryContext); ok {
		return q.QueryContext(ctx, args)
	}
	return nil, errors.New("sqlite statement lacks QueryContext")
}
