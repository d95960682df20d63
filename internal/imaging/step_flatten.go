package imaging

import (
	"github.com/davidbyttow/govips/v2/vips"
)

// flatten composes transparency onto bgc for formats without alpha
// (reference notes §1.2: "If fmt has no alpha channel, transparent areas
// are filled with bgc").
func flatten(st *state) error {
	if st.plan.Alpha || !st.img.HasAlpha() {
		return nil
	}
	bg := st.plan.Background
	return st.img.Flatten(&vips.Color{R: bg.R, G: bg.G, B: bg.B})
}
