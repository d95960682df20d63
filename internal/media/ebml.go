package media

import (
	"math/bits"
	"strings"
)

// ebmlDocType is the ID of the DocType element of an EBML header.
const ebmlDocType = 0x4282

// probeEBML reads the DocType of an EBML header (RFC 8794), which tells
// WebM from Matroska. The header is a few dozen bytes, so it is parsed
// from the head alone.
func probeEBML(s *source, _ Limits) (Info, error) {
	h := s.head[4:]
	size, n, ok := vint(h, false)
	if !ok {
		return Info{}, ebmlShort(s, "header size")
	}
	body := h[n:]
	if size > uint64(len(body)) {
		return Info{}, ebmlShort(s, "header")
	}
	body = body[:size]
	docType := "matroska" // the default when the element is absent
	for len(body) > 0 {
		id, n, ok := vint(body, true)
		if !ok {
			return Info{}, corrupt("WebM", "bad element ID")
		}
		body = body[n:]
		size, n, ok := vint(body, false)
		if !ok || size > uint64(len(body)-n) {
			return Info{}, corrupt("WebM", "element 0x%X overruns the header", id)
		}
		body = body[n:]
		if id == ebmlDocType {
			docType = strings.TrimRight(string(body[:size]), "\x00")
		}
		body = body[size:]
	}
	switch docType {
	case "webm":
		return webmInfo, nil
	case "matroska":
		return mkvInfo, nil
	}
	return Info{}, notAllowed("EBML document " + quoteShort(docType))
}

// ebmlShort reports a header cut short: truncation when the file ends
// there, corruption when it is simply larger than any real header.
func ebmlShort(s *source, what string) error {
	if int64(len(s.head)) == s.size {
		return truncated("WebM", errShort)
	}
	return corrupt("WebM", "%s too large", what)
}

// vint decodes an EBML variable-size integer: the number of leading zero
// bits of the first byte gives the length. Element IDs keep their length
// marker bit; sizes do not.
func vint(b []byte, keepMarker bool) (v uint64, n int, ok bool) {
	if len(b) == 0 || b[0] == 0 {
		return 0, 0, false
	}
	n = bits.LeadingZeros8(b[0]) + 1
	if len(b) < n {
		return 0, 0, false
	}
	v = uint64(b[0])
	if !keepMarker {
		v &= 0xFF >> n
	}
	for _, c := range b[1:n] {
		v = v<<8 | uint64(c)
	}
	return v, n, true
}
