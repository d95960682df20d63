package imaging

import (
	"math"
	"strconv"
	"strings"
)

// commands is the table of supported commands, keyed by lower-case name.
// Each entry validates a value and stores it, replacing any earlier one.
// It is written once here and only read afterwards.
var commands = map[string]func(r *Request, cmd, value string) error{
	"wid":          parseWid,
	"hei":          parseHei,
	"scl":          parseScl,
	"fit":          parseFit,
	"align":        parseAlign,
	"crop":         parseCrop,
	"cropn":        parseCropN,
	"rect":         parseRect,
	"size":         parseSize,
	"extend":       parseExtend,
	"extendn":      parseExtendN,
	"bgcolor":      parseBgColor,
	"rotate":       parseRotate,
	"flip":         parseFlip,
	"bgc":          parseBgc,
	"op_sharpen":   parseSharpen,
	"op_usm":       parseUSM,
	"resmode":      parseResMode,
	"fmt":          parseFmt,
	"qlt":          parseQlt,
	"quantize":     parseQuantize,
	"dpr":          parseDPR,
	"cache":        parseCache,
	"id":           parseID,
	"defaultimage": parseDefaultImage,
	"req":          parseReq,
	"sig":          parseSig,
	"exp":          parseExp,
}

func parseWid(r *Request, cmd, v string) (err error) {
	r.wid, err = integer(cmd, v, strings.TrimSpace(v), 1, maxDimension)
	return err
}

func parseHei(r *Request, cmd, v string) (err error) {
	r.hei, err = integer(cmd, v, strings.TrimSpace(v), 1, maxDimension)
	return err
}

func parseScl(r *Request, cmd, v string) error {
	f, err := number(cmd, v, strings.TrimSpace(v), 0, maxDimension)
	if err == nil && f == 0 {
		err = invalid(cmd, v, "must be greater than 0")
	}
	r.scl = f
	return err
}

func parseFit(r *Request, cmd, v string) error {
	parts, err := list(cmd, v, 1, 2)
	if err != nil {
		return err
	}
	switch mode := strings.ToLower(parts[0]); mode {
	case FitFit, FitConstrain, FitCrop, FitWrap, FitStretch, FitHFit, FitVFit:
		r.fit = mode
	default:
		return invalid(cmd, v, "mode %q is not fit, constrain, crop, wrap, stretch, hfit or vfit", parts[0])
	}
	r.fitUpscale = false // the documented default: fit=fit,0
	if len(parts) == 2 {
		r.fitUpscale, err = flag(cmd, v, parts[1])
	}
	return err
}

func parseAlign(r *Request, cmd, v string) error {
	parts, err := list(cmd, v, 2, 2)
	if err != nil {
		return err
	}
	if r.alignH, err = number(cmd, v, parts[0], -1, 1); err != nil {
		return err
	}
	r.alignV, err = number(cmd, v, parts[1], -1, 1)
	return err
}

// parseCrop reads crop=x,y,w,h in source pixels. The rectangle may extend
// past the image (the extension is transparent or bgc), so x and y may be
// negative.
func parseCrop(r *Request, cmd, v string) error {
	parts, err := list(cmd, v, 4, 4)
	if err != nil {
		return err
	}
	if noCrop(parts) {
		r.crop = nil
		return nil
	}
	var n [4]int
	for i, p := range parts {
		lo := -maxDimension
		if i >= 2 {
			lo = 1
		}
		if n[i], err = integer(cmd, v, p, lo, maxDimension); err != nil {
			return err
		}
	}
	r.crop = &region{x: float64(n[0]), y: float64(n[1]), w: float64(n[2]), h: float64(n[3])}
	return nil
}

// noCrop reports a crop of all zeros: sites send crop=0,0,0,0 and
// cropN=0,0,0,0 for "no crop", and Scene7 serves the whole image (live
// behaviour; the reference wants a positive size, docs/image-serving.md).
func noCrop(parts []string) bool {
	for _, p := range parts {
		if f, err := strconv.ParseFloat(strings.TrimSpace(p), 64); err != nil || f != 0 {
			return false
		}
	}
	return true
}

// parseCropN reads cropN=x,y,w,h normalised to the image size (0..1 inside
// the image; values past it extend the crop like crop= does).
func parseCropN(r *Request, cmd, v string) error {
	parts, err := list(cmd, v, 4, 4)
	if err != nil {
		return err
	}
	if noCrop(parts) {
		r.crop = nil
		return nil
	}
	var f [4]float64
	for i, p := range parts {
		if f[i], err = number(cmd, v, p, -10, 10); err != nil {
			return err
		}
	}
	if f[2] <= 0 || f[3] <= 0 {
		return invalid(cmd, v, "width and height must be greater than 0")
	}
	r.crop = &region{x: f[0], y: f[1], w: f[2], h: f[3], normalized: true}
	if *r.crop == (region{w: 1, h: 1, normalized: true}) {
		r.crop = nil // the whole image, which is also the default
	}
	return nil
}

// parseRect reads rect=x,y,w,h in reply pixels. The optional fifth value of
// Scene7 (a scale) is not supported.
func parseRect(r *Request, cmd, v string) error {
	parts, err := list(cmd, v, 4, 4)
	if err != nil {
		return err
	}
	var n [4]int
	for i, p := range parts {
		lo := 0
		if i >= 2 {
			lo = 1
		}
		if n[i], err = integer(cmd, v, p, lo, maxDimension); err != nil {
			return err
		}
	}
	r.rect = &n
	return nil
}

// parseRotate accepts multiples of 90 degrees (clockwise), any sign, and
// stores them in 0..270. Other angles need arbitrary rotation, which v1
// leaves out (notes §3.1).
func parseRotate(r *Request, cmd, v string) error {
	f, err := number(cmd, v, strings.TrimSpace(v), -3600, 3600)
	if err != nil {
		return err
	}
	if f != math.Trunc(f) || int(f)%90 != 0 {
		return invalid(cmd, v, "only multiples of 90 degrees are supported")
	}
	r.rotate = ((int(f) % 360) + 360) % 360
	return nil
}

func parseFlip(r *Request, cmd, v string) error {
	switch s := strings.ToLower(strings.TrimSpace(v)); s {
	case "lr", "ud", "lrud":
		r.flip = s
	case "udlr":
		r.flip = "lrud"
	case "none", "":
		r.flip = ""
	default:
		return invalid(cmd, v, "not lr, ud or lrud")
	}
	return nil
}

func parseBgc(r *Request, cmd, v string) error {
	c, err := parseColor(cmd, v)
	r.bgc = &c
	return err
}

func parseSharpen(r *Request, cmd, v string) (err error) {
	r.sharpen, err = flag(cmd, v, strings.TrimSpace(v))
	return err
}

// parseUSM reads op_usm=amount[,radius[,threshold[,monochrome]]].
func parseUSM(r *Request, cmd, v string) error {
	parts, err := list(cmd, v, 1, 4)
	if err != nil {
		return err
	}
	u := USM{}
	if u.Amount, err = number(cmd, v, parts[0], 0, 5); err != nil {
		return err
	}
	if len(parts) > 1 {
		if u.Radius, err = number(cmd, v, parts[1], 0, 250); err != nil {
			return err
		}
	}
	if len(parts) > 2 {
		if u.Threshold, err = number(cmd, v, parts[2], 0, 255); err != nil {
			return err
		}
	}
	if len(parts) > 3 {
		if u.Monochrome, err = flag(cmd, v, parts[3]); err != nil {
			return err
		}
	}
	r.usm = &u
	if u.Amount == 0 || u.Radius == 0 {
		r.usm = nil // no effect, and the default
	}
	return nil
}
