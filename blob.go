package vitrine

import (
	"context"
	"io"
	"time"
)

// BlobStore holds file contents by SHA-256 digest (hex). A blob is visible
// only once complete: writers spool to a temporary file and commit it.
type BlobStore interface {
	// SpoolDir is where uploads are spooled before PutFile; on the local
	// backend it is on the same file system, so PutFile is a rename.
	SpoolDir() string
	// PutFile moves the complete file at path into the store under digest.
	// The file is gone afterwards, whether or not the blob already existed.
	PutFile(ctx context.Context, digest, path string) error
	// Open returns the blob's contents.
	Open(ctx context.Context, digest string) (Blob, error)
	// Delete removes a blob; deleting a missing blob is not an error.
	Delete(ctx context.Context, digest string) error
	// Digests lists every stored digest (for checks and garbage collection).
	Digests(ctx context.Context) ([]string, error)
}

// Blob is an open blob: seekable for byte ranges.
type Blob interface {
	io.ReadSeekCloser
	Size() int64
	ModTime() time.Time
}
