package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
	"github.com/vitrine/vitrine/internal/testenv"
)

// migrationSource builds an embedded installation of n assets, closes it
// and opens it as a migration source. A folder refers to a later folder
// (its parent made after it), as a folder move can leave it.
func migrationSource(t *testing.T, n int) (string, *sqlstore.Source) {
	t.Helper()
	env := testenv.Open(t, testenv.SQLite)
	c := testenv.NewCompany(t, env.DB, "acme")
	testenv.Installation(t, env.DB, c, n, func(i int) vitrine.NewFile {
		return testenv.Image(fmt.Sprintf("img-%05d.jpg", i), i%50+1)
	})
	if _, err := env.DB.SQL().Exec(`UPDATE folders SET parent_id = (SELECT MAX(id) FROM folders) WHERE path = '/catalog'`); err != nil {
		t.Fatal(err)
	}
	if err := env.DB.Close(); err != nil {
		t.Fatal(err)
	}
	src, err := sqlstore.OpenSource(context.Background(), env.DSN, t.TempDir())
	if err != nil {
		t.Fatalf("OpenSource: %v", err)
	}
	t.Cleanup(func() { src.Close() })
	return env.DSN, src
}

// TestMigrateCopiesEveryRow: every row of every table arrives, a second run
// writes nothing, and the target's sequences give new rows fresh ids.
func TestMigrateCopiesEveryRow(t *testing.T) {
	t.Parallel()
	path, src := migrationSource(t, 600)
	testenv.EachEngine(t, func(t *testing.T, env *testenv.Env) {
		ctx := context.Background()
		if err := env.DB.CheckTarget(ctx, src); err != nil {
			t.Fatalf("CheckTarget(empty) = %v", err)
		}
		rep, err := env.DB.CopyRows(ctx, src, 128, nil)
		if err != nil {
			t.Fatalf("CopyRows: %v", err)
		}
		if rep.Written != rep.Rows || rep.Rows < 2000 || rep.Corrected != 1 {
			t.Errorf("CopyRows wrote %d of %d rows and corrected %d, want all and the one forward reference", rep.Written, rep.Rows, rep.Corrected)
		}
		if env.Engine == testenv.Postgres && !slices.Contains(rep.Sequences, "assets") {
			t.Errorf("sequences advanced: %v, want assets among them", rep.Sequences)
		}
		testenv.SameRows(t, path, env.DB.SQL())

		if err := env.DB.CheckTarget(ctx, src); err != nil {
			t.Fatalf("CheckTarget(complete copy) = %v", err)
		}
		again, err := env.DB.CopyRows(ctx, src, 128, nil)
		if err != nil {
			t.Fatalf("second CopyRows: %v", err)
		}
		if again.Written != 0 || again.Corrected != 0 || len(again.Sequences) != 0 {
			t.Errorf("second CopyRows wrote %d rows, corrected %d, moved sequences %v; want nothing", again.Written, again.Corrected, again.Sequences)
		}
		testenv.SameRows(t, path, env.DB.SQL())

		// The copy is a working store: a new upload takes fresh ids.
		acme, err := env.DB.Company(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		admin, err := env.DB.UserByName(ctx, "acme-admin")
		if err != nil {
			t.Fatal(err)
		}
		p, err := env.DB.Principal(ctx, admin, acme.RootID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.DB.Ingest(ctx, p, []vitrine.NewFile{testenv.Image("after-move.jpg", 999)}, vitrine.UploadOptions{Folder: "/new"}); err != nil {
			t.Fatalf("Ingest on the copy: %v", err)
		}
	})
}

// TestMigrateResumesAfterCancel: a copy cancelled in the middle of a
// table leaves whole batches; the re-run completes it with no row twice.
func TestMigrateResumesAfterCancel(t *testing.T) {
	t.Parallel()
	path, src := migrationSource(t, 600)
	testenv.EachEngine(t, func(t *testing.T, env *testenv.Env) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		seen := 0
		_, err := env.DB.CopyRows(ctx, src, 100, func(table string, rows int) {
			if table == "versions" {
				if seen += rows; seen >= 300 {
					cancel()
				}
			}
		})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("CopyRows cancelled mid-table = %v, want context.Canceled", err)
		}
		versions, err := env.DB.CountRows(context.Background(), "versions")
		if err != nil {
			t.Fatal(err)
		}
		if versions != 300 {
			t.Errorf("after the cancel the target holds %d versions; want the 3 batches done (300)", versions)
		}
		rep, err := env.DB.CopyRows(context.Background(), src, 100, nil)
		if err != nil {
			t.Fatalf("resumed CopyRows: %v", err)
		}
		if rep.Written == 0 || rep.Written >= rep.Rows {
			t.Errorf("resumed CopyRows wrote %d of %d rows; want only what was missing", rep.Written, rep.Rows)
		}
		testenv.SameRows(t, path, env.DB.SQL())
	})
}

// TestMigrateRefusesAnotherInstallation: a target that already serves its
// own companies is not overwritten.
func TestMigrateRefusesAnotherInstallation(t *testing.T) {
	t.Parallel()
	_, src := migrationSource(t, 20)
	testenv.EachEngine(t, func(t *testing.T, env *testenv.Env) {
		testenv.NewCompany(t, env.DB, "other")
		err := env.DB.CheckTarget(context.Background(), src)
		if vitrine.ErrorCode(err) != vitrine.ECONFLICT {
			t.Fatalf("CheckTarget(another installation) = %v, want a conflict", err)
		}
	})
}
