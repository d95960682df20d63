package imaging

import (
	"github.com/davidbyttow/govips/v2/vips"
)

// pixelType converts the finished sRGB image to the pixel type fmt= asks
// for (Adobe's r-is-http-fmt: "the default color profile corresponding to
// pixelType is applied"): gray through libvips' B_W space, cmyk through
// libvips' built-in CMYK profile. Alpha, when the format keeps it, stays.
// The profile itself is not embedded (iccEmbed= is not supported; the
// metadata step strips it).
func pixelType(st *state) error {
	switch st.plan.PixelType {
	case PixelGray:
		return st.img.ToColorSpace(vips.InterpretationBW)
	case PixelCMYK:
		return st.img.TransformICCProfile("cmyk")
	}
	return nil
}
