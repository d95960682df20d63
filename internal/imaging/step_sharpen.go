package imaging

import "math"

// sharpening is one libvips sharpen call: sigma of the blur, x1 the
// flat/jaggy threshold and m2 the slope for jaggy areas, in L* units.
type sharpening struct{ sigma, x1, m2 float64 }

// minSigma keeps a scaled-down op_usm radius from vanishing: libvips'
// own default sigma, the smallest that still has a visible effect.
const minSigma = 0.5

// sharpenings lists what the plan asks for, in order: resMode=bisharp's
// "bicubic sharper" touch, op_sharpen's basic sharpen (libvips defaults),
// then op_usm. op_usm's radius is given at full resolution and shrinks
// with the image (reference notes §1.3); amount is the jaggy slope m2 and
// threshold (0..255) the flat/jaggy limit x1 in L* (0..100) (notes §3.1,
// an inference). libvips sharpens L* only, so the monochrome flag changes
// nothing.
func sharpenings(p *Plan) []sharpening {
	var out []sharpening
	if p.ResMode == ResBisharp {
		out = append(out, sharpening{0.5, 2, 1.5})
	}
	if p.Sharpen {
		out = append(out, sharpening{0.5, 2, 3})
	}
	if u := p.USM; u != nil {
		sigma := math.Max(minSigma, u.Radius*p.scale())
		out = append(out, sharpening{sigma, u.Threshold * 100 / 255, u.Amount})
	}
	return out
}

// sharpen runs the planned sharpenings on the scaled image.
func sharpen(st *state) error {
	for _, s := range sharpenings(st.plan) {
		if err := st.img.Sharpen(s.sigma, s.x1, s.m2); err != nil {
			return err
		}
	}
	return nil
}
