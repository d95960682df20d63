package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"

	"github.com/vitrine/vitrine"
)

// ReadLocal opens the local store in dir for reading: unlike OpenLocal it
// creates nothing and leaves the spool alone, for reading another
// installation's blobs (vitrine migrate).
func ReadLocal(dir string) (*Local, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("blob store: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("blob store %s: not a directory", dir)
	}
	return &Local{dir: dir}, nil
}

// Copy copies blob digest from src to dst: streamed into dst's spool while
// hashed, and stored only if its bytes make the digest. It returns the
// number of bytes copied.
func Copy(ctx context.Context, src, dst vitrine.BlobStore, digest string) (int64, error) {
	in, err := src.Open(ctx, digest)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	f, err := os.CreateTemp(dst.SpoolDir(), "copy-*")
	if err != nil {
		return 0, fmt.Errorf("spool blob %s: %w", digest, err)
	}
	spooled := f.Name()
	defer os.Remove(spooled) // PutFile moves it; left only on failure
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), ctxReader{ctx, in})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, fmt.Errorf("copy blob %s: %w", digest, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != digest {
		return n, vitrine.Errorf(vitrine.EINVALID, "blob %s holds other bytes (SHA-256 %s): the source store is damaged", digest, got)
	}
	if err := dst.PutFile(ctx, digest, spooled); err != nil {
		return n, err
	}
	return n, nil
}

// Verify reads blob digest and checks that its bytes make the digest; it
// returns the blob's size.
func Verify(ctx context.Context, s vitrine.BlobStore, digest string) (int64, error) {
	b, err := s.Open(ctx, digest)
	if err != nil {
		return 0, err
	}
	defer b.Close()
	h := sha256.New()
	n, err := io.Copy(h, ctxReader{ctx, b})
	if err != nil {
		return n, fmt.Errorf("read blob %s: %w", digest, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != digest {
		return n, vitrine.Errorf(vitrine.EINVALID, "blob %s holds other bytes (SHA-256 %s)", digest, got)
	}
	return n, nil
}

// ctxReader stops a long copy when its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
