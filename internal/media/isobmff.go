package media

import (
	"encoding/binary"
	"io"
)

// maxBoxes bounds the ISO-BMFF boxes one probe walks. Real AVIF files have
// a few dozen before the image data; the bound keeps a file made of
// millions of empty boxes from costing more than a moment.
const maxBoxes = 10_000

// box is an ISO base media file format box (ISO/IEC 14496-12 §4.2).
type box struct {
	typ  [4]byte
	body int64 // offset of the first byte after the header
	end  int64 // offset just after the box
}

// is reports whether b has type t.
func (b box) is(t string) bool { return string(b.typ[:]) == t }

// boxWalker reads the boxes of one file with bounds checks: every box lies
// inside its parent, and the walk stops after maxBoxes boxes.
type boxWalker struct {
	s      *source
	format string // for error messages
	walked int
}

// read returns the box at off, which must end by parentEnd.
func (w *boxWalker) read(off, parentEnd int64) (box, error) {
	if w.walked++; w.walked > maxBoxes {
		return box{}, corrupt(w.format, "more than %d boxes", maxBoxes)
	}
	b, err := w.s.at(off, 8)
	if err != nil {
		return box{}, truncated(w.format, err)
	}
	bx := box{body: off + 8}
	copy(bx.typ[:], b[4:8])
	size := int64(binary.BigEndian.Uint32(b))
	switch size {
	case 0: // the box extends to the end of its parent (or of the file)
		bx.end = parentEnd
	case 1: // a 64-bit size follows the type
		l, err := w.s.at(off+8, 8)
		if err != nil {
			return box{}, truncated(w.format, err)
		}
		bx.body += 8
		size64 := binary.BigEndian.Uint64(l)
		if size64 > uint64(parentEnd-off) {
			return box{}, w.overrun(bx, off, parentEnd)
		}
		bx.end = off + int64(size64)
	default:
		bx.end = off + size
	}
	if bx.end < bx.body {
		return box{}, corrupt(w.format, "box %q at offset %d has size %d", bx.typ[:], off, size)
	}
	if bx.end > parentEnd {
		return box{}, w.overrun(bx, off, parentEnd)
	}
	return bx, nil
}

// overrun explains a box whose size does not fit: past the end of the
// file it is truncation, inside the file it is corruption.
func (w *boxWalker) overrun(bx box, off, parentEnd int64) error {
	if parentEnd == w.s.size {
		return truncated(w.format, io.ErrUnexpectedEOF)
	}
	return corrupt(w.format, "box %q at offset %d does not fit in its parent", bx.typ[:], off)
}

// find returns the first child of type t among the boxes in [off, end).
func (w *boxWalker) find(off, end int64, t string) (box, bool, error) {
	for off < end {
		b, err := w.read(off, end)
		if err != nil {
			return box{}, false, err
		}
		if b.is(t) {
			return b, true, nil
		}
		off = b.end
	}
	return box{}, false, nil
}
