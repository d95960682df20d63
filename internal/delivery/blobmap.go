package delivery

import (
	"fmt"
	"io"
	"syscall"

	"github.com/vitrine/vitrine"
)

// blobBytes returns the contents of b: mapped read-only when b is a local
// file (blobs are never rewritten in place, so the mapping stays valid;
// libvips reads the pages it decodes from the page cache, and the Go heap
// holds none of it), read whole otherwise. release unmaps; call it once
// the bytes are no longer used.
func blobBytes(b vitrine.Blob) (data []byte, release func(), err error) {
	size := b.Size()
	if f, ok := b.(interface{ Fd() uintptr }); ok && size > 0 && size == int64(int(size)) {
		data, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
		if err == nil {
			return data, func() { syscall.Munmap(data) }, nil
		}
	}
	data = make([]byte, size)
	if _, err := io.ReadFull(b, data); err != nil {
		return nil, nil, fmt.Errorf("read blob: %w", err)
	}
	return data, func() {}, nil
}
