package media

import (
	"encoding/binary"

	vitrine "github.com/vitrine/vitrine"
)

// probeAVIF finds the size of an AVIF's primary image: the ispe (image
// spatial extents) property associated with the item named by pitm,
// through meta → iprp → ipco (the properties) and ipma (which item has
// which). An irot of 90° or 270° swaps the displayed width and height.
//
// The limits are checked against the primary size and against the largest
// ispe in the file, since a decoder may be asked for any item.
func probeAVIF(s *source, lim Limits) (Info, error) {
	w := &boxWalker{s: s, format: "AVIF"}
	meta, ok, err := w.find(0, s.size, "meta")
	if err != nil {
		return Info{}, err
	}
	if !ok {
		return Info{}, corrupt("AVIF", "no meta box")
	}
	props, err := avifProperties(w, meta)
	if err != nil {
		return Info{}, err
	}
	if props.maxW == 0 {
		return Info{}, vitrine.Errorf(vitrine.EINVALID, "AVIF gives no image size (no ispe property)")
	}
	if err := lim.checkImage(props.maxW, props.maxH); err != nil {
		return Info{}, err
	}
	width, height := props.w, props.h
	if width == 0 || height == 0 {
		// No primary item, or no association: the largest image is the
		// best guess and the safe one for the limits.
		width, height = props.maxW, props.maxH
	}
	if err := lim.checkImage(width, height); err != nil {
		return Info{}, err
	}
	if props.rotated {
		width, height = height, width
	}
	info := avifInfo
	info.Width, info.Height, info.Frames = int(width), int(height), 1
	return info, nil
}

// avifProps is what probeAVIF learns from the properties.
type avifProps struct {
	w, h       uint64 // primary item's ispe
	rotated    bool   // primary item's irot is a quarter turn
	maxW, maxH uint64 // largest ispe by area
}

// avifProperties walks meta's children for pitm and iprp, then iprp's for
// ipco and ipma, then reads the properties.
func avifProperties(w *boxWalker, meta box) (avifProps, error) {
	var (
		primary             uint32
		iprp, ipco, ipma    box
		hasPrimary, hasIprp bool
		hasIpco, hasIpma    bool
	)
	// meta is a full box: 4 bytes of version and flags before its children.
	for off := meta.body + 4; off < meta.end; {
		b, err := w.read(off, meta.end)
		if err != nil {
			return avifProps{}, err
		}
		switch {
		case b.is("pitm") && !hasPrimary:
			if primary, err = readItemID(w, b); err != nil {
				return avifProps{}, err
			}
			hasPrimary = true
		case b.is("iprp") && !hasIprp:
			iprp, hasIprp = b, true
		}
		off = b.end
	}
	if !hasIprp {
		return avifProps{}, corrupt("AVIF", "no item properties (iprp)")
	}
	for off := iprp.body; off < iprp.end; {
		b, err := w.read(off, iprp.end)
		if err != nil {
			return avifProps{}, err
		}
		switch {
		case b.is("ipco") && !hasIpco:
			ipco, hasIpco = b, true
		case b.is("ipma") && !hasIpma:
			ipma, hasIpma = b, true
		}
		off = b.end
	}
	if !hasIpco {
		return avifProps{}, corrupt("AVIF", "no item property container (ipco)")
	}
	var assoc associations
	if hasPrimary && hasIpma {
		var err error
		if assoc, err = readAssociations(w, ipma, primary); err != nil {
			return avifProps{}, err
		}
	}
	return readProperties(w, ipco, &assoc)
}

// readItemID reads the item ID of a pitm box: 16 bits in version 0,
// 32 bits after.
func readItemID(w *boxWalker, b box) (uint32, error) {
	v, err := w.s.at(b.body, 4)
	if err != nil {
		return 0, truncated(w.format, err)
	}
	if v[0] == 0 {
		id, err := w.s.at(b.body+4, 2)
		if err != nil {
			return 0, truncated(w.format, err)
		}
		return uint32(binary.BigEndian.Uint16(id)), nil
	}
	id, err := w.s.be32(b.body + 4)
	if err != nil {
		return 0, truncated(w.format, err)
	}
	return id, nil
}

// associations holds the 1-based ipco indices associated with one item. An
// item has at most 255 (the count is a byte), so a fixed array will do.
type associations struct {
	idx [255]uint16
	n   int
}

func (a *associations) has(i uint16) bool {
	for _, x := range a.idx[:a.n] {
		if x == i {
			return true
		}
	}
	return false
}
