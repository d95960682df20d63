package media

import (
	"encoding/binary"
	"hash/crc32"
)

// maxPNGChunks bounds the chunks walked before the image data. Real files
// have a handful (iCCP, pHYs, tEXt, acTL…); a file with thousands is
// hostile, and walking them all would cost time for nothing.
const maxPNGChunks = 4096

// probePNG reads IHDR, which the format requires to be the first chunk,
// checks the limits, then walks the chunks before IDAT for an acTL chunk
// (APNG), whose frame count must come before the image data.
func probePNG(s *source, lim Limits) (Info, error) {
	b, err := s.at(0, 33) // signature, IHDR length, type, 13 bytes of data, CRC
	if err != nil {
		return Info{}, truncated("PNG", err)
	}
	if binary.BigEndian.Uint32(b[8:]) != 13 || string(b[12:16]) != "IHDR" {
		return Info{}, corrupt("PNG", "the first chunk is not IHDR")
	}
	if crc32.ChecksumIEEE(b[12:29]) != binary.BigEndian.Uint32(b[29:]) {
		return Info{}, corrupt("PNG", "IHDR checksum mismatch")
	}
	w := uint64(binary.BigEndian.Uint32(b[16:]))
	h := uint64(binary.BigEndian.Uint32(b[20:]))
	if !validPNGDepth(b[24], b[25]) {
		return Info{}, corrupt("PNG", "bit depth %d with color type %d", b[24], b[25])
	}
	if err := lim.checkImage(w, h); err != nil {
		return Info{}, err
	}
	frames, err := pngFrames(s, lim)
	if err != nil {
		return Info{}, err
	}
	info := pngInfo
	info.Width, info.Height, info.Frames = int(w), int(h), frames
	return info, nil
}

// pngFrames walks the chunks after IHDR up to the first IDAT and returns
// the acTL frame count, or 1 for a still PNG.
func pngFrames(s *source, lim Limits) (int, error) {
	frames := 1
	off := int64(33)
	for range maxPNGChunks {
		b, err := s.at(off, 16) // length, type and, for acTL, its 8 bytes
		if err != nil {
			if b, err = s.at(off, 8); err != nil {
				return 0, truncated("PNG", err)
			}
		}
		n := int64(binary.BigEndian.Uint32(b))
		if n > 1<<31-1 {
			return 0, corrupt("PNG", "chunk length %d", n)
		}
		switch string(b[4:8]) {
		case "IDAT":
			return frames, nil
		case "IEND":
			return 0, corrupt("PNG", "no image data")
		case "acTL":
			if n != 8 {
				return 0, corrupt("PNG", "acTL chunk length %d", n)
			}
			if len(b) < 16 {
				return 0, truncated("PNG", errShort)
			}
			f := uint64(binary.BigEndian.Uint32(b[8:]))
			if f == 0 {
				return 0, corrupt("PNG", "APNG with 0 frames")
			}
			if err := lim.checkFrames(f); err != nil {
				return 0, err
			}
			frames = int(f)
		}
		off += 12 + n
	}
	return 0, corrupt("PNG", "more than %d chunks before the image data", maxPNGChunks)
}

// validPNGDepth reports the bit depth and color type pairs of the PNG
// specification (table 11.1).
func validPNGDepth(depth, color byte) bool {
	switch color {
	case 0:
		return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16
	case 3:
		return depth == 1 || depth == 2 || depth == 4 || depth == 8
	case 2, 4, 6:
		return depth == 8 || depth == 16
	}
	return false
}
