package imaging

import (
	"encoding/binary"
	"math"
	"strings"
	"unicode/utf16"
)

// printRes converts libvips' horizontal resolution (pixels per millimetre)
// to pixels per inch for image.printRes. libvips reports 1 px/mm for a
// file that records no resolution; that is "unknown", 0.
func printRes(pxPerMM float64) int {
	if pxPerMM <= 1 || math.IsNaN(pxPerMM) || math.IsInf(pxPerMM, 0) {
		return 0
	}
	return int(math.Round(pxPerMM * 25.4))
}

// iccDescription reads the profile description ('desc' tag) of an ICC
// profile, the name Scene7 reports as image.iccProfile: ICC v2's
// textDescriptionType (ASCII) or v4's multiLocalizedUnicodeType (first
// record, UTF-16BE). Anything malformed gives "".
func iccDescription(p []byte) string {
	if len(p) < 132 {
		return ""
	}
	n := binary.BigEndian.Uint32(p[128:])
	for i := uint32(0); i < n && i < 1024; i++ {
		at := 132 + int(i)*12
		if at+12 > len(p) {
			return ""
		}
		if string(p[at:at+4]) != "desc" {
			continue
		}
		off, size := int(binary.BigEndian.Uint32(p[at+4:])), int(binary.BigEndian.Uint32(p[at+8:]))
		if off < 0 || size < 12 || off+size > len(p) || off+size < off {
			return ""
		}
		return clean(tagText(p[off : off+size]))
	}
	return ""
}

// tagText decodes a 'desc' or 'mluc' tag body.
func tagText(t []byte) string {
	switch string(t[:4]) {
	case "desc":
		n := int(binary.BigEndian.Uint32(t[8:]))
		if n <= 0 || 12+n > len(t) {
			return ""
		}
		return strings.TrimRight(string(t[12:12+n]), "\x00")
	case "mluc":
		if len(t) < 28 || binary.BigEndian.Uint32(t[8:]) == 0 {
			return ""
		}
		n, off := int(binary.BigEndian.Uint32(t[20:])), int(binary.BigEndian.Uint32(t[24:]))
		if n <= 0 || off < 0 || off+n > len(t) || n%2 != 0 {
			return ""
		}
		u := make([]uint16, n/2)
		for i := range u {
			u[i] = binary.BigEndian.Uint16(t[off+2*i:])
		}
		return string(utf16.Decode(u))
	}
	return ""
}

// clean keeps a description printable and short: it goes into a
// properties line.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == 0xfffd {
			return -1
		}
		return r
	}, s)
	if len(s) > 256 {
		s = strings.ToValidUTF8(s[:256], "")
	}
	return strings.TrimSpace(s)
}
