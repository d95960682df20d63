package media

import (
	"encoding/binary"

	vitrine "github.com/vitrine/vitrine"
)

// TIFF tags and field types Probe reads.
const (
	tiffImageWidth  = 256
	tiffImageLength = 257

	tiffShort = 3
	tiffLong  = 4
	tiffLong8 = 16 // BigTIFF
)

// probeTIFF reads ImageWidth and ImageLength from the first IFD of a
// classic or BigTIFF file. It parses the entries itself rather than using
// golang.org/x/image/tiff, whose DecodeConfig refuses CMYK, YCbCr, float
// and other valid files it cannot decode, while Vitrine only needs the size.
func probeTIFF(s *source, lim Limits) (Info, error) {
	b, err := s.at(0, 8)
	if err != nil {
		return Info{}, truncated("TIFF", err)
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if b[0] == 'M' {
		bo = binary.BigEndian
	}
	t := tiffLayout{bo: bo, countSize: 2, entrySize: 12, valueSize: 4}
	var ifd int64
	if bo.Uint16(b[2:]) == 43 { // BigTIFF: offset size 8, then an 8-byte offset
		if b, err = s.at(4, 12); err != nil {
			return Info{}, truncated("TIFF", err)
		}
		if bo.Uint16(b) != 8 {
			return Info{}, corrupt("TIFF", "BigTIFF offset size %d", bo.Uint16(b))
		}
		t = tiffLayout{bo: bo, countSize: 8, entrySize: 20, valueSize: 8}
		ifd = int64(min(bo.Uint64(b[4:]), 1<<62))
	} else {
		ifd = int64(bo.Uint32(b[4:]))
	}
	w, h, err := t.dimensions(s, ifd)
	if err != nil {
		return Info{}, err
	}
	if err := lim.checkImage(w, h); err != nil {
		return Info{}, err
	}
	info := tiffInfo
	info.Width, info.Height, info.Frames = int(w), int(h), 1
	return info, nil
}

// tiffLayout is what differs between classic TIFF and BigTIFF.
type tiffLayout struct {
	bo        binary.ByteOrder
	countSize int // size of an IFD's entry count
	entrySize int // tag (2), type (2), count, value or offset
	valueSize int
}

// dimensions reads the IFD at off until it has both sizes. The entry count
// is at most 65535 in a classic TIFF; BigTIFF allows more, which nothing
// writes for a first IFD, so more is refused rather than walked.
func (t tiffLayout) dimensions(s *source, off int64) (w, h uint64, err error) {
	b, err := s.at(off, t.countSize)
	if err != nil {
		return 0, 0, truncated("TIFF", err)
	}
	var count uint64
	if t.countSize == 2 {
		count = uint64(t.bo.Uint16(b))
	} else {
		count = t.bo.Uint64(b)
	}
	if count > 1<<16 {
		return 0, 0, corrupt("TIFF", "%d entries in the first IFD", count)
	}
	off += int64(t.countSize)
	for i := range int64(count) {
		e, err := s.at(off+i*int64(t.entrySize), t.entrySize)
		if err != nil {
			return 0, 0, truncated("TIFF", err)
		}
		tag := t.bo.Uint16(e)
		if tag != tiffImageWidth && tag != tiffImageLength {
			continue
		}
		v, err := t.value(e)
		if err != nil {
			return 0, 0, err
		}
		if tag == tiffImageWidth {
			w = v
		} else {
			h = v
		}
		if w != 0 && h != 0 {
			break
		}
	}
	if w == 0 || h == 0 {
		return 0, 0, vitrine.Errorf(vitrine.EINVALID, "TIFF gives no image size (%d×%d)", w, h)
	}
	return w, h, nil
}

// value returns the first value of a SHORT, LONG or LONG8 entry, stored in
// the entry itself because a dimension is a single number.
func (t tiffLayout) value(e []byte) (uint64, error) {
	typ := t.bo.Uint16(e[2:])
	count := uint64(t.bo.Uint32(e[4:]))
	if t.valueSize == 8 {
		count = t.bo.Uint64(e[4:])
	}
	if count == 0 {
		return 0, corrupt("TIFF", "image size with no value")
	}
	v := e[4+t.valueSize:]
	switch {
	case typ == tiffShort:
		return uint64(t.bo.Uint16(v)), nil
	case typ == tiffLong:
		return uint64(t.bo.Uint32(v)), nil
	case typ == tiffLong8 && t.valueSize == 8:
		return t.bo.Uint64(v), nil
	}
	return 0, corrupt("TIFF", "image size of field type %d", typ)
}
