package imaging

import (
	"strconv"
	"strings"
)

// CacheKey returns the canonical modifier string of the request: presets
// expanded, last command won, names in lower case and in a fixed order,
// values normalised (fmt=jpg is fmt=jpeg is no fmt; bgc=255,255,255 is
// bgc=FFFFFF), and left out: defaults, comments, unknown commands, sig and
// exp, and commands the rest of the request makes moot (fit= and dpr=
// without a size, align= where nothing is padded or cut, bgc= for -alpha
// formats). Equivalent URLs share a key, which is what the render cache,
// the ETag and URL signatures use. The key is itself a valid modifier
// string: Parse(k).CacheKey() == k.
func (r *Request) CacheKey() string {
	var b strings.Builder
	add := func(name, value string) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(name)
		b.WriteByte('=')
		b.WriteString(value)
	}
	if r.wid > 0 {
		add("wid", strconv.Itoa(r.wid))
	}
	if r.hei > 0 {
		add("hei", strconv.Itoa(r.hei))
	}
	if fit := r.fitKey(); fit != "" {
		add("fit", fit)
	}
	if r.scl > 0 {
		add("scl", fmtNum(r.scl))
	}
	if (r.alignH != 0 || r.alignV != 0) && r.aligns() {
		add("align", fmtNum(r.alignH)+","+fmtNum(r.alignV))
	}
	if c := r.crop; c != nil {
		name := "crop"
		if c.normalized {
			name = "cropn"
		}
		add(name, fmtNum(c.x)+","+fmtNum(c.y)+","+fmtNum(c.w)+","+fmtNum(c.h))
	}
	r.layerKey(add)
	if rc := r.rect; rc != nil {
		add("rect", strconv.Itoa(rc[0])+","+strconv.Itoa(rc[1])+","+strconv.Itoa(rc[2])+","+strconv.Itoa(rc[3]))
	}
	if r.rotate != 0 {
		add("rotate", strconv.Itoa(r.rotate))
	}
	if r.flip != "" {
		add("flip", r.flip)
	}
	if r.bgc != nil && !formatInfo[r.Format()].alpha {
		add("bgc", r.bgc.Hex())
	}
	if r.sharpen {
		add("op_sharpen", "1")
	}
	if u := r.usm; u != nil {
		add("op_usm", fmtNum(u.Amount)+","+fmtNum(u.Radius)+","+fmtNum(u.Threshold)+","+bit(u.Monochrome))
	}
	if r.resMode != "" {
		add("resmode", r.resMode)
	}
	if f := r.fmtKey(); f != "" {
		add("fmt", f)
	}
	if q := r.quantize; q != nil && paletteFormat(r.Format()) {
		add("quantize", q.key())
	}
	if r.qlt > 0 {
		add("qlt", strconv.Itoa(r.qlt)+","+bit(r.qltNoChroma))
	}
	if r.dpr > 0 && (r.wid > 0 || r.hei > 0 || r.scl > 0) {
		add("dpr", "on,"+fmtNum(r.dpr))
	}
	if !r.cacheClient || !r.cacheServer {
		add("cache", onOffWord(r.cacheClient)+","+onOffWord(r.cacheServer))
	}
	if r.hasID {
		add("id", escapeValue(r.id))
	}
	if r.hasDefaultImage {
		add("defaultimage", escapeValue(r.defaultImage))
	}
	if r.reqKind != ReqImg {
		v := r.reqKind
		if r.reqFormat != "text" {
			v += "," + r.reqFormat
		}
		add("req", v)
	}
	r.layersKey(add) // last: layer= switches what the commands after it apply to
	return b.String()
}

// fitKey is the fit= value that matters (see fitView): none with scl= or
// without a size; with both sides, anything but the default fit=fit,0;
// with one side, only whether upscaling is capped.
func (r *Request) fitKey() string {
	switch {
	case r.fit == "" || r.scl > 0 || (r.wid == 0 && r.hei == 0):
		return ""
	case r.wid > 0 && r.hei > 0:
		if r.fit == FitFit && !r.fitUpscale {
			return ""
		}
		return r.fit + "," + bit(r.fitUpscale)
	case r.fitUpscale:
		return ""
	}
	return FitFit + ",0"
}

// aligns reports whether align= can move anything: only when the image is
// padded or cut inside a wid×hei box (not with constrain, stretch or an
// upscaling wrap)
// or inside wid/hei around a scl= image.
func (r *Request) aligns() bool {
	if r.scl > 0 {
		return r.wid > 0 || r.hei > 0
	}
	if r.wid == 0 || r.hei == 0 {
		return false
	}
	switch r.fit {
	case FitConstrain, FitStretch:
		return false
	case FitWrap:
		return !r.fitUpscale // only a capped wrap can leave padding to place
	}
	return true
}

func bit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func onOffWord(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// escapeValue percent-encodes what would change the meaning of a free-text
// value inside a modifier string ('%', '&', '=', '+', '#', spaces, control
// and non-ASCII bytes) and keeps everything else readable.
func escapeValue(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("%&=+#", c) >= 0 {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
