package media

import "encoding/binary"

// readAssociations reads an ipma box (ISO/IEC 23008-12 §9.3) and returns
// the property indices of item. Each entry is an item ID (16 bits in
// version 0, 32 after), a count byte, then per association an index of 7
// bits (15 when flag 1 is set) behind an "essential" bit.
func readAssociations(w *boxWalker, ipma box, item uint32) (associations, error) {
	var a associations
	vf, err := w.s.at(ipma.body, 8) // version, flags, entry count
	if err != nil {
		return a, truncated(w.format, err)
	}
	version, wide := vf[0], vf[3]&1 != 0
	entries := binary.BigEndian.Uint32(vf[4:])
	idSize, idxSize := int64(2), int64(1)
	if version >= 1 {
		idSize = 4
	}
	if wide {
		idxSize = 2
	}
	off := ipma.body + 8
	for range entries {
		if off+idSize+1 > ipma.end {
			return a, corrupt(w.format, "ipma entries overrun the box")
		}
		e, err := w.s.at(off, int(idSize)+1)
		if err != nil {
			return a, truncated(w.format, err)
		}
		id := uint32(binary.BigEndian.Uint16(e))
		if idSize == 4 {
			id = binary.BigEndian.Uint32(e)
		}
		count := int(e[idSize])
		off += idSize + 1
		if off+int64(count)*idxSize > ipma.end {
			return a, corrupt(w.format, "ipma entries overrun the box")
		}
		if id != item {
			off += int64(count) * idxSize
			continue
		}
		p, err := w.s.at(off, count*int(idxSize))
		if err != nil {
			return a, truncated(w.format, err)
		}
		for i := range count {
			if wide {
				a.idx[a.n] = binary.BigEndian.Uint16(p[2*i:]) & 0x7FFF
			} else {
				a.idx[a.n] = uint16(p[i] & 0x7F)
			}
			a.n++
		}
		return a, nil
	}
	return a, nil
}

// readProperties walks the properties in ipco, numbered from 1, keeping
// the largest ispe and the ispe and irot associated with the primary item.
func readProperties(w *boxWalker, ipco box, assoc *associations) (avifProps, error) {
	var p avifProps
	idx := uint16(0)
	for off := ipco.body; off < ipco.end; {
		b, err := w.read(off, ipco.end)
		if err != nil {
			return avifProps{}, err
		}
		idx++
		off = b.end
		switch {
		case b.is("ispe"):
			// Full box (4), then 32-bit width and height.
			if b.end-b.body < 12 {
				return avifProps{}, corrupt(w.format, "ispe box of %d bytes", b.end-b.body)
			}
			d, err := w.s.at(b.body+4, 8)
			if err != nil {
				return avifProps{}, truncated(w.format, err)
			}
			iw := uint64(binary.BigEndian.Uint32(d))
			ih := uint64(binary.BigEndian.Uint32(d[4:]))
			if iw*ih > p.maxW*p.maxH || p.maxW == 0 {
				p.maxW, p.maxH = iw, ih
			}
			if assoc.has(idx) {
				p.w, p.h = iw, ih
			}
		case b.is("irot") && assoc.has(idx):
			a, err := w.s.u8(b.body)
			if err != nil {
				return avifProps{}, truncated(w.format, err)
			}
			p.rotated = a&1 != 0 // angle × 90° anticlockwise
		}
	}
	return p, nil
}
