package imaging

import (
	"encoding/binary"
	"errors"
)

// stripWebP removes the EXIF, XMP and ICCP chunks of an extended WebP file
// and clears their flags. libvips 8.14's webpsave ignores strip and always
// writes an EXIF chunk (libvips issue #3340), so replies are cleaned here.
func stripWebP(b []byte) ([]byte, error) {
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WEBP" {
		return nil, errors.New("not a WebP file")
	}
	if len(b) < 30 || string(b[12:16]) != "VP8X" {
		return b, nil // simple format: one image chunk, no metadata
	}
	out := make([]byte, 12, len(b))
	copy(out, b[:12])
	for i := 12; i < len(b); {
		if i+8 > len(b) {
			return nil, errors.New("truncated WebP chunk header")
		}
		size := int(binary.LittleEndian.Uint32(b[i+4:]))
		end := i + 8 + size + size&1 // chunks are padded to even sizes
		if size < 0 || end > len(b) {
			return nil, errors.New("truncated WebP chunk")
		}
		switch string(b[i : i+4]) {
		case "EXIF", "XMP ", "ICCP":
		default:
			out = append(out, b[i:end]...)
		}
		i = end
	}
	const iccFlag, exifFlag, xmpFlag = 0x20, 0x08, 0x04
	out[20] &^= iccFlag | exifFlag | xmpFlag // first byte of the VP8X payload
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out, nil
}
