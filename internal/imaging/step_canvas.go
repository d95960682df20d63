package imaging

import (
	"image"

	"github.com/davidbyttow/govips/v2/vips"
)

// canvas puts the scaled, oriented image on the reply: the part that falls
// inside is kept (fit=crop, scl with wid/hei, rect= cut the rest) and the
// free space is padded (fit=fit letterboxing, align), with bgc for opaque
// formats and transparency for the -alpha ones, which ignore bgc
// (reference notes §1.3, bgc).
func canvas(st *state) error {
	p, img := st.plan, st.img
	reply := image.Rect(0, 0, p.Width, p.Height)
	placed := image.Rectangle{Min: p.Offset, Max: p.Offset.Add(image.Pt(img.Width(), img.Height()))}
	if placed == reply {
		return nil
	}
	visible := placed.Intersect(reply)
	if visible.Empty() {
		// rect= fell entirely in the padding: paint one pixel with the
		// background and pad around it (libvips cannot embed off-canvas).
		if err := blank(img, p); err != nil {
			return err
		}
		return pad(img, p, image.Pt(0, 0))
	}
	if in := visible.Sub(p.Offset); in != image.Rect(0, 0, img.Width(), img.Height()) {
		if err := img.ExtractArea(in.Min.X, in.Min.Y, in.Dx(), in.Dy()); err != nil {
			return err
		}
	}
	if visible == reply {
		return nil
	}
	return pad(img, p, visible.Min)
}

// pad embeds img at at on the p.Width×p.Height reply.
func pad(img *vips.ImageRef, p *Plan, at image.Point) error {
	if p.Alpha {
		if err := img.AddAlpha(); err != nil {
			return err
		}
		return img.Embed(at.X, at.Y, p.Width, p.Height, vips.ExtendBlack) // every band 0: transparent
	}
	bg := p.Background
	return img.EmbedBackgroundRGBA(at.X, at.Y, p.Width, p.Height, &vips.ColorRGBA{R: bg.R, G: bg.G, B: bg.B, A: 255})
}

// blank turns img into one pixel of the background: bgc, or transparent
// for alpha formats.
func blank(img *vips.ImageRef, p *Plan) error {
	if err := img.ExtractArea(0, 0, 1, 1); err != nil {
		return err
	}
	bg := []float64{float64(p.Background.R), float64(p.Background.G), float64(p.Background.B)}
	if p.Alpha {
		if err := img.AddAlpha(); err != nil {
			return err
		}
		bg = []float64{0, 0, 0, 0}
	} else if img.HasAlpha() {
		bg = append(bg, 255)
	}
	if err := img.Linear(make([]float64, len(bg)), bg); err != nil {
		return err
	}
	return img.Cast(vips.BandFormatUchar)
}
