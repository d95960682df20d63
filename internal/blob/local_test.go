package blob_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/vitrine/vitrine/internal/blob"
	"github.com/vitrine/vitrine/internal/blob/blobtest"
)

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
	blobtest.Run(t, func(t *testing.T) blob.Store {
		s, err := blob.OpenLocal(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
