package media

import (
	"bytes"
	"encoding/binary"
)

// magic is a signature at a fixed offset and the prober it selects.
type magic struct {
	off   int
	sig   string
	probe prober
}

// magics are the signatures that identify a format on their own (or hand
// over to a prober that checks the rest). Refused formats are listed so the
// error names them; anything unlisted is "not recognized".
var magics = []magic{
	{0, "\xFF\xD8\xFF", probeJPEG},
	{0, "\x89PNG\r\n\x1A\n", probePNG},
	{0, "GIF87a", probeGIF},
	{0, "GIF89a", probeGIF},
	{0, "RIFF", probeRIFF},
	{0, "II*\x00", probeTIFF},
	{0, "MM\x00*", probeTIFF},
	{0, "II+\x00", probeTIFF}, // BigTIFF
	{0, "MM\x00+", probeTIFF},
	{4, "ftyp", probeFtyp},
	{0, "\x1A\x45\xDF\xA3", probeEBML},
	{0, "%PDF-", fixed(pdfInfo)},
	{0, "PK\x03\x04", fixed(zipInfo)},
	{0, "PK\x05\x06", fixed(zipInfo)}, // an empty archive is only its end record
	{0, "OggS\x00", fixed(oggInfo)},

	// Executables: never stored, whatever the name says.
	{0, "\x7FELF", refuse("application/x-executable")},
	{0, "\xFE\xED\xFA\xCE", refuse("application/x-mach-binary")},
	{0, "\xFE\xED\xFA\xCF", refuse("application/x-mach-binary")},
	{0, "\xCE\xFA\xED\xFE", refuse("application/x-mach-binary")},
	{0, "\xCF\xFA\xED\xFE", refuse("application/x-mach-binary")},
	{0, "\xCA\xFE\xBA\xBE", refuse("application/x-mach-binary")}, // also a Java class
	{0, "\x00asm", refuse("application/wasm")},
	{0, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", refuse("application/x-ole-storage")}, // MSI, Office 97

	// Known formats outside the allow-list.
	{0, "8BPS", refuse("image/vnd.adobe.photoshop")},
	{0, "\x00\x00\x00\x0CjXL \r\n\x87\n", refuse("image/jxl")},
	{0, "\xFF\x0A", refuse("image/jxl")},
	{0, "\x00\x00\x00\x0CjP  \r\n\x87\n", refuse("image/jp2")},
	{0, "fLaC", refuse("audio/flac")},
	{0, "FLV\x01", refuse("video/x-flv")},
	{0, "\x00\x00\x01\xBA", refuse("video/mpeg")},
	{0, "\x00\x00\x01\xB3", refuse("video/mpeg")},
	{0, "Rar!\x1A\x07", refuse("application/vnd.rar")},
	{0, "7z\xBC\xAF\x27\x1C", refuse("application/x-7z-compressed")},
	{0, "\x1F\x8B", refuse("application/gzip")},
	{0, "\xFD7zXZ\x00", refuse("application/x-xz")},
	{0, "SQLite format 3\x00", refuse("application/vnd.sqlite3")},
	{0, "wOFF", refuse("font/woff")},
	{0, "wOF2", refuse("font/woff2")},
	{0, "OTTO", refuse("font/otf")},
	{0, "\x00\x01\x00\x00\x00", refuse("font/ttf")},
	{0, "\xFE\xFF", refuse("text/plain; charset=utf-16")},
	{0, "\xFF\xFE", refuse("text/plain; charset=utf-16")},
}

// sniff returns the prober for the signature at the start of the file, or
// nil when there is none and the file can only be text (or nothing).
func sniff(s *source) prober {
	head := s.head
	for _, m := range magics {
		if len(head) >= m.off+len(m.sig) && string(head[m.off:m.off+len(m.sig)]) == m.sig {
			return m.probe
		}
	}
	// Weak signatures: short or common byte pairs that text can also start
	// with, so each is confirmed by more of the header.
	switch {
	case isID3(head):
		return probeID3
	case isQuickTime(head, s.size):
		return fixed(movInfo)
	case isMP3Frame(head):
		return probeMP3Frames
	case isBMP(head):
		return refuse("image/bmp")
	case bytes.HasPrefix(head, []byte("MZ")) && !isText(head[:min(len(head), 64)]):
		// Every PE or DOS header has binary fields in its first 64 bytes;
		// a text file that starts with "MZ" does not.
		return refuse("application/x-msdownload")
	}
	return nil
}

// isQuickTime reports a QuickTime movie written before the ftyp box
// existed: its first atom is one of these, with a size that fits the file
// (0 and 1 mean "to the end" and "64-bit size"). Text that happens to have
// "mdat" at offset 4 gives a size in the gigabytes.
func isQuickTime(h []byte, fileSize int64) bool {
	if len(h) < 8 {
		return false
	}
	switch string(h[4:8]) {
	case "moov", "mdat", "wide", "pnot":
		size := int64(binary.BigEndian.Uint32(h))
		return size <= 1 || (size >= 8 && size <= fileSize)
	}
	return false
}

// isBMP checks the BITMAPFILEHEADER magic and a known DIB header size.
func isBMP(h []byte) bool {
	if len(h) < 18 || h[0] != 'B' || h[1] != 'M' {
		return false
	}
	switch binary.LittleEndian.Uint32(h[14:]) {
	case 12, 40, 52, 56, 64, 108, 124:
		return true
	}
	return false
}
