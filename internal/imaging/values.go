package imaging

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/vitrine/vitrine"
)

// maxDimension bounds every pixel count a URL may carry (wid, hei, crop,
// rect). It only keeps arithmetic far from overflow; the real limits
// (MaxPix, HardMaxPixels) are checked by NewPlan.
const maxDimension = 1_000_000

// invalid returns the EINVALID error for a bad command value. The value is
// quoted and cut short: it comes from the URL and ends up in a response.
func invalid(cmd, value, format string, args ...any) error {
	return vitrine.Errorf(vitrine.EINVALID, "%s=%q: %s", cmd, clip(value), fmt.Sprintf(format, args...))
}

// list splits a comma-separated value and checks its length is in [lo, hi].
func list(cmd, value string, lo, hi int) ([]string, error) {
	parts := strings.Split(value, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	if len(parts) < lo || len(parts) > hi {
		if lo == hi {
			return nil, invalid(cmd, value, "want %d comma-separated values", lo)
		}
		return nil, invalid(cmd, value, "want %d to %d comma-separated values", lo, hi)
	}
	return parts, nil
}

// integer parses a decimal integer in [lo, hi].
func integer(cmd, value, s string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, invalid(cmd, value, "%q is not an integer", s)
	}
	if n < lo || n > hi {
		return 0, invalid(cmd, value, "%d is outside %d..%d", n, lo, hi)
	}
	return n, nil
}

// number parses a finite decimal number in [lo, hi].
func number(cmd, value, s string, lo, hi float64) (float64, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || strings.ContainsAny(s, "xXpP") {
		return 0, invalid(cmd, value, "%q is not a number", s)
	}
	if f < lo || f > hi {
		return 0, invalid(cmd, value, "%s is outside %s..%s", s, fmtNum(lo), fmtNum(hi))
	}
	return f, nil
}

// flag parses 0 or 1.
func flag(cmd, value, s string) (bool, error) {
	switch s {
	case "0":
		return false, nil
	case "1":
		return true, nil
	}
	return false, invalid(cmd, value, "%q is not 0 or 1", s)
}

// onOff parses on or off, case-insensitively.
func onOff(cmd, value, s string) (bool, error) {
	switch strings.ToLower(s) {
	case "on":
		return true, nil
	case "off":
		return false, nil
	}
	return false, invalid(cmd, value, "%q is not on or off", s)
}

// fmtNum formats a number the shortest way, so 2.0 and 2 share a cache key.
func fmtNum(f float64) string {
	if f == 0 {
		return "0" // and not "-0"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// ParseColor parses a Scene7 colour (reference notes §1.3.1): hex6
// RRGGBB or hex8 RRGGBBAA with an optional 0x prefix, gray 0xGG, or decimal
// r,g,b[,a]. Alpha is accepted and dropped: bgc is an opaque background.
// CMYK (k suffix) and source-space (s suffix) colours are not supported.
func ParseColor(s string) (Color, error) {
	return parseColor("bgc", s)
}

func parseColor(cmd, value string) (Color, error) {
	s := strings.TrimSpace(value)
	if strings.Contains(s, ",") {
		parts, err := list(cmd, value, 3, 4)
		if err != nil {
			return Color{}, err
		}
		var v [3]uint8
		for i := range 3 {
			n, err := integer(cmd, value, parts[i], 0, 255)
			if err != nil {
				return Color{}, err
			}
			v[i] = uint8(n)
		}
		if len(parts) == 4 {
			if _, err := integer(cmd, value, parts[3], 0, 255); err != nil {
				return Color{}, err
			}
		}
		return Color{v[0], v[1], v[2]}, nil
	}
	hex, prefixed := strings.CutPrefix(strings.ToLower(s), "0x")
	switch {
	case len(hex) == 2 && prefixed: // gray needs the prefix, or "12" would be ambiguous
		g, ok := hexByte(hex)
		if ok {
			return Color{g, g, g}, nil
		}
	case len(hex) == 6 || len(hex) == 8:
		r, ok1 := hexByte(hex[0:2])
		g, ok2 := hexByte(hex[2:4])
		b, ok3 := hexByte(hex[4:6])
		ok4 := true
		if len(hex) == 8 {
			_, ok4 = hexByte(hex[6:8])
		}
		if ok1 && ok2 && ok3 && ok4 {
			return Color{r, g, b}, nil
		}
	}
	return Color{}, invalid(cmd, value, "not a colour (RRGGBB, RRGGBBAA, 0xGG or r,g,b)")
}

func hexByte(s string) (uint8, bool) {
	n, err := strconv.ParseUint(s, 16, 8)
	return uint8(n), err == nil
}

// Hex returns the colour as RRGGBB, upper case: its canonical form.
func (c Color) Hex() string { return fmt.Sprintf("%02X%02X%02X", c.R, c.G, c.B) }
