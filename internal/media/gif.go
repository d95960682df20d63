package media

import (
	"encoding/binary"
	"errors"
	"io"

	vitrine "github.com/vitrine/vitrine"
)

// probeGIF reads the logical screen, checks it against the limits, then
// counts frames by walking the block structure: image descriptors and
// extensions, skipping their data sub-blocks by length without decoding
// LZW. The walk stops as soon as the count passes lim.MaxFrames, so a frame
// bomb costs MaxFrames small reads and no memory.
//
// A GIF with more than one frame is an animation, stored as a static file
// and served as uploaded; a single frame is an image like any other.
func probeGIF(s *source, lim Limits) (Info, error) {
	b, err := s.at(0, 13) // signature (6), logical screen descriptor (7)
	if err != nil {
		return Info{}, truncated("GIF", err)
	}
	w := uint64(binary.LittleEndian.Uint16(b[6:]))
	h := uint64(binary.LittleEndian.Uint16(b[8:]))
	if err := lim.checkImage(w, h); err != nil {
		return Info{}, err
	}
	off := int64(13) + colorTableSize(b[10])
	frames, err := gifFrames(s, off, lim)
	if err != nil {
		return Info{}, err
	}
	info := gifInfo
	if frames > 1 {
		info.Type = vitrine.TypeStatic
	}
	info.Width, info.Height, info.Frames = int(w), int(h), frames
	return info, nil
}

// gifFrames counts the image descriptors from off to the trailer.
//
// A file that ends early after at least one image descriptor is accepted
// with the frames seen so far: many GIFs in the wild lack their trailer or
// the end of their last frame, and browsers show them.
func gifFrames(s *source, off int64, lim Limits) (int, error) {
	frames := 0
	for {
		b, err := s.at(off, 2)
		if err != nil {
			b, err = s.at(off, 1) // the trailer may be the last byte
		}
		if err != nil {
			return gifEnd(frames, err)
		}
		switch b[0] {
		case 0x3B: // trailer
			return gifEnd(frames, nil)
		case 0x21: // extension: introducer, label, sub-blocks
			if off, err = skipSubBlocks(s, off+2); err != nil {
				return gifEnd(frames, err)
			}
		case 0x2C: // image descriptor: separator, left, top, width, height, flags
			d, err := s.at(off, 10)
			if err != nil {
				return gifEnd(frames, err)
			}
			if frames++; frames > lim.MaxFrames {
				return 0, lim.tooManyFrames()
			}
			// A frame may be larger than the screen; decoders allocate for
			// the frame, so it is held to the same limits.
			fw := uint64(binary.LittleEndian.Uint16(d[5:]))
			fh := uint64(binary.LittleEndian.Uint16(d[7:]))
			if err := lim.checkSize(fw, fh); err != nil {
				return 0, err
			}
			off += 10 + colorTableSize(d[9]) + 1 // +1: LZW minimum code size
			if off, err = skipSubBlocks(s, off); err != nil {
				return gifEnd(frames, err)
			}
		default:
			return 0, corrupt("GIF", "unknown block 0x%02X at offset %d", b[0], off)
		}
	}
}

// gifEnd decides the outcome of a walk that ended, at the trailer (err
// nil) or at the end of the data.
func gifEnd(frames int, err error) (int, error) {
	if err != nil && (frames == 0 || !errors.Is(err, io.ErrUnexpectedEOF)) {
		return 0, truncated("GIF", err)
	}
	if frames == 0 {
		return 0, vitrine.Errorf(vitrine.EINVALID, "GIF has no image")
	}
	return frames, nil
}

// skipSubBlocks skips the data sub-blocks at off (each a length byte and
// that many bytes, ended by a zero length) and returns the offset after
// the terminator.
func skipSubBlocks(s *source, off int64) (int64, error) {
	for {
		n, err := s.u8(off)
		if err != nil {
			return 0, err
		}
		off += 1 + int64(n)
		if n == 0 {
			return off, nil
		}
	}
}

// colorTableSize is the size in bytes of the color table a GIF flags byte
// announces (logical screen or image descriptor: same bit layout).
func colorTableSize(flags byte) int64 {
	if flags&0x80 == 0 {
		return 0
	}
	return 3 << (flags&0x07 + 1)
}
