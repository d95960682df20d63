package imaging

import (
	"image"

	"github.com/vitrine/vitrine"
)

// PlannedLayer is a layer above layer 0 as the renderer draws it, in the
// pixels of the scaled composite (layer 0 after the view's scale and
// rotate, before padding and rect=).
type PlannedLayer struct {
	N      int
	Src    string // asset id of an image layer; "" for a colour layer
	Source Source // Src's header
	Color  *Color // a colour layer's colour; nil for an image layer
	// Rect is where the whole layer lands; Visible is the part of it on
	// the composite, which alone is drawn.
	Rect, Visible image.Rectangle
	Alpha         float64 // opacity, 0..1: opac= times color='s alpha
	Blend         string  // BlendNorm, BlendMult or BlendScreen
	BgColor       *Color  // bgColor= under an image layer; nil = none
}

// NewCompositePlan is NewPlan for a request with layers: sources holds the
// header of every id of req.LayerSources(). Layers are placed in layer 0's
// pixels and scaled with it (the composite is layer 0's size; the view
// fits the composite), so MaxPix is checked on the composite's reply.
func NewCompositePlan(req *Request, src Source, sources map[string]Source, s Settings) (*Plan, error) {
	p, err := newPlan(req, src, s)
	if err != nil {
		return nil, err
	}
	if p.Layers, err = planLayers(req, p.Layout, p.composite, sources); err != nil {
		return nil, err
	}
	p.layerSources = sources
	return p, nil
}

// planLayers places each layer that draws something on the scaled
// composite.
func planLayers(req *Request, l Layout, comp image.Point, sources map[string]Source) ([]PlannedLayer, error) {
	if len(req.layers) == 0 {
		return nil, nil
	}
	iw, ih := l.Scaled.X, l.Scaled.Y
	if l.Rotate == 90 || l.Rotate == 270 {
		iw, ih = ih, iw
	}
	fx, fy := float64(iw)/float64(comp.X), float64(ih)/float64(comp.Y)
	var out []PlannedLayer
	var layerPixels int64 // decoded by the layers with a src=
	for _, ls := range req.layers {
		if ls.empty() {
			continue
		}
		pl := PlannedLayer{N: ls.n, Src: ls.src, Blend: ls.blend, BgColor: ls.bgColor,
			Alpha: float64(ls.opac[0]) / 100 * float64(ls.opac[1]) / 100}
		w, h := float64(ls.size[0]), float64(ls.size[1])
		if ls.src != "" {
			hdr, ok := sources[ls.src]
			if !ok {
				return nil, vitrine.Errorf(vitrine.ENOTPUBLISHED, "layer %d: src %q is not published", ls.n, clip(ls.src))
			}
			sw, sh := hdr.Upright()
			if sw < 1 || sh < 1 {
				return nil, vitrine.Errorf(vitrine.EINVALID, "layer %d: src image has no pixels", ls.n)
			}
			// The layers' sources together decode no more pixels than one
			// source may have: eight large sources would otherwise hold one
			// read slot for as long as eight renders.
			if layerPixels += int64(sw) * int64(sh); layerPixels > MaxSourcePixels {
				return nil, vitrine.Errorf(vitrine.ETOOLARGE, "layer %d: the layers' src images together are above %d pixels", ls.n, MaxSourcePixels)
			}
			pl.Source = hdr
			// size= as for layer 0 (layerRect): both sides stretch, one
			// side keeps the aspect ratio, none is the image's own size.
			switch {
			case w > 0 && h == 0:
				h = w * float64(sh) / float64(sw)
			case h > 0 && w == 0:
				w = h * float64(sw) / float64(sh)
			case w == 0 && h == 0:
				w, h = float64(sw), float64(sh)
			}
		} else {
			if w == 0 || h == 0 {
				return nil, vitrine.Errorf(vitrine.EINVALID, "layer %d: a color= layer needs size=w,h with both sides", ls.n)
			}
			c := *ls.color
			pl.Color = &c
			pl.Alpha *= float64(ls.alpha) / 255
		}
		px, py := ls.pos[0], ls.pos[1]
		if ls.posN {
			px, py = px*float64(comp.X), py*float64(comp.Y)
		}
		// The layer's centre sits at layer 0's centre plus pos=.
		cx, cy := float64(comp.X)/2+px, float64(comp.Y)/2+py
		x0, y0 := round((cx-w/2)*fx), round((cy-h/2)*fy)
		pl.Rect = image.Rect(x0, y0, x0+dim(w*fx), y0+dim(h*fy))
		if d := pl.Rect.Size(); d.X > maxDimension || d.Y > maxDimension || int64(d.X)*int64(d.Y) > maxViewPixels {
			return nil, vitrine.Errorf(vitrine.EFORBIDDEN, "layer %d: %dx%d is too large", ls.n, d.X, d.Y)
		}
		pl.Visible = pl.Rect.Intersect(image.Rect(0, 0, iw, ih))
		if pl.Visible.Empty() || pl.Alpha == 0 {
			continue // outside the composite, or fully transparent: draws nothing
		}
		out = append(out, pl)
	}
	return out, nil
}
