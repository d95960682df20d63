package media

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color/palette"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"

	"golang.org/x/image/tiff"
)

// Fixtures are built in code: real encoders where the standard library or
// x/image has one, hand-built headers elsewhere. Each builder documents the
// layout it writes so a failing test can be checked against the format.

func gray(w, h int) *image.Gray {
	m := image.NewGray(image.Rect(0, 0, w, h))
	for i := range m.Pix {
		m.Pix[i] = byte(i * 7)
	}
	return m
}

func encodeJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, gray(w, h), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// jpegSegment is one marker segment: FF, marker, 16-bit length, payload.
func jpegSegment(marker byte, payload []byte) []byte {
	b := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(b[2:], uint16(len(payload)+2))
	return append(b, payload...)
}

// withSegments inserts segments right after SOI, where cameras put EXIF,
// ICC profiles and XMP, pushing the frame header far from the start.
func withSegments(jpg []byte, segs ...[]byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, jpg[2:]...)
}

// bigAPP returns an APPn segment of n payload bytes starting with id.
func bigAPP(marker byte, id string, n int) []byte {
	p := make([]byte, n)
	copy(p, id)
	return jpegSegment(marker, p)
}

func encodePNG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pngChunk is length, type, data, CRC of type and data.
func pngChunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[4:]))
}

// pngHeader is a PNG signature and an IHDR for an 8-bit grayscale image of
// w×h, followed by chunks: a tiny file that claims any size.
func pngHeader(w, h uint32, chunks ...[]byte) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 0, 0, 0, 0)
	b := append([]byte("\x89PNG\r\n\x1A\n"), pngChunk("IHDR", ihdr)...)
	for _, c := range chunks {
		b = append(b, c...)
	}
	return b
}

// actl is an APNG animation control chunk.
func actl(frames uint32) []byte {
	d := binary.BigEndian.AppendUint32(nil, frames)
	return pngChunk("acTL", binary.BigEndian.AppendUint32(d, 0))
}

// withAfterIHDR inserts chunks after the IHDR of an encoded PNG.
func withAfterIHDR(p []byte, chunks ...[]byte) []byte {
	out := append([]byte{}, p[:33]...)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return append(out, p[33:]...)
}

func encodeGIF(t testing.TB, w, h, frames int) []byte {
	t.Helper()
	g := &gif.GIF{}
	for i := range frames {
		m := image.NewPaletted(image.Rect(0, 0, w, h), palette.Plan9)
		m.Pix[0] = byte(i)
		g.Image = append(g.Image, m)
		g.Delay = append(g.Delay, 10)
	}
	var b bytes.Buffer
	if err := gif.EncodeAll(&b, g); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// gifBomb hand-builds a 1×1 GIF89a with n frames: header, logical screen
// with a 2-color table, a NETSCAPE loop extension, then per frame a graphic
// control extension and an image descriptor with the classic one-pixel LZW
// data (min code size 2; clear, 0, end: 44 01), and the trailer.
func gifBomb(n int) []byte {
	b := []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xFF\xFF\xFF")
	b = append(b, "\x21\xFF\x0BNETSCAPE2.0\x03\x01\x00\x00\x00"...)
	frame := []byte("\x21\xF9\x04\x00\x0A\x00\x00\x00" + // GCE: delay 10
		"\x2C\x00\x00\x00\x00\x01\x00\x01\x00\x00" + // descriptor, 1×1
		"\x02\x02\x44\x01\x00") // LZW data
	for range n {
		b = append(b, frame...)
	}
	return append(b, 0x3B)
}

// riff wraps chunks in a RIFF container of the given form type.
func riff(form string, chunks ...[]byte) []byte {
	var body []byte
	for _, c := range chunks {
		body = append(body, c...)
	}
	b := []byte("RIFF")
	b = binary.LittleEndian.AppendUint32(b, uint32(4+len(body)))
	b = append(b, form...)
	return append(b, body...)
}

// riffChunk is a fourcc, a little-endian size and the data, padded to even.
func riffChunk(fourcc string, data []byte) []byte {
	b := append([]byte(fourcc), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
	b = append(b, data...)
	if len(data)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

func le24b(v uint32) []byte { return []byte{byte(v), byte(v >> 8), byte(v >> 16)} }

// webpVP8 is a lossy WebP: a key frame tag (first partition of 0 bytes),
// the start code 9D 01 2A, 14-bit width and height, then filler.
func webpVP8(w, h uint16) []byte {
	d := []byte{0x10, 0x00, 0x00, 0x9D, 0x01, 0x2A}
	d = binary.LittleEndian.AppendUint16(d, w)
	d = binary.LittleEndian.AppendUint16(d, h)
	d = append(d, make([]byte, 16)...)
	return riff("WEBP", riffChunk("VP8 ", d))
}

// vp8lChunk is a lossless bitstream header: 0x2F, then width-1 and
// height-1 in 14 bits each, alpha and a zero version.
func vp8lChunk(w, h uint32) []byte {
	v := (w - 1) | (h-1)<<14 | 1<<28
	return riffChunk("VP8L", append([]byte{0x2F}, binary.LittleEndian.AppendUint32(nil, v)...))
}

// vp8x is the extended header: flags, 3 reserved bytes, canvas width-1
// and height-1 in 24 bits each.
func vp8x(flags byte, w, h uint32) []byte {
	d := append([]byte{flags, 0, 0, 0}, le24b(w-1)...)
	return riffChunk("VP8X", append(d, le24b(h-1)...))
}

// webpAnimated is an animated WebP of n w×h frames: VP8X with the
// animation flag, ANIM, then n ANMF chunks each holding a VP8L frame.
func webpAnimated(w, h uint32, n int) []byte {
	chunks := [][]byte{vp8x(0x02|0x10, w, h), riffChunk("ANIM", make([]byte, 6))}
	frame := append(make([]byte, 6), le24b(w-1)...) // X, Y, then width-1
	frame = append(frame, le24b(h-1)...)
	frame = append(frame, 100, 0, 0, 0) // duration, flags
	frame = append(frame, vp8lChunk(w, h)...)
	anmf := riffChunk("ANMF", frame)
	for range n {
		chunks = append(chunks, anmf)
	}
	return riff("WEBP", chunks...)
}

func encodeTIFF(t testing.TB, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := tiff.Encode(&b, gray(w, h), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// tiffBE is a big-endian TIFF whose first IFD holds only a LONG
// ImageWidth and a SHORT ImageLength.
func tiffBE(w uint32, h uint16) []byte {
	b := []byte("MM\x00\x2A\x00\x00\x00\x08\x00\x02")
	b = append(b, 0x01, 0x00, 0x00, 0x04, 0, 0, 0, 1) // 256, LONG, count 1
	b = binary.BigEndian.AppendUint32(b, w)
	b = append(b, 0x01, 0x01, 0x00, 0x03, 0, 0, 0, 1) // 257, SHORT, count 1
	b = binary.BigEndian.AppendUint16(b, h)
	return append(b, 0, 0, 0, 0, 0, 0) // padding, next IFD 0
}

// bigTIFF is a little-endian BigTIFF with LONG8 sizes.
func bigTIFF(w, h uint64) []byte {
	b := []byte("II\x2B\x00\x08\x00\x00\x00")
	b = binary.LittleEndian.AppendUint64(b, 16)
	b = binary.LittleEndian.AppendUint64(b, 2)
	for i, v := range []uint64{w, h} {
		b = binary.LittleEndian.AppendUint16(b, uint16(256+i))
		b = binary.LittleEndian.AppendUint16(b, 16)
		b = binary.LittleEndian.AppendUint64(b, 1)
		b = binary.LittleEndian.AppendUint64(b, v)
	}
	return binary.LittleEndian.AppendUint64(b, 0)
}

// isoBox is a 32-bit size, a type and a body.
func isoBox(typ string, body ...[]byte) []byte {
	var data []byte
	for _, b := range body {
		data = append(data, b...)
	}
	b := binary.BigEndian.AppendUint32(nil, uint32(8+len(data)))
	return append(append(b, typ...), data...)
}

// fullBox is a box whose body starts with version and 24 bits of flags.
func fullBox(typ string, version byte, flags uint32, body ...[]byte) []byte {
	vf := []byte{version, byte(flags >> 16), byte(flags >> 8), byte(flags)}
	return isoBox(typ, append([][]byte{vf}, body...)...)
}

func ftyp(major string, compat ...string) []byte {
	b := []byte(major + "\x00\x00\x00\x00")
	for _, c := range compat {
		b = append(b, c...)
	}
	return isoBox("ftyp", b)
}

func u16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }
func u32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

func ispe(w, h uint32) []byte { return fullBox("ispe", 0, 0, u32(w), u32(h)) }

// avif builds a still AVIF: ftyp, then meta with hdlr, pitm naming item
// primary, and iprp holding the properties and an ipma (version 0, 7-bit
// indices) associating each item with its listed property indices.
func avif(primary uint16, props [][]byte, assoc map[uint16][]byte) []byte {
	var ipma []byte
	ipma = append(ipma, u32(uint32(len(assoc)))...)
	for item := uint16(1); item <= uint16(len(assoc)); item++ {
		ipma = append(ipma, u16(item)...)
		ipma = append(ipma, byte(len(assoc[item])))
		ipma = append(ipma, assoc[item]...)
	}
	meta := fullBox("meta", 0, 0,
		fullBox("hdlr", 0, 0, make([]byte, 4), []byte("pict"), make([]byte, 13)),
		fullBox("pitm", 0, 0, u16(primary)),
		isoBox("iprp", isoBox("ipco", props...), fullBox("ipma", 0, 0, ipma)))
	return append(append(ftyp("avif", "avif", "mif1", "miaf"), meta...), isoBox("mdat", make([]byte, 32))...)
}

// avifWide is avif with an ipma of version 1 and flag 1: 32-bit item IDs
// and 15-bit property indices, as large files need.
func avifWide(primary uint32, props [][]byte, assoc map[uint32][]uint16) []byte {
	ipma := u32(uint32(len(assoc)))
	for item := uint32(1); item <= uint32(len(assoc)); item++ {
		ipma = append(ipma, u32(item)...)
		ipma = append(ipma, byte(len(assoc[item])))
		for _, idx := range assoc[item] {
			ipma = append(ipma, u16(idx)...)
		}
	}
	meta := fullBox("meta", 0, 0,
		fullBox("pitm", 1, 0, u32(primary)),
		isoBox("iprp", isoBox("ipco", props...), fullBox("ipma", 1, 1, ipma)))
	return append(ftyp("avif", "avif", "mif1"), meta...)
}

// ebml is an EBML header with the given DocType, then a Segment start.
func ebml(docType string) []byte {
	body := []byte{0x42, 0x86, 0x81, 0x01, 0x42, 0xF7, 0x81, 0x01, 0x42, 0xF2, 0x81, 0x04, 0x42, 0xF3, 0x81, 0x08}
	body = append(body, 0x42, 0x82, 0x80|byte(len(docType)))
	body = append(body, docType...)
	body = append(body, 0x42, 0x87, 0x81, 0x04, 0x42, 0x85, 0x81, 0x02)
	b := append([]byte{0x1A, 0x45, 0xDF, 0xA3, 0x80 | byte(len(body))}, body...)
	return append(b, 0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF)
}

// mp3Frames is n MPEG-1 Layer III frames at 128 kbit/s, 44.1 kHz: 417 bytes each.
func mp3Frames(n int) []byte {
	var b []byte
	for range n {
		f := make([]byte, 417)
		copy(f, "\xFF\xFB\x90\x64")
		b = append(b, f...)
	}
	return b
}

// id3 is an ID3v2.4 tag of 20 bytes of padding.
func id3() []byte { return []byte("ID3\x04\x00\x00\x00\x00\x00\x14" + string(make([]byte, 20))) }

func encodeZip(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for name, body := range files {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func wav() []byte {
	fmtChunk := []byte{1, 0, 1, 0, 0x44, 0xAC, 0, 0, 0x88, 0x58, 1, 0, 2, 0, 16, 0}
	return riff("WAVE", riffChunk("fmt ", fmtChunk), riffChunk("data", make([]byte, 8)))
}

func ogg() []byte {
	return append([]byte("OggS\x00\x02"), make([]byte, 40)...)
}

func solidRGBA(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range m.Pix {
		m.Pix[i] = byte(i)
	}
	return m
}
