package blob

import (
	"context"
	"fmt"
	"time"

	"github.com/vitrine/vitrine"
)

// Store is a blob store that can list its blobs and describe one: what
// Guard needs beneath it. Local and S3 are.
type Store interface {
	vitrine.BlobStore
	ListBlobs(ctx context.Context, fn func(vitrine.BlobInfo) error) error
	StatBlob(ctx context.Context, digest string) (vitrine.BlobInfo, error)
	AbortPartialUploads(ctx context.Context, cutoff time.Time) (int, error)
}

var _ Store = (*Local)(nil)

// Guarded is a blob store whose writes and garbage collection take turns
// per digest, under a lock every node shares (the database's). It is the
// only vitrine.BlobSweeper: a store whose PutFile does not take the lock
// cannot be collected safely, so it offers no way to try.
type Guarded struct {
	Store
	lock vitrine.BlobLocker
	// beforeDelete, when set (tests), runs under the lock between the last
	// check and the delete of each blob.
	beforeDelete func(digest string)
}

var (
	_ vitrine.BlobStore   = (*Guarded)(nil)
	_ vitrine.BlobSweeper = (*Guarded)(nil)
)

// Guard wraps s so that PutFile holds lock's lock on the digest.
func Guard(s Store, lock vitrine.BlobLocker) *Guarded {
	return &Guarded{Store: s, lock: lock}
}

// PutFile stores the file under the digest's lock, so it never lands
// between DeleteStale's last check of that digest and its delete.
func (g *Guarded) PutFile(ctx context.Context, digest, path string) error {
	return g.lock.LockBlobs(ctx, []string{digest}, func(ctx context.Context) error {
		return g.Store.PutFile(ctx, digest, path)
	})
}

// DeleteStale implements vitrine.BlobSweeper: under the digests' locks it
// asks which are still unreferenced, and deletes those still older than
// cutoff.
func (g *Guarded) DeleteStale(ctx context.Context, digests []string, cutoff time.Time,
	unreferenced func(ctx context.Context, digests []string) ([]string, error)) ([]vitrine.BlobInfo, error) {
	var out []vitrine.BlobInfo
	err := g.lock.LockBlobs(ctx, digests, func(ctx context.Context) error {
		free, err := unreferenced(ctx, digests)
		if err != nil {
			return err
		}
		for _, d := range free {
			info, err := g.StatBlob(ctx, d)
			if vitrine.ErrorCode(err) == vitrine.ENOTFOUND {
				continue
			} else if err != nil {
				return err
			}
			if !info.ModTime.Before(cutoff) {
				continue // stored again lately: an upload may be about to refer to it
			}
			if g.beforeDelete != nil {
				g.beforeDelete(d)
			}
			if err := g.Delete(ctx, d); err != nil {
				return fmt.Errorf("collect blob %s: %w", d, err)
			}
			out = append(out, info)
		}
		return nil
	})
	return out, err
}

var _ vitrine.BlobCommitter = (*Guarded)(nil)

// CommitFiles implements vitrine.BlobCommitter: under the digests' locks it
// stores the files, runs record, and deletes those blobs unreferenced
// still holds to be unreferenced, whether record succeeded or not. A
// failed clean-up is not the caller's failure: the daily collection takes
// what it left.
func (g *Guarded) CommitFiles(ctx context.Context, files []vitrine.BlobFile, record func(ctx context.Context) error,
	unreferenced func(ctx context.Context, digests []string) ([]string, error)) error {
	digests := make([]string, len(files))
	for i, f := range files {
		digests[i] = f.Digest
	}
	return g.lock.LockBlobs(ctx, digests, func(ctx context.Context) error {
		var stored []string
		var err error
		for _, f := range files {
			if err = g.Store.PutFile(ctx, f.Digest, f.Path); err != nil {
				err = fmt.Errorf("store blob %s: %w", f.Digest, err)
				break
			}
			stored = append(stored, f.Digest)
		}
		if err == nil {
			err = record(ctx)
		}
		if len(stored) == 0 {
			return err
		}
		// The request's own context may be done (a refusal, a client
		// gone); the clean-up still runs.
		cctx := context.WithoutCancel(ctx)
		free, uerr := unreferenced(cctx, stored)
		if uerr != nil {
			return err
		}
		for _, d := range free {
			if g.Delete(cctx, d) != nil {
				break
			}
		}
		return err
	})
}
