package imaging

import (
	"github.com/davidbyttow/govips/v2/vips"
)

// toSRGB converts the image to 8-bit sRGB, the only colour space replies
// use (reference notes §3.2): CMYK through its embedded profile or
// libvips' built-in CMYK profile, other profiled images through their
// profile, grey and 16-bit images by colourspace conversion. It runs after
// resize because it then touches far fewer pixels.
func toSRGB(st *state) error {
	img := st.img
	switch {
	case img.Interpretation() == vips.InterpretationCMYK:
		// "cmyk" and "srgb" are profiles built into libvips (8.13+).
		if err := img.TransformICCProfileWithFallback("srgb", "cmyk"); err != nil {
			return err
		}
	case img.HasICCProfile():
		if err := img.TransformICCProfileWithFallback("srgb", "srgb"); err != nil {
			// A broken or mismatched profile (an RGB profile on a grey
			// image, say) must not fail the render: drop it and convert
			// as if it were absent.
			if err := img.RemoveICCProfile(); err != nil {
				return err
			}
		}
	}
	if img.Interpretation() != vips.InterpretationSRGB || img.BandFormat() != vips.BandFormatUchar {
		if err := img.ToColorSpace(vips.InterpretationSRGB); err != nil {
			return err
		}
	}
	if img.BandFormat() != vips.BandFormatUchar {
		return img.Cast(vips.BandFormatUchar)
	}
	return nil
}
