package testenv

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver

	"github.com/vitrine/vitrine/internal/blob"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// The engines a store runs on.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Env is a fresh, migrated store on one engine.
type Env struct {
	Engine string       // SQLite or Postgres
	DSN    string       // what the store was opened with (the job engine opens River on it)
	DB     *sqlstore.DB // closed when the test ends
}

// EachEngine runs fn as a parallel subtest on SQLite and on PostgreSQL,
// each with a fresh store.
func EachEngine(t *testing.T, fn func(t *testing.T, env *Env)) {
	t.Helper()
	for _, engine := range []string{SQLite, Postgres} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			fn(t, Open(t, engine))
		})
	}
}

// Open opens a fresh store on engine.
func Open(t testing.TB, engine string) *Env {
	t.Helper()
	dsn := DSN(t, engine)
	return &Env{Engine: engine, DSN: dsn, DB: OpenDSN(t, dsn)}
}

// OpenSQLite opens a fresh SQLite store in a temp dir.
func OpenSQLite(t testing.TB) *sqlstore.DB { t.Helper(); return Open(t, SQLite).DB }

// OpenPostgres opens a fresh store in a new schema of the test cluster.
func OpenPostgres(t testing.TB) *sqlstore.DB { t.Helper(); return Open(t, Postgres).DB }

// OpenDSN opens the store at dsn (migrating it), closed when the test ends.
func OpenDSN(t testing.TB, dsn string) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// DSN returns the DSN of a fresh database on engine: a file in a temp dir
// for SQLite, a new schema for PostgreSQL (PostgresDSN).
func DSN(t testing.TB, engine string) string {
	t.Helper()
	switch engine {
	case SQLite:
		return filepath.Join(t.TempDir(), "vitrine.db")
	case Postgres:
		return PostgresDSN(t)
	}
	t.Fatalf("testenv: unknown engine %q", engine)
	return ""
}

// PostgresDSN creates a schema in the test cluster (VITRINE_TEST_POSTGRES),
// dropped when the test ends, and returns a DSN that uses it. Without the
// cluster the test is skipped, or fails in strict mode.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("VITRINE_TEST_POSTGRES")
	if dsn == "" {
		Missing(t, "VITRINE_TEST_POSTGRES is not set: run `make test` to test PostgreSQL")
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if a, err := sql.Open("pgx", dsn); err == nil {
			a.Exec("DROP SCHEMA " + schema + " CASCADE")
			a.Close()
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Blobs opens a local blob store in a temp dir.
func Blobs(t testing.TB) *blob.Local {
	t.Helper()
	b, err := blob.OpenLocal(t.TempDir())
	if err != nil {
		t.Fatalf("open blob store: %v", err)
	}
	return b
}
