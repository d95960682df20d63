package imaging

import (
	"image"
	"math"

	"github.com/davidbyttow/govips/v2/vips"
)

// cropSource applies crop=/cropN=. The planned rectangle is in upright
// source pixels; the loaded image may be shrunk, so it is scaled first. The
// part of the rectangle outside the image becomes transparent (reference
// notes: "the extension is transparent, or bgColor"), which the canvas and
// flatten steps turn into bgc for opaque formats.
func cropSource(st *state) error {
	img := st.img
	bounds := image.Rect(0, 0, img.Width(), img.Height())
	want := scaleRect(st.plan.Crop, st.loadScaleX, st.loadScaleY)
	if want == bounds {
		return nil
	}
	// The plan checked the crop overlaps the image; keep at least a pixel
	// of overlap after shrink-on-load rounding.
	want.Max.X, want.Max.Y = max(want.Max.X, 1), max(want.Max.Y, 1)
	want.Min.X, want.Min.Y = min(want.Min.X, bounds.Max.X-1), min(want.Min.Y, bounds.Max.Y-1)
	inner := want.Intersect(bounds)
	if inner != bounds {
		if err := img.ExtractArea(inner.Min.X, inner.Min.Y, inner.Dx(), inner.Dy()); err != nil {
			return err
		}
	}
	if inner == want {
		return nil
	}
	// Transparent extension: all bands 0, alpha included.
	if err := img.AddAlpha(); err != nil {
		return err
	}
	return img.Embed(inner.Min.X-want.Min.X, inner.Min.Y-want.Min.Y, want.Dx(), want.Dy(), vips.ExtendBlack)
}

// scaleRect maps a rectangle of upright source pixels onto the loaded
// image, never to less than one pixel.
func scaleRect(r image.Rectangle, sx, sy float64) image.Rectangle {
	if sx == 1 && sy == 1 {
		return r
	}
	x0, y0 := int(math.Round(float64(r.Min.X)*sx)), int(math.Round(float64(r.Min.Y)*sy))
	x1, y1 := int(math.Round(float64(r.Max.X)*sx)), int(math.Round(float64(r.Max.Y)*sy))
	return image.Rect(x0, y0, max(x1, x0+1), max(y1, y0+1))
}
