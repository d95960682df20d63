// Package sqlstore implements Vitrine's storage on database/sql, for SQLite
// (the embedded default, through modernc.org/sqlite) and PostgreSQL (through
// pgx). Queries are written once with ? placeholders; the PostgreSQL dialect
// rebinds them. Business rules come from the root package.
package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strconv"
	"strings"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Dialect is the SQL engine behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open store.
type DB struct {
	db      *sql.DB // writes (and everything on PostgreSQL)
	rdb     *sql.DB // reads; on SQLite a separate pool of read-only connections
	ckdb    *sql.DB // SQLite: the background checkpointer's connection
	stopCk  context.CancelFunc
	ckDone  chan struct{}
	dialect Dialect
	// Now returns the current time; tests replace it.
	Now func() time.Time

	blobLocks digestLocks // SQLite's blob locks (gc.go)
	// BlobLockWait, when set (tests), is called when LockBlobs has to wait
	// for another holder of a digest's lock.
	BlobLockWait func()
}

// Open opens the database named by dsn and applies pending migrations.
// A dsn starting with postgres:// or postgresql:// is PostgreSQL; anything
// else is a SQLite file path (":memory:" is not supported: use a temp file).
func Open(ctx context.Context, dsn string) (*DB, error) {
	d := &DB{Now: time.Now}
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		d.dialect = Postgres
		d.db, err = sql.Open("pgx", dsn)
		if err == nil {
			d.db.SetMaxOpenConns(16)
			d.db.SetMaxIdleConns(16)
			d.rdb = d.db
		}
	} else {
		d.dialect = SQLite
		// SQLite has one writer at a time: one write connection (with
		// immediate transactions) queues writers in Go instead of failing
		// them with SQLITE_BUSY, and WAL lets a pool of readers run beside it.
		pragmas := "&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)" +
			"&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
		d.db, err = openSQLite("file:" + dsn + "?_txlock=immediate&_pragma=wal_autocheckpoint(0)" + pragmas)
		if err == nil {
			d.db.SetMaxOpenConns(1)
			d.rdb, err = openSQLite("file:" + dsn + "?_pragma=query_only(1)" + pragmas)
		}
		if err == nil {
			d.rdb.SetMaxOpenConns(8)
			d.rdb.SetMaxIdleConns(8)
			// The writer never checkpoints (wal_autocheckpoint 0): a
			// checkpoint's fsync would land on whichever request commits
			// the 1000th page. A background checkpointer does it instead.
			d.ckdb, err = sql.Open("sqlite", "file:"+dsn+"?"+strings.TrimPrefix(pragmas, "&"))
		}
		if err == nil {
			d.ckdb.SetMaxOpenConns(1)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", d.dialect, err)
	}
	if err := d.db.PingContext(ctx); err != nil {
		d.Close()
		return nil, fmt.Errorf("connect to %s database: %w", d.dialect, err)
	}
	if err := d.migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	if d.ckdb != nil {
		ckctx, cancel := context.WithCancel(context.Background())
		d.stopCk, d.ckDone = cancel, make(chan struct{})
		go d.checkpointer(ckctx, 10*time.Second)
	}
	return d, nil
}

// openSQLite opens a SQLite pool whose connections keep their prepared
// statements (stmtcache.go).
func openSQLite(dsn string) (*sql.DB, error) {
	c, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(&stmtConnector{Connector: c, size: stmtCacheSize}), nil
}

// checkpointer copies the SQLite WAL into the database every interval,
// off the request path, until ctx ends. PASSIVE never blocks the writer.
func (d *DB) checkpointer(ctx context.Context, every time.Duration) {
	defer close(d.ckDone)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := d.ckdb.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`); err != nil && ctx.Err() == nil {
				slog.Warn("sqlite checkpoint", "err", err)
			}
		}
	}
}

// Close closes the database.
func (d *DB) Close() error {
	if d.stopCk != nil {
		d.stopCk()
		<-d.ckDone
		d.stopCk = nil
	}
	err := d.db.Close()
	if d.rdb != nil && d.rdb != d.db {
		err = errors.Join(err, d.rdb.Close())
	}
	if d.ckdb != nil {
		// A last full checkpoint leaves a small WAL behind.
		_, cerr := d.ckdb.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
		err = errors.Join(err, cerr, d.ckdb.Close())
	}
	return err
}

// Dialect returns the engine behind d.
func (d *DB) Dialect() Dialect { return d.dialect }

// SQL returns the underlying handle, for the job engine and tests.
func (d *DB) SQL() *sql.DB { return d.db }

// migrate applies the embedded migrations of d's engine (migrationFor),
// with {{ID}} replaced by the dialect's auto-increment key.
func (d *DB) migrate(ctx context.Context) error {
	id, gdialect := "INTEGER PRIMARY KEY", goose.DialectSQLite3
	if d.dialect == Postgres {
		id, gdialect = "BIGSERIAL PRIMARY KEY", goose.DialectPostgres
	}
	files := fstest.MapFS{}
	err := fs.WalkDir(migrationFS, "migrations", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !migrationFor(e.Name(), d.dialect) {
			return err
		}
		b, err := migrationFS.ReadFile(p)
		if err != nil {
			return err
		}
		files[strings.TrimPrefix(p, "migrations/")] = &fstest.MapFile{Data: []byte(strings.ReplaceAll(string(b), "{{ID}}", id))}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read migrations: %w", err)
	}
	p, err := goose.NewProvider(gdialect, d.db, files, goose.WithLogger(goose.NopLogger()))
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	// A database migrated by a newer vitrine (a node upgraded before this
	// one) is not this binary's to serve: its queries may not fit.
	if srcs := p.ListSources(); len(srcs) > 0 {
		if have, err := p.GetDBVersion(ctx); err == nil && have > srcs[len(srcs)-1].Version {
			return fmt.Errorf("the database is at schema version %d, newer than this vitrine's %d: run the newer vitrine on every node",
				have, srcs[len(srcs)-1].Version)
		}
	}
	res, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}
	for _, r := range res {
		slog.Debug("migration applied", "version", r.Source.Version, "dialect", d.dialect)
	}
	return nil
}

// q rewrites ? placeholders to $1, $2, … for PostgreSQL. Queries never put ?
// inside string literals.
func (d *DB) q(query string) string {
	if d.dialect != Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

// Tx is a transaction with the dialect's rebinding.
type Tx struct {
	tx  *sql.Tx
	db  *DB
	now time.Time
}

func (t *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, t.db.q(query), args...)
}

func (t *Tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, t.db.q(query), args...)
}

func (t *Tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, t.db.q(query), args...)
}

// insert runs an INSERT … RETURNING id and returns the id.
func (t *Tx) insert(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := t.queryRow(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// inTx runs fn in a transaction, committing when fn returns nil.
func (d *DB) inTx(ctx context.Context, fn func(tx *Tx) error) error {
	stx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", translate(err))
	}
	tx := &Tx{tx: stx, db: d, now: d.Now().UTC()}
	if err := fn(tx); err != nil {
		_ = stx.Rollback()
		return translate(err)
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", translate(err))
	}
	return nil
}

// read runs fn in a read-only snapshot, on the read pool.
func (d *DB) read(ctx context.Context, fn func(tx *Tx) error) error {
	stx, err := d.rdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin read: %w", translate(err))
	}
	defer stx.Rollback()
	return translate(fn(&Tx{tx: stx, db: d, now: d.Now().UTC()}))
}

// translate maps driver errors to domain errors by code, never by text.
func translate(err error) error {
	if err == nil {
		return nil
	}
	var serr *sqlite.Error
	if errors.As(err, &serr) {
		switch serr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return errConflict{err}
		}
	}
	var perr *pgconn.PgError
	if errors.As(err, &perr) && perr.Code == "23505" {
		return errConflict{err}
	}
	return err
}

// errConflict marks a unique violation; callers turn it into a message that
// names the object.
type errConflict struct{ err error }

func (e errConflict) Error() string { return "unique violation: " + e.err.Error() }
func (e errConflict) Unwrap() error { return e.err }

func isConflict(err error) bool {
	var c errConflict
	return errors.As(err, &c)
}

// Times are stored as microseconds since the epoch.
func toMicros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

func fromNullMicros(us sql.NullInt64) *time.Time {
	if !us.Valid {
		return nil
	}
	t := fromMicros(us.Int64)
	return &t
}
