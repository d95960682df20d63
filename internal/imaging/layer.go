package imaging

import (
	"image"
	"math"
	"strconv"
	"strings"

	"github.com/vitrine/vitrine"
)

// The layer commands shape layer 0 before the view fits it into wid/hei
// (reference notes §1.2: crop → flip → rotate → extend → … → scale or
// fit): size= sizes it, extend= grows or trims its rectangle, bgColor=
// fills its transparent areas.

// margins is an extend= or extendN= value: left, top, right, bottom, in
// layer pixels or relative to the layer's size.
type margins struct {
	l, t, r, b float64
	normalized bool
}

// parseExtend reads extend=left,top,right,bottom (Adobe's r-extend):
// pixels to add to, or with negative values remove from, each edge.
func parseExtend(r *Request, cmd, v string) error {
	parts, err := list(cmd, v, 4, 4)
	if err != nil {
		return err
	}
	var n [4]int
	for i, p := range parts {
		if n[i], err = integer(cmd, v, p, -maxDimension, maxDimension); err != nil {
			return err
		}
	}
	r.extend = &margins{l: float64(n[0]), t: float64(n[1]), r: float64(n[2]), b: float64(n[3])}
	if n == [4]int{} {
		r.extend = nil // the default, extend=0,0,0,0
	}
	return nil
}

// parseExtendN reads extendN=, the same edges relative to the layer's size
// after its transforms.
func parseExtendN(r *Request, cmd, v string) error {
	parts, err := list(cmd, v, 4, 4)
	if err != nil {
		return err
	}
	var f [4]float64
	for i, p := range parts {
		if f[i], err = number(cmd, v, p, -10, 10); err != nil {
			return err
		}
	}
	r.extend = &margins{l: f[0], t: f[1], r: f[2], b: f[3], normalized: true}
	if f == [4]float64{} {
		r.extend = nil
	}
	return nil
}

// parseSize reads size=w,h (Adobe's r-size): the layer's size in pixels, 0
// for a side that follows the aspect ratio; size=0,0 is the default.
func parseSize(r *Request, cmd, v string) error {
	parts, err := list(cmd, v, 2, 2)
	if err != nil {
		return err
	}
	var n [2]int
	for i, p := range parts {
		if n[i], err = integer(cmd, v, p, 0, maxDimension); err != nil {
			return err
		}
	}
	r.size = n
	return nil
}

// parseBgColor reads bgColor= (Adobe's r-bgcolor), the layer's background:
// any colour form bgc= takes, alpha included. Fully transparent, the
// default, is stored as nil. Semi-transparent colours are not supported.
func parseBgColor(r *Request, cmd, v string) error {
	c, a, err := parseColorAlpha(cmd, v)
	if err != nil {
		return err
	}
	switch a {
	case 0:
		r.bgColor = nil
	case 255:
		r.bgColor = &c
	default:
		return invalid(cmd, v, "a semi-transparent layer colour is not supported (alpha 0 or FF)")
	}
	return nil
}

// parseColorAlpha is parseColor keeping the alpha: hex8 RRGGBBAA or
// r,g,b,a; 255 when the colour has none.
func parseColorAlpha(cmd, value string) (Color, uint8, error) {
	c, err := parseColor(cmd, value)
	if err != nil {
		return c, 0, err
	}
	s := strings.ToLower(strings.TrimSpace(value))
	if parts := strings.Split(s, ","); len(parts) == 4 {
		a, _ := strconv.Atoi(strings.TrimSpace(parts[3])) // checked by parseColor
		return c, uint8(a), nil
	}
	if hex := strings.TrimPrefix(s, "0x"); len(hex) == 8 {
		a, _ := hexByte(hex[6:8])
		return c, a, nil
	}
	return c, 255, nil
}

// layerKey writes the canonical size=, extend= and bgColor= values.
func (r *Request) layerKey(add func(name, value string)) {
	if r.size != [2]int{} {
		add("size", strconv.Itoa(r.size[0])+","+strconv.Itoa(r.size[1]))
	}
	if e := r.extend; e != nil {
		name := "extend"
		if e.normalized {
			name = "extendn"
		}
		add(name, fmtNum(e.l)+","+fmtNum(e.t)+","+fmtNum(e.r)+","+fmtNum(e.b))
	}
	if r.bgColor != nil {
		add("bgcolor", r.bgColor.Hex())
	}
}

// layerRect applies size= and extend= to the cropped source. crop is in
// upright source pixels; the layer is crop after flip and rotate. It
// returns the source region the layer covers (extend= grows or trims the
// crop, in source pixels) and the layer's size in its own pixels, which
// the view then fits. Extension margins are in layer pixels (after
// size=), as the reference's example size=200,0&extend=0,30,0,0 (a 30 px
// margin over a 200 px wide image) shows; in source pixels they are
// rounded, so a margin may be off by a pixel once scaled.
func layerRect(r *Request, crop image.Rectangle) (image.Rectangle, image.Point, error) {
	cw, ch := crop.Dx(), crop.Dy()
	if r.rotate == 90 || r.rotate == 270 {
		cw, ch = ch, cw
	}
	sw, sh := float64(cw), float64(ch)
	switch w, h := r.size[0], r.size[1]; {
	case w > 0 && h > 0:
		sw, sh = float64(w), float64(h)
	case w > 0:
		sw, sh = float64(w), float64(w)*float64(ch)/float64(cw)
	case h > 0:
		sw, sh = float64(h)*float64(cw)/float64(ch), float64(h)
	}
	sx, sy := sw/float64(cw), sh/float64(ch)
	e := margins{}
	if r.extend != nil {
		e = *r.extend
		if e.normalized {
			e = margins{l: e.l * sw, t: e.t * sh, r: e.r * sw, b: e.b * sh}
		}
	}
	lw, lh := round(sw+e.l+e.r), round(sh+e.t+e.b)
	if lw < 1 || lh < 1 {
		return image.Rectangle{}, image.Point{}, vitrine.Errorf(vitrine.EINVALID, "extend trims the whole %dx%d layer", round(sw), round(sh))
	}
	// Margins in source pixels, in the layer's frame (after flip and
	// rotate), then back through rotate and flip to the source's frame.
	m := [4]int{round(e.l / sx), round(e.t / sy), round(e.r / sx), round(e.b / sy)} // l, t, r, b
	switch r.rotate {
	case 90: // the layer's top was the source's left, its right the source's top
		m = [4]int{m[1], m[2], m[3], m[0]}
	case 180:
		m = [4]int{m[2], m[3], m[0], m[1]}
	case 270:
		m = [4]int{m[3], m[0], m[1], m[2]}
	}
	if strings.Contains(r.flip, "lr") {
		m[0], m[2] = m[2], m[0]
	}
	if strings.Contains(r.flip, "ud") {
		m[1], m[3] = m[3], m[1]
	}
	region := image.Rect(crop.Min.X-m[0], crop.Min.Y-m[1], crop.Max.X+m[2], crop.Max.Y+m[3])
	if region.Dx() < 1 || region.Dy() < 1 || math.IsNaN(sx) {
		return image.Rectangle{}, image.Point{}, vitrine.Errorf(vitrine.EINVALID, "extend trims the whole image")
	}
	return region, image.Pt(lw, lh), nil
}
