package imaging

import (
	"image"
	"math"

	"github.com/vitrine/vitrine"
)

// Limits on what a plan may ask libvips to compute. Replies are bounded by
// MaxPix and HardMaxPixels; the view before rect= may be larger (that is
// what rect= tiles are for) but not without bound.
const (
	MaxSourcePixels = 100_000_000 // sources above it are refused at upload (SPEC §5.1)
	maxViewPixels   = 1 << 28     // scaled image or canvas before rect=
	// maxCropPixels bounds the crop region, extension included: the
	// renderer builds it whole (transparent past the image) and the resize
	// reads all of it, so its area is the work (issue 15, item 3:
	// crop=0,0,100000,99999 kept a worker busy 25 s). No source is larger.
	// See cropBudget for the bound that applies to a given source.
	maxCropPixels = MaxSourcePixels
)

// Source is what a plan needs to know about a stored image: its header.
type Source struct {
	Width, Height int // as stored, before EXIF orientation
	Orientation   int // EXIF orientation 1..8; 0 means 1 (upright)
}

// Upright returns the size of the source once its EXIF orientation is
// applied: orientations 5 to 8 swap width and height.
func (s Source) Upright() (w, h int) {
	if s.Orientation >= 5 && s.Orientation <= 8 {
		return s.Height, s.Width
	}
	return s.Width, s.Height
}

// Layout is the geometry of a reply, in the order the renderer applies it.
type Layout struct {
	// Crop is the source crop in upright source pixels. It may extend past
	// the image; the extension is transparent (bgc for opaque formats).
	Crop image.Rectangle
	// Scaled is the size the crop is resized to, before flip and rotate.
	Scaled image.Point
	Flip   string // "", "lr", "ud" or "lrud"; applied before Rotate
	Rotate int    // 0, 90, 180 or 270 degrees clockwise
	// Offset places the flipped and rotated image in the reply; negative
	// coordinates cut it, free space around it is padded.
	Offset        image.Point
	Width, Height int // the reply
}

// view is the result of scaling and fitting, before rect=.
type view struct {
	iw, ih int // scaled image, after rotation
	cw, ch int // canvas
	ox, oy int // image position on the canvas
}

// computeLayout applies the Scene7 view transform (reference notes §1.2)
// to the source size: crop, flip, rotate, scale or fit, rect; then checks
// the reply against MaxPix, clamping dpr to it as Adobe does. It also
// returns layer 0's size in its own pixels (after size=, extend= and
// rotate=, before the view scales it): the composite's canvas, in which
// the other layers are placed.
func computeLayout(r *Request, src Source, s Settings) (Layout, image.Point, error) {
	w, h := src.Upright()
	if w < 1 || h < 1 {
		return Layout{}, image.Point{}, vitrine.Errorf(vitrine.EINVALID, "source image has no pixels")
	}
	if int64(w)*int64(h) > MaxSourcePixels {
		return Layout{}, image.Point{}, vitrine.Errorf(vitrine.ETOOLARGE, "source image %dx%d is above %d pixels", w, h, MaxSourcePixels)
	}
	srcW, srcH := w, h
	w, h = r.smart.size(w, h)
	crop := cropRect(r.crop, w, h)
	if !crop.Overlaps(image.Rect(0, 0, w, h)) {
		return Layout{}, image.Point{}, vitrine.Errorf(vitrine.EINVALID, "crop %v is outside the %dx%d image", crop, w, h)
	}
	// size= and extend= (layer.go): the region of the source the layer
	// covers, and the layer's own size, which the view fits.
	crop, layer, err := layerRect(r, crop)
	if err != nil {
		return Layout{}, image.Point{}, err
	}
	if !crop.Overlaps(image.Rect(0, 0, w, h)) {
		return Layout{}, image.Point{}, vitrine.Errorf(vitrine.EINVALID, "extend leaves nothing of the %dx%d image", w, h)
	}
	if limit := cropBudget(w, h); int64(crop.Dx())*int64(crop.Dy()) > limit {
		return Layout{}, image.Point{}, vitrine.Errorf(vitrine.EFORBIDDEN, "crop %dx%d is above the limit of %d pixels for this image", crop.Dx(), crop.Dy(), limit)
	}
	vw, vh := layer.X, layer.Y
	d := r.dpr
	if d == 0 || (r.wid == 0 && r.hei == 0 && r.scl == 0) {
		d = 1 // dpr multiplies a requested size; the natural size has none (see fitView)
	}
	l := Layout{Crop: r.smart.toSource(crop), Flip: r.flip, Rotate: r.rotate}
	if limit := cropBudget(srcW, srcH); int64(l.Crop.Dx())*int64(l.Crop.Dy()) > limit {
		return Layout{}, image.Point{}, vitrine.Errorf(vitrine.EFORBIDDEN, "crop %dx%d of the source is above the limit of %d pixels for this image", l.Crop.Dx(), l.Crop.Dy(), limit)
	}
	for try := 0; ; try++ {
		v := fitView(r, vw, vh, d, s.DefaultPix)
		out, off, err := cutRect(r.rect, v, d)
		if err != nil {
			return Layout{}, image.Point{}, err
		}
		if err := checkView(v); err != nil {
			return Layout{}, image.Point{}, err
		}
		over := oversize(out, s.MaxPix)
		if over < 1 && try < 4 && d > 1 {
			// dpr clamps to MaxPix keeping the aspect ratio (notes §1.3, dpr).
			d = math.Max(1, d*over)
			continue
		}
		if over < 1 {
			return Layout{}, image.Point{}, vitrine.Errorf(vitrine.EFORBIDDEN, "reply %dx%d is above the limit of %dx%d and %d pixels",
				out.X, out.Y, s.MaxPix[0], s.MaxPix[1], HardMaxPixels)
		}
		l.Scaled = image.Pt(v.iw, v.ih)
		if r.rotate == 90 || r.rotate == 270 {
			l.Scaled = image.Pt(v.ih, v.iw)
		}
		l.Offset, l.Width, l.Height = off, out.X, out.Y
		return l, layer, nil
	}
}

// cropBudget is the largest crop region, in pixels, for a w×h source:
// four times the image (padding all round), or a largest reply's worth
// (HardMaxPixels) for small images, and never above maxCropPixels. A crop
// at the budget renders in well under a second (about 0.3 s for 25 MP of
// extension, 1 s for 100 MP, on one core).
func cropBudget(w, h int) int64 {
	return min(maxCropPixels, max(4*int64(w)*int64(h), HardMaxPixels))
}

// cropRect resolves crop= or cropN= against the upright source size.
func cropRect(c *region, w, h int) image.Rectangle {
	if c == nil {
		return image.Rect(0, 0, w, h)
	}
	if !c.normalized {
		return image.Rect(int(c.x), int(c.y), int(c.x+c.w), int(c.y+c.h))
	}
	x0, y0 := round(c.x*float64(w)), round(c.y*float64(h))
	x1, y1 := round((c.x+c.w)*float64(w)), round((c.y+c.h)*float64(h))
	return image.Rect(x0, y0, max(x1, x0+1), max(y1, y0+1))
}

// cutRect applies rect= (scaled by dpr) to the view: the reply is its
// intersection with the canvas.
func cutRect(rc *[4]int, v view, d float64) (size, offset image.Point, err error) {
	canvas := image.Rect(0, 0, v.cw, v.ch)
	cut := canvas
	if rc != nil {
		x, y := round(float64(rc[0])*d), round(float64(rc[1])*d)
		cut = image.Rect(x, y, x+dim(float64(rc[2])*d), y+dim(float64(rc[3])*d)).Intersect(canvas)
		if cut.Empty() {
			return image.Point{}, image.Point{}, vitrine.Errorf(vitrine.EINVALID, "rect is outside the %dx%d view", v.cw, v.ch)
		}
	}
	return cut.Size(), image.Pt(v.ox-cut.Min.X, v.oy-cut.Min.Y), nil
}

// checkView refuses views libvips should not even set up.
func checkView(v view) error {
	for _, p := range [][2]int{{v.iw, v.ih}, {v.cw, v.ch}} {
		if p[0] > maxDimension || p[1] > maxDimension || int64(p[0])*int64(p[1]) > maxViewPixels {
			return vitrine.Errorf(vitrine.EFORBIDDEN, "view %dx%d is too large", p[0], p[1])
		}
	}
	return nil
}

// oversize returns 1 when size fits MaxPix and HardMaxPixels, else the
// factor (< 1) both sides must shrink by to fit.
func oversize(size image.Point, maxPix [2]int) float64 {
	f := math.Min(1, math.Min(float64(maxPix[0])/float64(size.X), float64(maxPix[1])/float64(size.Y)))
	if px := float64(size.X) * float64(size.Y); px > HardMaxPixels {
		f = math.Min(f, math.Sqrt(HardMaxPixels/px))
	}
	return f
}

func round(f float64) int { return int(math.Round(f)) }

// dim rounds a size, never below one pixel.
func dim(f float64) int { return max(1, round(f)) }
