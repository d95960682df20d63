package media

import (
	"bytes"
	"math"
	"strconv"
	"strings"
)

// svgUnits converts the absolute CSS units an SVG may give its size in to
// pixels (CSS: 96 px to the inch). Relative units (%, em) give no size.
var svgUnits = map[string]float64{
	"": 1, "px": 1, "pt": 96.0 / 72, "pc": 16, "in": 96, "cm": 96 / 2.54, "mm": 96 / 25.4,
}

// svgSize reads the intrinsic size of an SVG from the attributes of its
// root element: width and height, completed from the viewBox's aspect
// ratio when one is missing, or the viewBox alone. 0×0 when none say.
func svgSize(attrs []byte) (w, h int) {
	fw, okW := svgLength(attr(attrs, "width"))
	fh, okH := svgLength(attr(attrs, "height"))
	vw, vh, okV := viewBox(attr(attrs, "viewBox"))
	switch {
	case okW && okH:
	case okV && okW:
		fh = fw * vh / vw
	case okV && okH:
		fw = fh * vw / vh
	case okV:
		fw, fh = vw, vh
	default:
		return 0, 0
	}
	if w, h = pixels(fw), pixels(fh); w == 0 || h == 0 {
		return 0, 0
	}
	return w, h
}

// pixels rounds a length up to whole pixels, at least 1, within a sane
// range (an SVG saying 1e300 is not an image size).
func pixels(v float64) int {
	if !(v > 0) || v > 1<<30 {
		return 0
	}
	return max(1, int(math.Ceil(v-1e-6)))
}

// svgLength parses a width or height: a positive number and an absolute unit.
func svgLength(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r == '.' || r == '-' || r == '+' || r == 'e' || r == 'E')
	})
	if i < 0 {
		i = len(s)
	}
	scale, ok := svgUnits[strings.ToLower(strings.TrimSpace(s[i:]))]
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseFloat(s[:i], 64)
	if err != nil || !(v > 0) || math.IsInf(v, 0) {
		return 0, false
	}
	return v * scale, true
}

// viewBox parses "min-x min-y width height", separated by spaces or commas.
func viewBox(s string) (w, h float64, ok bool) {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' || r == '\n' || r == '\r' })
	if len(f) != 4 {
		return 0, 0, false
	}
	w, errW := strconv.ParseFloat(f[2], 64)
	h, errH := strconv.ParseFloat(f[3], 64)
	if errW != nil || errH != nil || !(w > 0) || !(h > 0) || math.IsInf(w, 0) || math.IsInf(h, 0) {
		return 0, 0, false
	}
	return w, h, true
}

// attr returns the value of the attribute called name in the attributes of
// a start tag, or "". Names are case-sensitive, as in XML.
func attr(attrs []byte, name string) string {
	b := attrs
	for {
		b = bytes.TrimLeft(b, " \t\r\n\f/")
		if len(b) == 0 || b[0] == '>' {
			return ""
		}
		i := bytes.IndexAny(b, "= \t\r\n\f>")
		if i < 0 {
			return ""
		}
		key := b[:i]
		b = bytes.TrimLeft(b[i:], " \t\r\n\f")
		if len(b) == 0 || b[0] != '=' {
			if i == 0 {
				b = b[1:] // a stray character; step over it
			}
			continue // an attribute without value
		}
		b = bytes.TrimLeft(b[1:], " \t\r\n\f")
		var val []byte
		if len(b) > 0 && (b[0] == '"' || b[0] == '\'') {
			end := bytes.IndexByte(b[1:], b[0])
			if end < 0 {
				return ""
			}
			val, b = b[1:1+end], b[2+end:]
		} else {
			end := bytes.IndexAny(b, " \t\r\n\f>")
			if end < 0 {
				end = len(b)
			}
			val, b = b[:end], b[end:]
		}
		if string(key) == name {
			return string(val)
		}
	}
}
