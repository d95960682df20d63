package sqlstore_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
	"github.com/vitrine/vitrine/internal/sqlstore/storetest"
)

// eachEngine runs the conformance test fn on SQLite and on PostgreSQL, each
// with a fresh, migrated database. PostgreSQL comes from
// VITRINE_TEST_POSTGRES (make test starts a throwaway cluster); without it
// the PostgreSQL half fails under CI and is skipped elsewhere.
func eachEngine(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, OpenSQLite(t))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		fn(t, OpenPostgres(t))
	})
}

// OpenSQLite opens a fresh SQLite store in a temp dir.
func OpenSQLite(t testing.TB) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "vitrine.db"))
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// OpenPostgres opens a fresh store in a new schema of the test cluster.
func OpenPostgres(t testing.TB) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), storetest.PostgresDSN(t))
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// fixture is a company with an admin and a user.
type fixture struct {
	db    *sqlstore.DB
	admin *vitrine.Principal
	user  *vitrine.Principal
}

func newFixture(t *testing.T, db *sqlstore.DB, company string) *fixture {
	t.Helper()
	ctx := context.Background()
	c, err := db.CreateCompany(ctx, company, "")
	if err != nil {
		t.Fatalf("CreateCompany: %v", err)
	}
	f := &fixture{db: db}
	for _, r := range []vitrine.Role{vitrine.RoleAdmin, vitrine.RoleUser} {
		u, err := db.CreateUser(ctx, fmt.Sprintf("%s-%s", company, r), false)
		if err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		if err := db.SetMembership(ctx, u.ID, c.ID, r); err != nil {
			t.Fatalf("SetMembership: %v", err)
		}
		p, err := db.Principal(ctx, u, company)
		if err != nil {
			t.Fatalf("Principal: %v", err)
		}
		if r == vitrine.RoleAdmin {
			f.admin = p
		} else {
			f.user = p
		}
	}
	return f
}

// file returns a NewFile for an image whose digest derives from seed.
func file(name string, seed int) vitrine.NewFile {
	return vitrine.NewFile{Filename: name, Type: vitrine.TypeImage, Format: "jpeg", MIME: "image/jpeg", Ext: "jpg",
		Width: 100, Height: 80, SHA256: fmt.Sprintf("%064x", seed), Size: int64(1000 + seed)}
}

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
