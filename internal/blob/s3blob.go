package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/vitrine/vitrine"
)

// Ranged reads: a read fetches a window from the current offset, and the
// window doubles while reading goes on sequentially, so a byte range of
// /is/content costs one small GET and a whole blob a handful of them.
const (
	firstWindow = 256 << 10
	maxWindow   = 32 << 20
)

// s3Blob is an open S3 blob. Seek only moves the offset; the next Read
// fetches the range from there. It keeps the context of Open because
// io.Reader has none: the request that opened the blob bounds its reads.
type s3Blob struct {
	ctx  context.Context
	s    *S3
	key  string
	info vitrine.BlobInfo

	off    int64         // the reader's offset
	body   io.ReadCloser // the current window's body, at off; nil if none
	end    int64         // where body ends
	window int64
}

func (b *s3Blob) Size() int64        { return b.info.Size }
func (b *s3Blob) ModTime() time.Time { return b.info.ModTime }

// Read reads from the current window, fetching the next one when it is
// used up.
func (b *s3Blob) Read(p []byte) (int, error) {
	if b.off >= b.info.Size {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	if b.body == nil {
		if err := b.fetch(); err != nil {
			return 0, err
		}
	}
	n, err := b.body.Read(p[:min(int64(len(p)), b.end-b.off)])
	b.off += int64(n)
	if b.off >= b.end || errors.Is(err, io.EOF) {
		b.drop()
		if b.off < b.end {
			return n, fmt.Errorf("read blob %s: %w", b.info.Digest, io.ErrUnexpectedEOF)
		}
		err = nil
	}
	return n, err
}

// fetch GETs the window at the offset.
func (b *s3Blob) fetch() error {
	switch {
	case b.window == 0:
		b.window = firstWindow
	case b.window < maxWindow:
		b.window *= 2
	}
	end := min(b.off+b.window, b.info.Size)
	out, err := b.s.client.GetObject(b.ctx, &s3.GetObjectInput{
		Bucket: &b.s.cfg.Bucket, Key: &b.key, Range: aws.String(fmt.Sprintf("bytes=%d-%d", b.off, end-1)),
	})
	if isNotFound(err) {
		return vitrine.Errorf(vitrine.ENOTFOUND, "blob %s not found", b.info.Digest)
	} else if err != nil {
		return fmt.Errorf("read blob %s: %w", b.info.Digest, err)
	}
	b.body, b.end = out.Body, end
	return nil
}

func (b *s3Blob) drop() {
	if b.body != nil {
		b.body.Close()
		b.body = nil
	}
}

// Seek moves the offset. Moving it drops the current window and starts the
// next reads with a small one again.
func (b *s3Blob) Seek(offset int64, whence int) (int64, error) {
	var abs int64
	switch whence {
	case io.SeekStart:
		abs = offset
	case io.SeekCurrent:
		abs = b.off + offset
	case io.SeekEnd:
		abs = b.info.Size + offset
	default:
		return 0, errors.New("blob: seek: bad whence")
	}
	if abs < 0 {
		return 0, errors.New("blob: seek: negative position")
	}
	if abs != b.off {
		b.drop()
		b.off, b.window = abs, 0
	}
	return abs, nil
}

// Close releases the current window.
func (b *s3Blob) Close() error {
	b.drop()
	return nil
}
