package sqlstore_test

import (
	"context"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
	"github.com/vitrine/vitrine/internal/testenv"
)

// eachEngine runs the conformance test fn on SQLite and on PostgreSQL, each
// with a fresh, migrated database (testenv.EachEngine).
func eachEngine(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Helper()
	testenv.EachEngine(t, func(t *testing.T, env *testenv.Env) { fn(t, env.DB) })
}

// OpenSQLite opens a fresh SQLite store in a temp dir.
func OpenSQLite(t testing.TB) *sqlstore.DB { t.Helper(); return testenv.OpenSQLite(t) }

// OpenPostgres opens a fresh store in a new schema of the test cluster.
func OpenPostgres(t testing.TB) *sqlstore.DB { t.Helper(); return testenv.OpenPostgres(t) }

// fixture is a company with an admin and a user.
type fixture struct {
	db    *sqlstore.DB
	admin *vitrine.Principal
	user  *vitrine.Principal
}

func newFixture(t *testing.T, db *sqlstore.DB, company string) *fixture {
	t.Helper()
	c := testenv.NewCompany(t, db, company)
	return &fixture{db: db, admin: c.Admin, user: c.User}
}

// file returns a NewFile for an image whose digest derives from seed.
func file(name string, seed int) vitrine.NewFile { return testenv.Image(name, seed) }

func ptr[T any](v T) *T { return &v }

func (f *fixture) upload(t *testing.T, folder string, publish *bool, files ...vitrine.NewFile) *vitrine.UploadResult {
	t.Helper()
	res, err := f.db.Ingest(context.Background(), f.user, files, vitrine.UploadOptions{Folder: folder, Publish: publish})
	if err != nil {
		t.Fatalf("Ingest: %v", err)
	}
	return res
}

// live returns the version number delivery serves for name, or 0.
func (f *fixture) live(t *testing.T, name string, dest vitrine.Destination) int {
	t.Helper()
	e, err := f.db.Lookup(context.Background(), f.admin.Company.ID, vitrine.ContextImage, dest, name)
	if vitrine.ErrorCode(err) == vitrine.ENOTPUBLISHED {
		return 0
	} else if err != nil {
		t.Fatalf("Lookup(%q): %v", name, err)
	}
	return e.Version.Number
}
