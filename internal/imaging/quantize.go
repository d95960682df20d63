package imaging

import (
	"strconv"
	"strings"

	"github.com/vitrine/vitrine"
)

// Palette types of quantize= (Adobe's r-is-http-quantize).
const (
	PaletteAdaptive = "adaptive" // an optimal palette for the image
	PaletteWeb      = "web"      // the 216 web-safe colours
	PaletteMac      = "mac"      // the Mac OS system palette
)

// maxQuantizePixels bounds a quantize= reply: Vitrine builds that palette
// itself (libvips' quantiser takes neither a colour count nor forced
// colours), holding the reply's RGBA pixels in memory (briefly twice: the
// copy out of libvips) plus one byte a pixel for the result, about 72 MB at
// the bound, so the planner refuses larger ones with 403 before libvips
// runs (issue 15's work budget).
const maxQuantizePixels = 8_000_000

// Quantize is a parsed quantize=type[,dither[,numColors[,colorList]]].
type Quantize struct {
	Type   string  // adaptive, web or mac
	Dither bool    // diffuse (Floyd–Steinberg); false is off
	Colors int     // 2..256, adaptive only
	Forced []Color // colours an adaptive palette must hold
}

// paletteFormat reports whether quantize= applies to a format: "Used only
// if fmt=gif, fmt=gif-alpha, fmt=png8, or fmt=png8-alpha. Ignored
// otherwise."
func paletteFormat(format string) bool {
	switch format {
	case "gif", "gif-alpha", "png8", "png8-alpha":
		return true
	}
	return false
}

// parseQuantize reads quantize= (r-is-http-quantize). The default,
// adaptive,diffuse,256 with no forced colours, is stored as nil: that is
// libvips' own palette, the one a URL without quantize= gets. numColors
// and the colour list only shape an adaptive palette, so they are dropped
// for web and mac.
func parseQuantize(r *Request, cmd, v string) error {
	parts, err := list(cmd, v, 1, 3+256)
	if err != nil {
		return err
	}
	q := Quantize{Type: strings.ToLower(parts[0]), Dither: true, Colors: 256}
	switch q.Type {
	case PaletteAdaptive, PaletteWeb, PaletteMac:
	default:
		return invalid(cmd, v, "palette type %q is not adaptive, web or mac", parts[0])
	}
	if len(parts) > 1 && parts[1] != "" {
		switch strings.ToLower(parts[1]) {
		case "diffuse":
		case "off":
			q.Dither = false
		default:
			return invalid(cmd, v, "dither %q is not diffuse or off", parts[1])
		}
	}
	if len(parts) > 2 && parts[2] != "" {
		if q.Colors, err = integer(cmd, v, parts[2], 2, 256); err != nil {
			return err
		}
	}
	for _, c := range parts[min(3, len(parts)):] {
		// "RGB values in hex6 format … without 0x prefix. No other color
		// specifiers are permitted."
		if len(c) != 6 || strings.HasPrefix(strings.ToLower(c), "0x") {
			return invalid(cmd, v, "forced colour %q is not hex6 (RRGGBB)", c)
		}
		col, err := parseColor(cmd, c)
		if err != nil {
			return invalid(cmd, v, "forced colour %q is not hex6 (RRGGBB)", c)
		}
		q.Forced = append(q.Forced, col)
	}
	if len(q.Forced) > q.Colors {
		return invalid(cmd, v, "%d forced colours are more than numColors %d", len(q.Forced), q.Colors)
	}
	if q.Type != PaletteAdaptive {
		q.Colors, q.Forced = 0, nil
	}
	r.quantize = &q
	if q.Type == PaletteAdaptive && q.Dither && q.Colors == 256 && len(q.Forced) == 0 {
		r.quantize = nil // the default
	}
	return nil
}

// key is the canonical quantize= value.
func (q *Quantize) key() string {
	var b strings.Builder
	b.WriteString(q.Type)
	if q.Dither {
		b.WriteString(",diffuse")
	} else {
		b.WriteString(",off")
	}
	if q.Type == PaletteAdaptive {
		b.WriteString("," + strconv.Itoa(q.Colors))
		for _, c := range q.Forced {
			b.WriteString("," + c.Hex())
		}
	}
	return b.String()
}

// quantizeFor returns the palette settings a plan uses: nil unless the
// format is a palette one. mac with a transparent format is refused, as
// the reference says ("only supported for GIF and PNG8 formats but not for
// GIF-Alpha and PNG8-Alpha").
func (r *Request) quantizeFor(format string) (*Quantize, error) {
	q := r.quantize
	if q == nil || !paletteFormat(format) {
		return nil, nil
	}
	if q.Type == PaletteMac && formatInfo[format].alpha {
		return nil, vitrine.Errorf(vitrine.EINVALID, "quantize=mac is not available with fmt=%s (only gif and png8)", format)
	}
	return q, nil
}
