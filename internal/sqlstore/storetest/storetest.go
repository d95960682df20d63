// Package storetest gives tests a fresh database on either engine: a SQLite
// file in a temp dir, or a new schema of the PostgreSQL cluster that
// `make test` starts (VITRINE_TEST_POSTGRES). Every package that tests
// against the store uses it, so the rules for the cluster live here once.
package storetest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// PostgresDSN creates a schema in the test cluster, dropped when the test
// ends, and returns a DSN that uses it. Without VITRINE_TEST_POSTGRES the
// test fails under CI and is skipped elsewhere.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("VITRINE_TEST_POSTGRES")
	if dsn == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("VITRINE_TEST_POSTGRES is not set: run the tests with `make test`")
		}
		t.Skip("VITRINE_TEST_POSTGRES is not set: run `make test` to test PostgreSQL")
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
