package imaging

import (
	"fmt"
	"image"

	"github.com/davidbyttow/govips/v2/vips"
)

// compositeLayers draws layers 1..8 over layer 0, which is by now scaled,
// 8-bit sRGB and oriented: each layer is made at its planned size (its
// src= image loaded, shrunk and converted like layer 0, or a solid
// colour), cut to the part on the composite, given its opacity and
// blended (libvips vips_composite2: OVER, MULTIPLY or SCREEN). Layers
// are drawn in the order of their numbers, higher ones on top.
func compositeLayers(st *state) error {
	for _, l := range st.plan.Layers {
		over, err := layerImage(st, l)
		if err != nil {
			return fmt.Errorf("layer %d: %w", l.N, err)
		}
		err = blend(st.img, over, l.Blend, l.Visible.Min)
		over.Close()
		if err != nil {
			return fmt.Errorf("layer %d: %w", l.N, err)
		}
	}
	if len(st.plan.Layers) > 0 && st.img.BandFormat() != vips.BandFormatUchar {
		return st.img.Cast(vips.BandFormatUchar)
	}
	return nil
}

// blend draws over on img at at. OVER is libvips' own. For MULTIPLY and
// SCREEN, libvips 8.14 mixes a partly transparent layer with the blend
// result weighted by its alpha twice (a 50% multiply came out as 25%:
// TestRenderLayers), so the blend is made with the layer opaque, then
// laid over the base with the layer's alpha: (1−α)·b + α·B(b, o), the
// formula of Photoshop's modes, which blendMode= simulates
// ([CMD]r-blendmode.md).
func blend(img, over *vips.ImageRef, mode string, at image.Point) error {
	if mode == BlendNorm {
		return img.Composite(over, vips.BlendModeOver, at.X, at.Y)
	}
	base, err := img.Copy()
	if err != nil {
		return err
	}
	defer base.Close()
	if err := base.ExtractArea(at.X, at.Y, over.Width(), over.Height()); err != nil {
		return err
	}
	if base.HasAlpha() {
		if err := base.ExtractBand(0, 3); err != nil {
			return err
		}
	}
	colour, err := over.ExtractBandToImage(0, 3)
	if err != nil {
		return err
	}
	defer colour.Close()
	alpha, err := over.ExtractBandToImage(3, 1)
	if err != nil {
		return err
	}
	defer alpha.Close()
	if err := base.Composite(colour, blendMode(mode), 0, 0); err != nil {
		return err
	}
	if err := base.Cast(vips.BandFormatUchar); err != nil {
		return err
	}
	if base.HasAlpha() {
		if err := base.ExtractBand(0, 3); err != nil {
			return err
		}
	}
	if err := base.BandJoin(alpha); err != nil {
		return err
	}
	return img.Composite(base, vips.BlendModeOver, at.X, at.Y)
}

// blendMode maps blendMode= to libvips.
func blendMode(m string) vips.BlendMode {
	switch m {
	case BlendMult:
		return vips.BlendModeMultiply
	case BlendScreen:
		return vips.BlendModeScreen
	}
	return vips.BlendModeOver
}

// layerImage returns the visible part of layer l as 8-bit sRGB with
// alpha, its opacity applied.
func layerImage(st *state, l PlannedLayer) (*vips.ImageRef, error) {
	var img *vips.ImageRef
	var err error
	if l.Color != nil {
		img, err = solidLayer(*l.Color, l.Visible.Dx(), l.Visible.Dy())
	} else {
		img, err = layerSource(st, l)
	}
	if err != nil {
		return nil, err
	}
	if err := withOpacity(img, l.Alpha); err != nil {
		img.Close()
		return nil, err
	}
	return img, nil
}

// solidLayer makes a w×h sRGB image of one opaque colour, with alpha.
func solidLayer(c Color, w, h int) (*vips.ImageRef, error) {
	img, err := vips.Black(w, h)
	if err != nil {
		return nil, err
	}
	if err := img.Linear([]float64{0, 0, 0, 0}, []float64{float64(c.R), float64(c.G), float64(c.B), 255}); err == nil {
		err = img.Cast(vips.BandFormatUchar)
	}
	if err != nil {
		img.Close()
		return nil, err
	}
	out, err := img.CopyChangingInterpretation(vips.InterpretationSRGB)
	img.Close()
	return out, err
}

// layerSource renders an image layer's src= at its planned size, through
// the steps layer 0 takes (decode with shrink-on-load, resize with the
// resMode kernel, sRGB, bgColor=), then cuts the visible part.
func layerSource(st *state, l PlannedLayer) (*vips.ImageRef, error) {
	data, ok := st.layers[l.Src]
	if !ok {
		return nil, fmt.Errorf("no bytes for src %q", l.Src)
	}
	w, h := l.Source.Upright()
	sub := &state{src: data, plan: &Plan{
		Source:     l.Source,
		Layout:     Layout{Crop: image.Rect(0, 0, w, h), Scaled: l.Rect.Size()},
		ResMode:    st.plan.ResMode,
		LayerColor: l.BgColor,
	}}
	for _, s := range []step{{"load", load}, {"resize", resize}, {"colour", toSRGB}, {"layerbg", layerBackground}} {
		if err := s.run(sub); err != nil {
			if sub.img != nil {
				sub.img.Close()
			}
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}
	}
	img := sub.img
	if in := l.Visible.Sub(l.Rect.Min); in != image.Rect(0, 0, img.Width(), img.Height()) {
		if err := img.ExtractArea(in.Min.X, in.Min.Y, in.Dx(), in.Dy()); err != nil {
			img.Close()
			return nil, err
		}
	}
	if !img.HasAlpha() {
		if err := img.AddAlpha(); err != nil {
			img.Close()
			return nil, err
		}
	}
	return img, nil
}

// withOpacity scales the alpha band by a (opac=, and a colour's alpha).
func withOpacity(img *vips.ImageRef, a float64) error {
	if a >= 1 {
		return nil
	}
	mul := make([]float64, img.Bands())
	for i := range mul {
		mul[i] = 1
	}
	mul[len(mul)-1] = a
	if err := img.Linear(mul, make([]float64, len(mul))); err != nil {
		return err
	}
	return img.Cast(vips.BandFormatUchar)
}
