package blob_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

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

// TestLocalPutSameDigest: a blob stored again keeps the file on disk (no
// rename over it), stamped now, and the spool file goes; a file of another
// size under the digest's name is not the blob and is replaced.
func TestLocalPutSameDigest(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := blob.OpenLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("the same bytes, uploaded twice")
	d := digestOf(data)
	put := func(b []byte) {
		t.Helper()
		spool := spooled(t, s, b)
		if err := s.PutFile(context.Background(), d, spool); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(spool); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("spool file left behind: %v", err)
		}
	}
	stored := filepath.Join(dir, d[:2], d[2:4], d)
	inode := func() uint64 {
		t.Helper()
		st, err := os.Stat(stored)
		if err != nil {
			t.Fatal(err)
		}
		return st.Sys().(*syscall.Stat_t).Ino
	}
	put(data)
	first := inode()
	old := time.Now().Add(-48 * time.Hour)
	if err := os.Chtimes(stored, old, old); err != nil {
		t.Fatal(err)
	}
	put(data)
	if inode() != first {
		t.Errorf("the blob stored again was replaced (a rename over it)")
	}
	if st, _ := os.Stat(stored); time.Since(st.ModTime()) > time.Hour {
		t.Errorf("the blob stored again keeps its old time %s: garbage collection could take it", st.ModTime())
	}
	// A truncated file under the name is not the blob.
	if err := os.Truncate(stored, 3); err != nil {
		t.Fatal(err)
	}
	put(data)
	if got, _ := os.ReadFile(stored); string(got) != string(data) {
		t.Errorf("a short file under the blob's name was kept: %q", got)
	}
}

// TestLocalPutSyncs: a new blob's new directories are flushed into their
// parents, its bytes before it is renamed into place, and its directory
// after, before PutFile returns; a blob stored again is flushed again (an
// earlier put may have failed between its rename and its flush).
func TestLocalPutSyncs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := blob.OpenLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("bytes that must survive a power loss")
	d := digestOf(data)
	stored := filepath.Join(dir, d[:2], d[2:4], d)
	var calls []string
	blob.SetSync(s, func(path string) error {
		_, err := os.Stat(stored)
		calls = append(calls, fmt.Sprintf("%s stored=%v", path, err == nil))
		return nil
	})
	put := func() string {
		t.Helper()
		spool := spooled(t, s, data)
		if err := s.PutFile(context.Background(), d, spool); err != nil {
			t.Fatal(err)
		}
		return spool
	}
	spool := put()
	blobDir := filepath.Dir(stored)
	want := []string{dir + " stored=false", filepath.Dir(blobDir) + " stored=false",
		spool + " stored=false", blobDir + " stored=true"}
	if !slices.Equal(calls, want) {
		t.Errorf("syncs %q, want %q", calls, want)
	}
	calls = nil
	put()
	if want := []string{stored + " stored=true", blobDir + " stored=true"}; !slices.Equal(calls, want) {
		t.Errorf("the same blob again synced %q, want %q", calls, want)
	}
	// A blob in a new DIR/ab/cd whose DIR/ab this process made: DIR is
	// not flushed again. (PutFile trusts its caller's digest.)
	calls = nil
	cd := "00"
	if d[2:4] == cd {
		cd = "01"
	}
	sibling := d[:2] + cd + d[4:]
	spool = spooled(t, s, data)
	if err := s.PutFile(context.Background(), sibling, spool); err != nil {
		t.Fatal(err)
	}
	sibDir := filepath.Join(dir, sibling[:2], sibling[2:4])
	if want := []string{filepath.Dir(sibDir) + " stored=true", spool + " stored=true", sibDir + " stored=true"}; !slices.Equal(calls, want) {
		t.Errorf("a blob in a new directory beside one made before synced %q, want %q", calls, want)
	}
	// A failed flush stores nothing and leaves no spool file.
	blob.SetSync(s, func(string) error { return errors.New("disk gone") })
	other := []byte("other bytes")
	spool, od := spooled(t, s, other), digestOf(other)
	if err := s.PutFile(context.Background(), od, spool); err == nil {
		t.Error("PutFile with a failing flush succeeded")
	}
	if _, err := os.Stat(filepath.Join(dir, od[:2], od[2:4], od)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a blob whose flush failed is stored: %v", err)
	}
	if _, err := os.Stat(spool); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("spool file left behind: %v", err)
	}
}

// spooled writes data to a new file in s's spool directory and returns
// its path: what an upload hands PutFile, with digestOf(data).
func spooled(t *testing.T, s *blob.Local, data []byte) string {
	t.Helper()
	f, err := os.CreateTemp(s.SpoolDir(), "upload-*")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return f.Name()
}

// digestOf is data's SHA-256 in hex: its name in a blob store.
func digestOf(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
