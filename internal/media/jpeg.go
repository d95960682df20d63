package media

import (
	"encoding/binary"

	vitrine "github.com/vitrine/vitrine"
)

// maxJPEGJunk bounds the stray bytes skipped between JPEG segments. Like
// libjpeg, Probe tolerates a few (some writers pad segments), but it will
// not scan a whole file looking for a marker.
const maxJPEGJunk = 1 << 20

// probeJPEG walks the marker segments after SOI to the first start-of-frame
// (SOF) marker, which holds the dimensions. Segments are skipped by their
// length through the ReaderAt, so EXIF, ICC and XMP blocks of any size
// before the SOF cost one small read each.
func probeJPEG(s *source, lim Limits) (Info, error) {
	off, junk := int64(2), 0
	for {
		b, err := s.u8(off)
		if err != nil {
			return Info{}, truncated("JPEG", err)
		}
		if b != 0xFF {
			if junk++; junk > maxJPEGJunk {
				return Info{}, corrupt("JPEG", "no marker near offset %d", off)
			}
			off++
			continue
		}
		// Any number of 0xFF fill bytes may precede a marker.
		for b == 0xFF {
			off++
			if b, err = s.u8(off); err != nil {
				return Info{}, truncated("JPEG", err)
			}
		}
		marker := b
		off++ // off is now just after the marker
		switch {
		case marker == 0x00:
			// A stuffed zero belongs to entropy-coded data, which cannot
			// come before a frame header: it is junk.
			junk++
			continue
		case marker == 0x01 || marker >= 0xD0 && marker <= 0xD8:
			continue // TEM, RSTn and SOI stand alone, without a length
		case marker == 0xD9 || marker == 0xDA:
			return Info{}, corrupt("JPEG", "no frame header before the image data")
		case isSOF(marker):
			return jpegFrame(s, off, lim)
		}
		n, err := s.at(off, 2)
		if err != nil {
			return Info{}, truncated("JPEG", err)
		}
		length := int64(binary.BigEndian.Uint16(n))
		if length < 2 {
			return Info{}, corrupt("JPEG", "segment length %d at offset %d", length, off)
		}
		off += length
	}
}

// jpegFrame reads a SOF segment body at off: length (2), precision (1),
// height (2), width (2), components (1).
func jpegFrame(s *source, off int64, lim Limits) (Info, error) {
	b, err := s.at(off, 8)
	if err != nil {
		return Info{}, truncated("JPEG", err)
	}
	h := uint64(binary.BigEndian.Uint16(b[3:]))
	w := uint64(binary.BigEndian.Uint16(b[5:]))
	if h == 0 {
		// Legal in theory (a DNL marker after the first scan gives it),
		// but nothing Vitrine renders supports it, and the size matters
		// before decoding.
		return Info{}, vitrine.Errorf(vitrine.EINVALID, "JPEG gives no image height in its frame header")
	}
	if err := lim.checkImage(w, h); err != nil {
		return Info{}, err
	}
	info := jpegInfo
	info.Width, info.Height, info.Frames = int(w), int(h), 1
	return info, nil
}

// isSOF reports the start-of-frame markers of every coding process:
// baseline, extended, progressive and lossless, Huffman or arithmetic.
// C4 (DHT), C8 (reserved) and CC (DAC) share the range but are not frames.
func isSOF(m byte) bool {
	return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC
}
