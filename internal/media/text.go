package media

import (
	"bytes"
	"unicode/utf8"

	vitrine "github.com/vitrine/vitrine"
)

// textSample is how much of a file must be text for it to count as text.
const textSample = 8 << 10

var utf8BOM = []byte("\xEF\xBB\xBF")

// probeText types a file with no binary signature. Markup is typed by its
// content (HTML refused, SVG, XML); other UTF-8 text by ext, among css, js,
// json and txt, since CSS, JavaScript and JSON have no signature.
func probeText(s *source, ext string) (Info, error) {
	sample := cutSample(s.head, textSample)
	body := bytes.TrimPrefix(s.head, utf8BOM)
	if start := bytes.TrimLeft(body, " \t\r\n\f"); len(start) > 0 && start[0] == '<' {
		// HTML is refused even when it is not UTF-8, so the error names it.
		more := s.size > int64(len(s.head))
		if info, ok, err := probeMarkup(start, more, sample); ok {
			return info, err
		}
	}
	if !isText(sample) {
		return Info{}, notRecognized()
	}
	if info, ok := textByExt[ext]; ok {
		return info, nil
	}
	if ext == "" {
		return Info{}, vitrine.Errorf(vitrine.EUNSUPPORTED, "plain text is allowed only as .css, .js, .json or .txt files")
	}
	return Info{}, vitrine.Errorf(vitrine.EUNSUPPORTED, "plain text is allowed only as .css, .js, .json or .txt files, not as .%s", quoteExt(ext))
}

// cutSample returns the first n bytes of b, dropping a UTF-8 sequence the
// cut splits, so a valid file is not refused for where the sample ends.
func cutSample(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	b = b[:n]
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				b = b[:i]
			}
			break
		}
	}
	return b
}

// isText reports whether b is valid UTF-8 without binary data bytes.
func isText(b []byte) bool {
	return !hasBinaryByte(b) && utf8.Valid(b)
}

// hasBinaryByte reports a "binary data byte" of the WHATWG MIME Sniffing
// standard: a control character other than TAB, LF, FF, CR and ESC. NUL is
// the usual one; the others rule out most binary files that happen to be
// valid UTF-8.
func hasBinaryByte(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\f' && c != '\r' && c != 0x1B {
			return true
		}
	}
	return false
}

// quoteExt keeps a user-supplied extension printable in a message.
func quoteExt(ext string) string {
	if len(ext) > 16 || !isText([]byte(ext)) {
		return "(unprintable)"
	}
	return ext
}
