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
	"strings"
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

// TestLocalBlobDirs: each level of DIR/ab/cd is flushed into its parent
// after it is made, once per process; a level found made (by another
// process) is flushed too, a failed flush is tried again by the next put,
// and a file where a level should be is refused, then made good once gone.
func TestLocalBlobDirs(t *testing.T) {
	t.Parallel()
	data := []byte("a blob")
	d := digestOf(data)
	// withPrefix is a digest in d's DIR/ab/cd (PutFile trusts its caller's).
	withPrefix := func(last byte) string { return d[:63] + string(last) }
	type flushLog struct{ calls []string }
	// record notes each flush of a directory with its entries then, so that
	// a flush before the mkdir it is for shows.
	record := func(s *blob.Local, l *flushLog, fail func(path string) error) {
		blob.SetSync(s, func(path string) error {
			if st, err := os.Stat(path); err == nil && st.IsDir() {
				ents, _ := os.ReadDir(path)
				var names []string
				for _, e := range ents {
					names = append(names, e.Name())
				}
				l.calls = append(l.calls, fmt.Sprintf("%s%v", path, names))
			}
			if fail != nil {
				return fail(path)
			}
			return nil
		})
	}
	put := func(s *blob.Local, digest string) error {
		return s.PutFile(context.Background(), digest, spooled(t, s, data))
	}
	dir := t.TempDir()
	ab, cd := filepath.Join(dir, d[:2]), filepath.Join(dir, d[:2], d[2:4])
	s, err := blob.OpenLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	var l flushLog
	record(s, &l, nil)
	if err := put(s, withPrefix('0')); err != nil {
		t.Fatal(err)
	}
	want := []string{fmt.Sprintf("%s[%s tmp]", dir, d[:2]), fmt.Sprintf("%s[%s]", ab, d[2:4]), fmt.Sprintf("%s[%s]", cd, withPrefix('0'))}
	if !slices.Equal(l.calls, want) {
		t.Errorf("first put flushed directories %q, want %q", l.calls, want)
	}
	l.calls = nil
	if err := put(s, withPrefix('1')); err != nil {
		t.Fatal(err)
	}
	if want := []string{fmt.Sprintf("%s[%s %s]", cd, withPrefix('0'), withPrefix('1'))}; !slices.Equal(l.calls, want) {
		t.Errorf("a second blob in the same directory flushed %q, want %q", l.calls, want)
	}
	// Another process (a store opened again) does not know the levels are
	// on disk: another process may have made them and died before its flush.
	s2, err := blob.OpenLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	var l2 flushLog
	record(s2, &l2, nil)
	if err := put(s2, withPrefix('2')); err != nil {
		t.Fatal(err)
	}
	if len(l2.calls) != 3 || !strings.HasPrefix(l2.calls[0], dir+"[") || !strings.HasPrefix(l2.calls[1], ab+"[") {
		t.Errorf("a store opened again flushed %q, want DIR, DIR/ab and DIR/ab/cd", l2.calls)
	}

	// A failed flush of a level is tried again by the next put.
	dir3 := t.TempDir()
	s3, err := blob.OpenLocal(dir3)
	if err != nil {
		t.Fatal(err)
	}
	var l3 flushLog
	failing := true
	record(s3, &l3, func(path string) error {
		if failing && path == dir3 {
			return errors.New("disk gone")
		}
		return nil
	})
	if err := put(s3, withPrefix('0')); err == nil {
		t.Fatal("a put whose directory flush failed succeeded")
	}
	failing, l3.calls = false, nil
	if err := put(s3, withPrefix('0')); err != nil {
		t.Fatal(err)
	}
	if len(l3.calls) == 0 || !strings.HasPrefix(l3.calls[0], dir3+"[") {
		t.Errorf("after a failed flush of DIR the next put flushed %q, want DIR first", l3.calls)
	}

	// A file where DIR/ab should be is refused, and once it is gone the
	// directory is made.
	dir4 := t.TempDir()
	s4, err := blob.OpenLocal(dir4)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir4, d[:2]), []byte("junk"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := put(s4, d); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("a put with a file in place of its directory: %v, want not a directory", err)
	}
	os.Remove(filepath.Join(dir4, d[:2]))
	if err := put(s4, d); err != nil {
		t.Errorf("a put once the file is gone: %v", err)
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
