package imaging

import (
	"github.com/davidbyttow/govips/v2/vips"
)

// layerBackground fills the layer's transparent areas with bgColor=
// (Adobe's r-bgcolor: "Transparent and semi-opaque areas within the
// bounding rectangle of the layer are filled with the specified color
// after opac=, rotate=, and extend= are applied"): the extension of crop=
// and extend= as well as the image's own transparency. It runs once the
// image is 8-bit sRGB (after the resize: flattening before it would have
// to handle CMYK and 16-bit sources).
func layerBackground(st *state) error {
	c := st.plan.LayerColor
	if c == nil || !st.img.HasAlpha() {
		return nil
	}
	return st.img.Flatten(&vips.Color{R: c.R, G: c.G, B: c.B})
}
