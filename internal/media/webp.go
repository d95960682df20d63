package media

import (
	"encoding/binary"

	vitrine "github.com/vitrine/vitrine"
)

// probeWebP reads the first chunk of a WebP file, which decides its kind:
// VP8 (lossy), VP8L (lossless) or VP8X (extended: alpha, metadata,
// animation). Dimensions come from that chunk alone; an animated file's
// ANMF chunks are then counted against the frame limit.
func probeWebP(s *source, lim Limits) (Info, error) {
	hdr, err := s.at(12, 4)
	if err != nil {
		return Info{}, truncated("WebP", err)
	}
	need := 18 // chunk header (8), then 10 bytes of VP8 or VP8X
	if string(hdr) == "VP8L" {
		need = 13 // VP8L's header is 5 bytes, and tiny files exist
	}
	b, err := s.at(12, need)
	if err != nil {
		return Info{}, truncated("WebP", err)
	}
	var w, h uint64
	frames := 1
	switch string(b[:4]) {
	case "VP8 ":
		// Frame tag (3 bytes, bit 0 clear on a key frame), start code,
		// then 14-bit width and height, each with 2 bits of scaling.
		if b[8]&1 != 0 || string(b[11:14]) != "\x9D\x01\x2A" {
			return Info{}, corrupt("WebP", "bad VP8 key frame")
		}
		w = uint64(binary.LittleEndian.Uint16(b[14:]) & 0x3FFF)
		h = uint64(binary.LittleEndian.Uint16(b[16:]) & 0x3FFF)
	case "VP8L":
		// Signature 0x2F, then 14 bits width-1, 14 bits height-1, 1 bit
		// alpha, 3 bits version (0).
		v := binary.LittleEndian.Uint32(b[9:])
		if b[8] != 0x2F || v>>29 != 0 {
			return Info{}, corrupt("WebP", "bad VP8L signature")
		}
		w, h = uint64(v&0x3FFF)+1, uint64(v>>14&0x3FFF)+1
	case "VP8X":
		// Flags (1), reserved (3), then 24-bit canvas width-1 and height-1.
		w, h = uint64(le24(b[12:]))+1, uint64(le24(b[15:]))+1
		if err := lim.checkImage(w, h); err != nil {
			return Info{}, err
		}
		if b[8]&0x02 != 0 { // animation flag
			if frames, err = webpFrames(s, lim); err != nil {
				return Info{}, err
			}
		}
	default:
		return Info{}, corrupt("WebP", "unknown first chunk %q", b[:4])
	}
	if err := lim.checkImage(w, h); err != nil {
		return Info{}, err
	}
	info := webpInfo
	info.Width, info.Height, info.Frames = int(w), int(h), frames
	return info, nil
}

// webpFrames counts the ANMF chunks of an animated WebP, stopping as soon
// as the count passes the limit. As with GIF, a file that ends early after
// one frame keeps the frames seen.
func webpFrames(s *source, lim Limits) (int, error) {
	b, err := s.at(4, 4)
	if err != nil {
		return 0, truncated("WebP", err)
	}
	end := min(8+int64(binary.LittleEndian.Uint32(b)), s.size)
	frames := 0
	for off := int64(12); off+8 <= end; {
		b, err := s.at(off, 8+12) // chunk header and an ANMF frame's geometry
		if err != nil {
			if b, err = s.at(off, 8); err != nil {
				break
			}
		}
		n := int64(binary.LittleEndian.Uint32(b[4:]))
		if string(b[:4]) == "ANMF" {
			if frames++; frames > lim.MaxFrames {
				return 0, lim.tooManyFrames()
			}
			if len(b) == 20 { // X, Y (3 bytes each), width-1, height-1
				if err := lim.checkSize(uint64(le24(b[14:]))+1, uint64(le24(b[17:]))+1); err != nil {
					return 0, err
				}
			}
		}
		off += 8 + n + n&1 // chunks are padded to an even size
	}
	if frames == 0 {
		return 0, vitrine.Errorf(vitrine.EINVALID, "animated WebP has no frames")
	}
	return frames, nil
}

func le24(b []byte) uint32 { return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 }
