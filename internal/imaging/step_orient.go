package imaging

import (
	"github.com/davidbyttow/govips/v2/vips"
)

// orient applies flip= then rotate= (clockwise), the Scene7 order. The
// plan already resized in the pre-rotation frame.
func orient(st *state) error {
	img := st.img
	switch st.plan.Flip {
	case "lr":
		if err := img.Flip(vips.DirectionHorizontal); err != nil {
			return err
		}
	case "ud":
		if err := img.Flip(vips.DirectionVertical); err != nil {
			return err
		}
	case "lrud":
		if err := img.Rotate(vips.Angle180); err != nil { // both flips are a half turn
			return err
		}
	}
	switch st.plan.Rotate {
	case 90:
		return img.Rotate(vips.Angle90)
	case 180:
		return img.Rotate(vips.Angle180)
	case 270:
		return img.Rotate(vips.Angle270)
	}
	return nil
}
