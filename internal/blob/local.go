// Package blob implements vitrine.BlobStore on a local directory. Blobs live
// at DIR/ab/cd/<digest>; uploads spool to DIR/tmp and are renamed into place,
// so a reader never sees a partial blob and a crash leaves only temp files,
// which Open clears on start.
//
// gocloud.dev/blob's fileblob was considered: it cannot rename a spooled
// file into place, so every upload would be written twice; content
// addressing by rename is the heart of this store, and it is small.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	"github.com/vitrine/vitrine"
)

var digestPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Local is a BlobStore in a directory.
type Local struct {
	dir   string
	dirs  sync.Map                // blob directories known to be on disk (makeDirs)
	fsync func(path string) error // nil: syncFile (tests replace it)
}

var _ vitrine.BlobStore = (*Local)(nil)

// OpenLocal opens (creating) a local blob store in dir and removes spool
// files left by a crash.
func OpenLocal(dir string) (*Local, error) {
	l := &Local{dir: dir}
	if err := os.RemoveAll(l.SpoolDir()); err != nil {
		return nil, fmt.Errorf("clear spool: %w", err)
	}
	if err := os.MkdirAll(l.SpoolDir(), 0o750); err != nil {
		return nil, fmt.Errorf("create blob store: %w", err)
	}
	return l, nil
}

// SpoolDir is DIR/tmp.
func (l *Local) SpoolDir() string { return filepath.Join(l.dir, "tmp") }

func (l *Local) path(digest string) (string, error) {
	if !digestPattern.MatchString(digest) {
		return "", vitrine.Errorf(vitrine.EINVALID, "bad blob digest %q", digest)
	}
	return filepath.Join(l.dir, digest[:2], digest[2:4], digest), nil
}

// PutFile renames path into place: one rename, plus a mkdir the first time
// a directory is needed. The same digest again is the same bytes (the name
// is their SHA-256): the stored blob stays and path is removed, so open
// readers keep reading what they opened. Renaming over it instead would
// have ext4 write the new copy out at once (its replace-by-rename rule,
// auto_da_alloc): CPU in the rename, and a disk write of bytes already on
// disk. The blob's modification time becomes now: garbage collection never
// takes a blob stored less than its grace period ago (vitrine.BlobSweeper).
func (l *Local) PutFile(ctx context.Context, digest, path string) error {
	dst, err := l.path(digest)
	if err != nil {
		os.Remove(path)
		return err
	}
	now := time.Now()
	if sameSize(dst, path) && os.Chtimes(dst, now, now) == nil {
		os.Remove(path)
		// An earlier put of it may have failed after its rename, before
		// its flush: flushing a file already on disk costs nothing.
		if err := l.flush(dst); err != nil {
			return fmt.Errorf("sync blob: %w", err)
		}
		if err := l.flush(filepath.Dir(dst)); err != nil {
			return fmt.Errorf("sync blob dir: %w", err)
		}
		return nil
	}
	if err := os.Chtimes(path, now, now); err != nil {
		os.Remove(path)
		return fmt.Errorf("stamp blob: %w", err)
	}
	dir := filepath.Dir(dst)
	if err := l.makeDirs(dir); err != nil {
		os.Remove(path)
		return err
	}
	// Durable before it is named (and before the caller records it): a
	// file renamed into place without a sync can come back empty after a
	// power loss (ext4's delayed allocation), under a catalog row that
	// outlived it. Measured on the ingest benchmark: within its noise.
	if err := l.flush(path); err != nil {
		os.Remove(path)
		return fmt.Errorf("sync blob: %w", err)
	}
	if err := os.Rename(path, dst); err != nil {
		os.Remove(path)
		return fmt.Errorf("commit blob: %w", err)
	}
	if err := l.flush(dir); err != nil { // the rename itself
		return fmt.Errorf("sync blob dir: %w", err)
	}
	return nil
}

// makeDirs makes the blob directory DIR/ab/cd where missing and flushes
// each level into its parent, once per directory and process: l.dirs
// holds the directories whose entries are known to be on disk, each
// stored only after its flush returned (a put that finds one there needs
// no flush of its own). DIR/ab soon is for every ab, so a new DIR/ab/cd
// costs one flush, not two (a flush is a journal commit).
func (l *Local) makeDirs(dir string) error {
	for _, d := range []string{filepath.Dir(dir), dir} {
		if _, ok := l.dirs.Load(d); ok {
			continue
		}
		if err := os.Mkdir(d, 0o750); errors.Is(err, fs.ErrExist) {
			if st, err := os.Stat(d); err != nil {
				return fmt.Errorf("blob dir: %w", err)
			} else if !st.IsDir() {
				return fmt.Errorf("blob dir: %s is not a directory", d)
			}
		} else if err != nil {
			return fmt.Errorf("blob dir: %w", err)
		}
		// Made here or by someone whose flush may not have returned yet.
		if err := l.flush(filepath.Dir(d)); err != nil {
			return fmt.Errorf("sync blob dir: %w", err)
		}
		l.dirs.Store(d, true)
	}
	return nil
}

// flush makes a file's or a directory's data durable.
func (l *Local) flush(path string) error {
	if l.fsync != nil {
		return l.fsync(path)
	}
	return syncFile(path)
}

// syncFile flushes a file's (or a directory's) data to disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// sameSize reports whether a regular file at stored has the size of the
// one at spooled (a blob of the same digest: anything else is replaced).
func sameSize(stored, spooled string) bool {
	st, err := os.Lstat(stored)
	if err != nil || !st.Mode().IsRegular() {
		return false
	}
	sp, err := os.Stat(spooled)
	return err == nil && sp.Size() == st.Size()
}

type localBlob struct {
	*os.File
	size int64
	mod  time.Time
}

func (b *localBlob) Size() int64        { return b.size }
func (b *localBlob) ModTime() time.Time { return b.mod }

// Open opens a blob.
func (l *Local) Open(ctx context.Context, digest string) (vitrine.Blob, error) {
	p, err := l.path(digest)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, vitrine.Errorf(vitrine.ENOTFOUND, "blob %s not found", digest)
	} else if err != nil {
		return nil, fmt.Errorf("open blob: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("stat blob: %w", err)
	}
	return &localBlob{File: f, size: st.Size(), mod: st.ModTime()}, nil
}

// Delete removes a blob.
func (l *Local) Delete(ctx context.Context, digest string) error {
	p, err := l.path(digest)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete blob: %w", err)
	}
	return nil
}

// Digests lists stored digests.
func (l *Local) Digests(ctx context.Context) ([]string, error) {
	var out []string
	err := filepath.WalkDir(l.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p == l.SpoolDir() {
			return filepath.SkipDir
		}
		if !d.IsDir() && digestPattern.MatchString(d.Name()) {
			out = append(out, d.Name())
		}
		return ctx.Err()
	})
	return out, err
}

// StatBlob describes one stored blob; ENOTFOUND when there is none.
func (l *Local) StatBlob(ctx context.Context, digest string) (vitrine.BlobInfo, error) {
	p, err := l.path(digest)
	if err != nil {
		return vitrine.BlobInfo{}, err
	}
	st, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return vitrine.BlobInfo{}, vitrine.Errorf(vitrine.ENOTFOUND, "blob %s not found", digest)
	} else if err != nil {
		return vitrine.BlobInfo{}, fmt.Errorf("stat blob: %w", err)
	}
	return vitrine.BlobInfo{Digest: digest, Size: st.Size(), ModTime: st.ModTime()}, nil
}

// ListBlobs calls fn for every stored blob, with its size and modification
// time, skipping the spool.
func (l *Local) ListBlobs(ctx context.Context, fn func(vitrine.BlobInfo) error) error {
	return filepath.WalkDir(l.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p == l.SpoolDir() {
				return filepath.SkipDir
			}
			return ctx.Err()
		}
		if !digestPattern.MatchString(d.Name()) {
			return nil
		}
		info, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil // deleted since the directory was read
		} else if err != nil {
			return err
		}
		return fn(vitrine.BlobInfo{Digest: d.Name(), Size: info.Size(), ModTime: info.ModTime()})
	})
}

// AbortPartialUploads has nothing to do: a partial upload is a spool file,
// which OpenLocal clears.
func (l *Local) AbortPartialUploads(context.Context, time.Time) (int, error) { return 0, nil }
