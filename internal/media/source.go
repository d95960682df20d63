package media

import (
	"encoding/binary"
	"fmt"
	"io"
)

const (
	// headSize is how much of a file Probe reads up front: enough for every
	// signature, for the 8 KB text check and for an SVG or XML prolog.
	headSize = 64 << 10
	// windowSize bounds one read beyond the head. Walks over boxes, chunks
	// and GIF sub-blocks go through a window of this size, so a flood of
	// tiny blocks costs one ReadAt per window, not one per block.
	windowSize = 32 << 10
)

// source is the file being probed: its head, held for the whole probe, and
// a window for everything beyond it. Memory is at most headSize+windowSize
// whatever the file is or claims to be.
type source struct {
	r    io.ReaderAt
	size int64
	head []byte // the file's first min(size, headSize) bytes

	win   []byte // allocated on the first read beyond the head
	start int64  // file offset of win[0]
	n     int    // valid bytes in win
}

// newSource reads the head of r, into scratch when it holds ScratchSize
// bytes (the window then lives there too). A reader shorter than size
// shrinks size: the bytes are what counts.
func newSource(r io.ReaderAt, size int64, scratch []byte) (*source, error) {
	var head, win []byte
	if len(scratch) >= ScratchSize {
		head, win = scratch[:min(size, headSize):headSize], scratch[headSize:ScratchSize:ScratchSize]
	} else {
		head = make([]byte, min(size, headSize))
	}
	k, err := r.ReadAt(head, 0)
	if k < len(head) {
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("media: read head: %w", err)
		}
		head, size = head[:k], int64(k)
	}
	return &source{r: r, size: size, head: head, win: win}, nil
}

// at returns the n bytes at off, or io.ErrUnexpectedEOF when the file ends
// before them. The slice is only valid until the next call, and n must not
// exceed windowSize.
func (s *source) at(off int64, n int) ([]byte, error) {
	if n < 0 || n > windowSize {
		panic(fmt.Sprintf("media: read of %d bytes exceeds the window", n))
	}
	if off < 0 || off > s.size-int64(n) {
		return nil, io.ErrUnexpectedEOF
	}
	if end := off + int64(n); end <= int64(len(s.head)) {
		return s.head[off:end], nil
	}
	if off >= s.start && off+int64(n) <= s.start+int64(s.n) {
		i := off - s.start
		return s.win[i : i+int64(n)], nil
	}
	if s.win == nil {
		s.win = make([]byte, windowSize)
	}
	m := min(int64(windowSize), s.size-off)
	k, err := s.r.ReadAt(s.win[:m], off)
	s.start, s.n = off, k
	if k < n {
		s.n = 0
		if err == nil || err == io.EOF {
			return nil, io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("media: read %d bytes at %d: %w", n, off, err)
	}
	return s.win[:n], nil
}

// Fixed-width reads. Each returns the error of at.

func (s *source) u8(off int64) (byte, error) {
	b, err := s.at(off, 1)
	if err != nil {
		return 0, err
	}
	return b[0], nil
}

func (s *source) be32(off int64) (uint32, error) {
	b, err := s.at(off, 4)
	if err != nil {
		return 0, err
	}
	return binary.BigEndian.Uint32(b), nil
}
