package imaging

import "math"

// fitView scales a vw×vh view (the cropped, rotated source) per wid, hei,
// scl and fit (reference notes §1.2 and §1.3, Adobe's r-fit):
//
//   - scl=f: scale 1/f; wid and hei, when given, set the canvas, which crops
//     or pads the scaled image per align.
//   - wid and hei: fit= decides, default fit=fit,0: fit inside and pad to
//     exactly wid×hei. constrain shrinks the reply instead of padding; crop
//     fills wid×hei and cuts the overflow per align; wrap fills and grows the
//     reply instead of cutting; stretch scales x and y independently; hfit
//     and vfit use only the x or the y scale. Without upscale (the second
//     fit value) the scale is capped at 1:1, which pads fit, crop, wrap,
//     stretch, hfit and vfit (constrain alone shrinks its reply instead).
//     docs/image-serving.md, "Upscaling", states the rule whole.
//   - only wid or only hei: the other side follows the aspect ratio, no
//     padding. The scale is capped at 1:1 only if an explicit fit= said so
//     (fit=…,0); a bare wid= is the reply width Scene7 documents.
//   - none: the view, shrunk to fit DefaultPix, never enlarged.
//   - the view here is layer 0 after size= and extend=, so the 1:1 cap is
//     the layer's size, not the source's.
//
// dpr multiplies wid, hei and the scl scale; without them the natural size
// is already the best the source has, and dpr does nothing.
func fitView(r *Request, vw, vh int, d float64, defaultPix [2]int) view {
	fw, fh := float64(vw), float64(vh)
	wid, hei := 0, 0
	if r.wid > 0 {
		wid = dim(float64(r.wid) * d)
	}
	if r.hei > 0 {
		hei = dim(float64(r.hei) * d)
	}
	up := func(s float64) float64 {
		if r.fit != "" && !r.fitUpscale {
			return math.Min(s, 1)
		}
		return s
	}
	switch {
	case r.scl > 0:
		s := d / r.scl
		return padded(dim(fw*s), dim(fh*s), wid, hei, r)
	case wid > 0 && hei > 0:
		return fitBox(r, fw, fh, wid, hei)
	case wid > 0:
		s := up(float64(wid) / fw)
		return exact(dim(fw*s), dim(fh*s))
	case hei > 0:
		s := up(float64(hei) / fh)
		return exact(dim(fw*s), dim(fh*s))
	}
	s := math.Min(1, math.Min(float64(defaultPix[0])/fw, float64(defaultPix[1])/fh))
	return exact(dim(fw*s), dim(fh*s))
}

// fitBox applies a fit mode to a wid×hei box.
func fitBox(r *Request, fw, fh float64, wid, hei int) view {
	xs, ys := float64(wid)/fw, float64(hei)/fh
	up := func(s float64) float64 {
		if !r.fitUpscale { // fit=…,0 is also the default when fit= is absent
			return math.Min(s, 1)
		}
		return s
	}
	switch r.fit {
	case FitConstrain:
		s := up(math.Min(xs, ys))
		return exact(dim(fw*s), dim(fh*s))
	case FitCrop:
		s := up(math.Max(xs, ys))
		return padded(dim(fw*s), dim(fh*s), wid, hei, r)
	case FitWrap:
		// The reply grows to avoid cropping but is never smaller than
		// wid×hei: under the 1:1 cap a small image is padded (r-fit: "If
		// upscaling is disabled, additional whitespace may be present").
		s := up(math.Max(xs, ys))
		iw, ih := dim(fw*s), dim(fh*s)
		return padded(iw, ih, max(wid, iw), max(hei, ih), r)
	case FitStretch:
		// align is ignored with stretch: any padding left by the 1:1 cap is centred.
		centred := *r
		centred.alignH, centred.alignV = 0, 0
		return padded(dim(fw*up(xs)), dim(fh*up(ys)), wid, hei, &centred)
	case FitHFit:
		s := up(xs)
		return padded(dim(fw*s), dim(fh*s), wid, hei, r)
	case FitVFit:
		s := up(ys)
		return padded(dim(fw*s), dim(fh*s), wid, hei, r)
	}
	s := up(math.Min(xs, ys)) // fit=fit
	return padded(dim(fw*s), dim(fh*s), wid, hei, r)
}

// exact is a view whose canvas is the scaled image.
func exact(iw, ih int) view { return view{iw: iw, ih: ih, cw: iw, ch: ih} }

// padded places an iw×ih image on a cw×ch canvas per align: free space is
// padding, negative space is cut. A zero canvas side takes the image's.
func padded(iw, ih, cw, ch int, r *Request) view {
	if cw == 0 {
		cw = iw
	}
	if ch == 0 {
		ch = ih
	}
	return view{iw: iw, ih: ih, cw: cw, ch: ch, ox: alignOffset(cw-iw, r.alignH), oy: alignOffset(ch-ih, r.alignV)}
}

// alignOffset positions an image in free space (negative when it
// overflows): align -1 puts it at the start, 0 in the middle, 1 at the end.
func alignOffset(free int, a float64) int {
	return int(math.Floor(float64(free) * (1 + a) / 2))
}
