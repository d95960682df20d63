package imaging

import (
	"fmt"
	"math"

	"github.com/davidbyttow/govips/v2/vips"
)

// load decodes the source, letting the decoder shrink it when the plan
// downscales (shrink-on-load: JPEG by 2, 4 or 8 in the DCT, WebP at any
// scale), then applies the EXIF orientation, once: the plan's coordinates
// are all in the upright frame.
func load(st *state) error {
	p := st.plan
	k := shrinkOnLoad(p)
	params := vips.NewImportParams()
	switch vips.DetermineImageType(st.src) {
	case vips.ImageTypeJPEG:
		if k > 1 {
			params.JpegShrinkFactor.Set(k)
		}
	case vips.ImageTypeWEBP:
		if k > 1 {
			params.WebpScaleFactor.Set(1 / float64(k))
		}
	}
	img, err := openSource(st.src, params)
	if err != nil {
		return err
	}
	st.img = img
	if err := img.AutoRotate(); err != nil {
		return err
	}
	w, h := p.Source.Upright()
	st.loadScaleX = float64(img.Width()) / float64(w)
	st.loadScaleY = float64(img.Height()) / float64(h)
	if st.loadScaleX > 1.001 || st.loadScaleY > 1.001 {
		return fmt.Errorf("decoded %dx%d, planned for %dx%d", img.Width(), img.Height(), w, h)
	}
	return nil
}

// shrinkOnLoad picks the decoder's shrink factor for a plan the way
// vips_thumbnail does: block-shrink to a bit above the target and leave at
// least a factor of two to the real resampling kernel, since the decoder's
// box filter alone is too crude.
func shrinkOnLoad(p *Plan) int {
	f := math.Min(float64(p.Crop.Dx())/float64(p.Scaled.X), float64(p.Crop.Dy())/float64(p.Scaled.Y))
	switch {
	case f >= 16:
		return 8
	case f >= 8:
		return 4
	case f >= 4:
		return 2
	}
	return 1
}
