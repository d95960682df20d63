package blob_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/blob"
	"github.com/vitrine/vitrine/internal/sqlstore"
	"github.com/vitrine/vitrine/internal/testenv"
)

// guarded opens a store guarded by a real database's blob locks, on SQLite
// and on PostgreSQL.
func guarded(t *testing.T, fn func(t *testing.T, g *blob.Guarded, db *sqlstore.DB)) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			dsn := filepath.Join(t.TempDir(), "vitrine.db")
			if engine == "postgres" {
				dsn = testenv.PostgresDSN(t)
			}
			db, err := sqlstore.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			l, err := blob.OpenLocal(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			fn(t, blob.Guard(l, db), db)
		})
	}
}

// spool writes data to the spool and returns its digest and path.
func spool(t *testing.T, s vitrine.BlobStore, data string) (string, string) {
	t.Helper()
	sum := sha256.Sum256([]byte(data))
	f, err := os.CreateTemp(s.SpoolDir(), "t-*")
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(data)
	f.Close()
	return hex.EncodeToString(sum[:]), f.Name()
}

func TestGuardedBehavesAsAStore(t *testing.T) {
	t.Parallel()
	guarded(t, func(t *testing.T, g *blob.Guarded, _ *sqlstore.DB) { testStore(t, g) })
}

// TestReuploadDuringCollection puts a re-upload of an old, unreferenced
// blob exactly between the collector's last check and its delete: the
// upload must wait for the delete and store the file anew, never be
// deleted after it landed.
func TestReuploadDuringCollection(t *testing.T) {
	t.Parallel()
	guarded(t, func(t *testing.T, g *blob.Guarded, db *sqlstore.DB) {
		ctx := context.Background()
		d, p := spool(t, g, "an orphan, uploaded again")
		if err := g.PutFile(ctx, d, p); err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(-48 * time.Hour)
		info, err := g.StatBlob(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(blobPath(t, g, d), old, old); err != nil {
			t.Fatal(err)
		}

		waiting := make(chan struct{})
		var once sync.Once
		db.BlobLockWait = func() { once.Do(func() { close(waiting) }) }
		putDone := make(chan error, 1)
		landed := false
		blob.SetBeforeDelete(g, func(string) {
			_, p := spool(t, g, "an orphan, uploaded again")
			go func() { putDone <- g.PutFile(ctx, d, p) }()
			select {
			case <-waiting: // the upload waits for the collector's lock
			case err := <-putDone: // the upload landed under the collector
				landed = true
				putDone <- err
			}
		})
		gone, err := g.DeleteStale(ctx, []string{d}, time.Now().Add(-time.Hour), db.UnreferencedBlobs)
		if err != nil {
			t.Fatal(err)
		}
		if len(gone) != 1 || gone[0].Size != info.Size {
			t.Fatalf("DeleteStale = %+v, want the old blob", gone)
		}
		if err := <-putDone; err != nil {
			t.Fatal(err)
		}
		if landed {
			t.Error("the re-upload did not wait for the collector's lock")
		}
		if _, err := g.StatBlob(ctx, d); err != nil {
			t.Fatalf("blob re-uploaded during collection: %v", err)
		}
	})
}

// TestDeleteStaleKeepsYoungAndReferenced: a blob stored within the grace
// period (an upload whose version is not committed yet) and a referenced
// one both stay.
func TestDeleteStaleKeepsYoungAndReferenced(t *testing.T) {
	t.Parallel()
	guarded(t, func(t *testing.T, g *blob.Guarded, db *sqlstore.DB) {
		ctx := context.Background()
		old := time.Now().Add(-48 * time.Hour)
		var ds []string
		for _, s := range []string{"young", "referenced", "old"} {
			d, p := spool(t, g, s)
			if err := g.PutFile(ctx, d, p); err != nil {
				t.Fatal(err)
			}
			if s != "young" {
				os.Chtimes(blobPath(t, g, d), old, old)
			}
			ds = append(ds, d)
		}
		unref := func(ctx context.Context, in []string) ([]string, error) {
			var out []string
			for _, d := range in {
				if d != ds[1] {
					out = append(out, d)
				}
			}
			return out, nil
		}
		gone, err := g.DeleteStale(ctx, ds, time.Now().Add(-time.Hour), unref)
		if err != nil {
			t.Fatal(err)
		}
		if len(gone) != 1 || gone[0].Digest != ds[2] {
			t.Errorf("DeleteStale deleted %+v, want only the old unreferenced blob", gone)
		}
		for _, d := range ds[:2] {
			if _, err := g.StatBlob(ctx, d); err != nil {
				t.Errorf("blob %s: %v", d[:8], err)
			}
		}
	})
}

func blobPath(t *testing.T, g *blob.Guarded, d string) string {
	t.Helper()
	return filepath.Join(filepath.Dir(g.SpoolDir()), d[:2], d[2:4], d)
}
