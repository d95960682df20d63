package imaging

import (
	"fmt"
	"math"

	"github.com/davidbyttow/govips/v2/vips"
)

// load decodes the source, letting the decoder shrink it when the plan
// downscales (shrink-on-load: JPEG by 2, 4 or 8 in the DCT, WebP at any
// scale), then applies the EXIF orientation, once: the plan's coordinates
// are all in the upright frame. When nothing in the plan reads the pixels
// out of order, the decoder streams them top to bottom (sequential
// access) instead of decoding the whole image into memory first.
func load(st *state) error {
	if st.pyramid != nil {
		return loadPyramid(st)
	}
	p := st.plan
	params := vips.NewImportParams()
	switch vips.DetermineImageType(st.src) {
	case vips.ImageTypeJPEG:
		if k := jpegShrink(p); k > 1 {
			params.JpegShrinkFactor.Set(k)
		}
	case vips.ImageTypeWEBP:
		if s := webpScale(p); s < 1 {
			params.WebpScaleFactor.Set(s)
		}
	}
	if sequential(p) {
		params.Access.Set(vips.AccessSequential)
	}
	img, err := openSource(st.src, params)
	if err != nil {
		return err
	}
	st.img = img
	return setLoadScale(st)
}

// setLoadScale applies the EXIF orientation to the decoded image and
// records how much smaller than the upright source it came out.
func setLoadScale(st *state) error {
	img := st.img
	if err := img.AutoRotate(); err != nil {
		return err
	}
	w, h := st.plan.Source.Upright()
	st.loadScaleX = float64(img.Width()) / float64(w)
	st.loadScaleY = float64(img.Height()) / float64(h)
	if st.loadScaleX > 1.001 || st.loadScaleY > 1.001 {
		return fmt.Errorf("decoded %dx%d, planned for %dx%d", img.Width(), img.Height(), w, h)
	}
	return nil
}

// downscale is the plan's reduction from the crop to the scaled size, on
// the axis that shrinks least: no axis may be decoded smaller than asked.
func downscale(p *Plan) float64 {
	return math.Min(float64(p.Crop.Dx())/float64(p.Scaled.X), float64(p.Crop.Dy())/float64(p.Scaled.Y))
}

// jpegShrink picks the largest DCT shrink (8, 4 or 2) that does not go
// below the planned size; the resMode kernel does the rest. The DCT
// shrink averages whole blocks, a box filter that aliases less than a
// block shrink in the pixel domain, and its output holds up against a
// Lanczos 3 reduction from the full image (TestShrinkOnLoadQuality).
// vips_thumbnail stops a factor of two earlier; that factor costs a
// quarter of the render on typical reductions.
func jpegShrink(p *Plan) int {
	f := downscale(p)
	for _, k := range []int{8, 4, 2} {
		if f >= float64(k) {
			return k
		}
	}
	return 1
}

// webpScale is the WebP decoder's scale: libwebp resamples while it
// decodes (an area average), so it goes straight to the planned size.
func webpScale(p *Plan) float64 {
	f := downscale(p)
	if f < 2 {
		return 1 // too little to win, and the kernel does better
	}
	return 1 / f
}

// sequential reports whether the plan reads the decoded pixels top to
// bottom, once: rotations and vertical flips (the plan's or the EXIF
// orientation's) read the image out of order, so those need random
// access.
func sequential(p *Plan) bool {
	switch p.Source.Orientation {
	case 0, 1, 2: // upright, or mirrored left to right
	default:
		return false
	}
	return p.Rotate == 0 && (p.Flip == "" || p.Flip == "lr")
}
