package media

import (
	"math"
	"math/bits"
	"strconv"

	vitrine "github.com/vitrine/vitrine"
)

// Limits bounds the images Probe accepts (SPEC §5.1: sources above 100 MP or
// with more than 1000 animation frames are refused at upload). A zero field
// takes its default, so a zero Limits is never "no limit".
type Limits struct {
	MaxPixels int64 // width × height of the image (and of every frame)
	MaxSide   int   // width and height, each
	MaxFrames int   // frames of an animation
}

// DefaultLimits returns the limits of the spec: 100 megapixels, 16383 pixels
// a side (the largest WebP, and what libvips renders without tiling tricks)
// and 1000 frames.
func DefaultLimits() Limits {
	return Limits{MaxPixels: 100_000_000, MaxSide: 16383, MaxFrames: 1000}
}

// withDefaults fills the zero (or negative) fields of l from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxPixels <= 0 {
		l.MaxPixels = d.MaxPixels
	}
	if l.MaxSide <= 0 {
		l.MaxSide = d.MaxSide
	}
	if l.MaxFrames <= 0 {
		l.MaxFrames = d.MaxFrames
	}
	return l
}

// checkImage validates the dimensions of an image's canvas: both at least 1
// and within the limits. Headers give sizes as up to 32-bit unsigned
// numbers, hence uint64.
func (l Limits) checkImage(w, h uint64) error {
	if w == 0 || h == 0 {
		return vitrine.Errorf(vitrine.EINVALID, "image is %d×%d; width and height must be at least 1", w, h)
	}
	return l.checkSize(w, h)
}

// checkSize reports ETOOLARGE when w×h is above the limits. Pixels are
// checked first because that is the limit users know (SPEC §5.1). The
// product saturates instead of overflowing, so a header claiming 2³²×2³²
// is still "too large".
func (l Limits) checkSize(w, h uint64) error {
	hi, px := bits.Mul64(w, h)
	if hi != 0 || px > uint64(l.MaxPixels) {
		if hi != 0 {
			px = math.MaxUint64
		}
		return vitrine.Errorf(vitrine.ETOOLARGE, "image is %d×%d (%s megapixels); the limit is %s megapixels",
			w, h, megapixels(px, math.Ceil), megapixels(uint64(l.MaxPixels), math.Floor))
	}
	if w > uint64(l.MaxSide) || h > uint64(l.MaxSide) {
		return vitrine.Errorf(vitrine.ETOOLARGE, "image is %d×%d; the limit is %d pixels a side", w, h, l.MaxSide)
	}
	return nil
}

// checkFrames reports ETOOLARGE when an animation declares n frames.
func (l Limits) checkFrames(n uint64) error {
	if n > uint64(l.MaxFrames) {
		return vitrine.Errorf(vitrine.ETOOLARGE, "animation has %d frames; the limit is %d", n, l.MaxFrames)
	}
	return nil
}

// tooManyFrames is the error of a frame walk stopped as soon as it passed
// the limit: the real count is unknown, and finding it is the work the
// limit exists to avoid.
func (l Limits) tooManyFrames() error {
	return vitrine.Errorf(vitrine.ETOOLARGE, "animation has more than %d frames; the limit is %d", l.MaxFrames, l.MaxFrames)
}

// megapixels formats px in megapixels with one decimal, rounded with round
// so that a value just above a limit never prints as the limit itself.
// Below one megapixel (only seen with small custom limits) it prints all
// the digits instead of a misleading 0.
func megapixels(px uint64, round func(float64) float64) string {
	mp := float64(px) / 1e6
	if r := round(mp*10) / 10; r >= 1 {
		return strconv.FormatFloat(r, 'f', -1, 64)
	}
	return strconv.FormatFloat(mp, 'f', -1, 64)
}
