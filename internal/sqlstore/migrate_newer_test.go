package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vitrine/vitrine/internal/sqlstore"
	"github.com/vitrine/vitrine/internal/testenv"
)

// TestNewerDatabaseRefused: a database migrated by a newer vitrine (one
// node upgraded before the others) is refused with a message that says
// so, on both engines; the database is left as it was.
func TestNewerDatabaseRefused(t *testing.T) {
	t.Parallel()
	for _, engine := range []string{testenv.SQLite, testenv.Postgres} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dsn := testenv.DSN(t, engine)
			db, err := sqlstore.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.SQL().ExecContext(ctx, `INSERT INTO goose_db_version (version_id, is_applied) VALUES (99999, true)`); err != nil {
				t.Fatal(err)
			}
			db.Close()
			db, err = sqlstore.Open(ctx, dsn)
			if err == nil {
				db.Close()
				t.Fatal("a database at a newer schema version was opened")
			}
			if !strings.Contains(err.Error(), "schema version 99999, newer than this vitrine's") {
				t.Errorf("error = %v", err)
			}
		})
	}
}
