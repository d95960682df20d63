package imaging

import (
	"github.com/davidbyttow/govips/v2/vips"
)

// resize scales the cropped image to the planned size with the resMode
// kernel. Whatever the decoder already shrank is taken from the image's
// actual size, so the result is exact.
func resize(st *state) error {
	img, want := st.img, st.plan.Scaled
	w, h := img.Width(), img.Height()
	if w == want.X && h == want.Y {
		return nil
	}
	hs, vs := float64(want.X)/float64(w), float64(want.Y)/float64(h)
	if err := img.ResizeWithVScale(hs, vs, kernel(st.plan.ResMode)); err != nil {
		return err
	}
	return exactSize(img, want.X, want.Y)
}

// kernel maps resMode to a libvips reduction kernel (reference notes §3.1):
// bilinear, bicubic, Lanczos 3 for sharp2 ("modified Lanczos"), and cubic
// for bisharp, whose extra sharpening is done by the sharpen step. An
// unknown company setting falls back to bicubic, the Scene7 default.
func kernel(resMode string) vips.Kernel {
	switch resMode {
	case ResBilin:
		return vips.KernelLinear
	case ResSharp2:
		return vips.KernelLanczos3
	}
	return vips.KernelCubic
}

// exactSize trims or extends by edge copy so the image is exactly w×h:
// libvips rounds output sizes on its own and may land one pixel off.
func exactSize(img *vips.ImageRef, w, h int) error {
	if img.Width() > w || img.Height() > h {
		if err := img.ExtractArea(0, 0, min(w, img.Width()), min(h, img.Height())); err != nil {
			return err
		}
	}
	if img.Width() < w || img.Height() < h {
		return img.Embed(0, 0, w, h, vips.ExtendCopy)
	}
	return nil
}
