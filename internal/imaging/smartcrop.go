package imaging

import (
	"image"
	"math"
	"strconv"

	"github.com/vitrine/vitrine"
)

// smartCrop is the crop of an /is/image/{co}/{id}:{crop} URL: the box, in
// upright source pixels, seen as an image of the crop's own size. Every
// modifier of the request applies to that image.
type smartCrop struct {
	box  image.Rectangle
	w, h int
}

// WithSmartCrop returns a copy of the request that renders the smart crop
// c instead of the whole source: c's box scaled to c's size is the image
// the modifiers apply to (wid, hei, crop=, rect=, fmt=, …), so that
// without modifiers the reply is c.Width×c.Height. Call it after checking
// the URL's signature: the signed modifiers do not include the box.
func (r *Request) WithSmartCrop(c vitrine.SmartCrop) *Request {
	cp := *r
	cp.smart = &smartCrop{box: image.Rect(c.Box.X, c.Box.Y, c.Box.X+c.Box.W, c.Box.Y+c.Box.H), w: c.Width, h: c.Height}
	return &cp
}

// SmartCropKey returns what the rendition cache key must add for the
// smart crop (its box and size), "" without one: a moved box never
// serves the old pixels.
func (r *Request) SmartCropKey() string {
	s := r.smart
	if s == nil {
		return ""
	}
	b := s.box
	return "smartcrop=" + strconv.Itoa(b.Min.X) + "," + strconv.Itoa(b.Min.Y) + "," + strconv.Itoa(b.Dx()) + "," +
		strconv.Itoa(b.Dy()) + "," + strconv.Itoa(s.w) + "," + strconv.Itoa(s.h)
}

// size returns the image the modifiers see: the crop's size, or the
// upright source.
func (s *smartCrop) size(w, h int) (int, int) {
	if s == nil {
		return w, h
	}
	return s.w, s.h
}

// toSource maps a rectangle of the crop's image (crop's size) onto the
// upright source: one resize then serves box and modifiers together.
// Parts past the crop's image map past the box, where the source's own
// pixels (or, past the image, the transparent extension) show.
func (s *smartCrop) toSource(r image.Rectangle) image.Rectangle {
	if s == nil {
		return r
	}
	fx := float64(s.box.Dx()) / float64(s.w)
	fy := float64(s.box.Dy()) / float64(s.h)
	x0 := s.box.Min.X + int(math.Round(float64(r.Min.X)*fx))
	y0 := s.box.Min.Y + int(math.Round(float64(r.Min.Y)*fy))
	x1 := s.box.Min.X + int(math.Round(float64(r.Max.X)*fx))
	y1 := s.box.Min.Y + int(math.Round(float64(r.Max.Y)*fy))
	return image.Rect(x0, y0, max(x1, x0+1), max(y1, y0+1))
}
