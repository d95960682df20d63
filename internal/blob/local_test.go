package blob_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/blob"
)

// testStore is the behaviour every vitrine.BlobStore must have; an S3
// backend will run the same function.
func testStore(t *testing.T, s vitrine.BlobStore) {
	ctx := context.Background()
	put := func(data string) string {
		t.Helper()
		sum := sha256.Sum256([]byte(data))
		d := hex.EncodeToString(sum[:])
		f, err := os.CreateTemp(s.SpoolDir(), "t-*")
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString(data)
		f.Close()
		if err := s.PutFile(ctx, d, f.Name()); err != nil {
			t.Fatalf("PutFile: %v", err)
		}
		if _, err := os.Stat(f.Name()); !os.IsNotExist(err) {
			t.Errorf("spool file still there after PutFile")
		}
		return d
	}
	a := put("hello, blob")
	if again := put("hello, blob"); again != a {
		t.Fatal("same bytes, different digest")
	}
	b, err := s.Open(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	b.Seek(7, io.SeekStart)
	rest, _ := io.ReadAll(b)
	b.Close()
	if string(rest) != "blob" || b.Size() != 11 {
		t.Errorf("Open: seek+read = %q, size %d", rest, b.Size())
	}
	if ds, err := s.Digests(ctx); err != nil || len(ds) != 1 || ds[0] != a {
		t.Errorf("Digests = %v, %v", ds, err)
	}
	if err := s.Delete(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, a); err != nil {
		t.Errorf("deleting a missing blob: %v", err)
	}
	if _, err := s.Open(ctx, a); vitrine.ErrorCode(err) != vitrine.ENOTFOUND {
		t.Errorf("Open after Delete: %v, want not_found", err)
	}
	for _, bad := range []string{"", "../../etc/passwd", "ABC"} {
		if _, err := s.Open(ctx, bad); vitrine.ErrorCode(err) != vitrine.EINVALID {
			t.Errorf("Open(%q) = %v, want invalid", bad, err)
		}
	}
}

func TestLocal(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// A spool file left by a crash is removed on open.
	os.MkdirAll(filepath.Join(dir, "tmp"), 0o750)
	os.WriteFile(filepath.Join(dir, "tmp", "upload-crashed"), []byte("partial"), 0o600)
	s, err := blob.OpenLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(s.SpoolDir()); len(left) != 0 {
		t.Errorf("spool not cleared on open: %d files", len(left))
	}
	testStore(t, s)
}
