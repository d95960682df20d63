package imaging

import (
	"context"
	"fmt"

	"github.com/davidbyttow/govips/v2/vips"
)

// state is what the steps of one rendition share.
type state struct {
	plan   *Plan
	src    []byte
	layers map[string][]byte // the layers' src= bytes, by id
	img    *vips.ImageRef
	// loadScale is loaded pixels per upright source pixel, per axis: below
	// 1 when the decoder already shrank the image (shrink-on-load).
	loadScaleX, loadScaleY float64
	// pyramid, when set, is the pyramid (BuildPyramid, mapped from its
	// file) to read instead of src; it has pyramidPages pages.
	pyramid      []byte
	pyramidPages int
}

// step is one stage of a rendition. It replaces or transforms st.img.
type step struct {
	name string
	run  func(st *state) error
}

// steps returns the rendition, in order. libvips evaluates lazily: most
// of the pixel work happens when encode pulls the pixels through.
func steps() []step {
	return []step{
		{"load", load},               // decode, shrinking on load; EXIF orientation
		{"crop", cropSource},         // crop=/cropN= and extend=, with transparent extension
		{"resize", resize},           // to the planned size, with the resMode kernel
		{"colour", toSRGB},           // ICC/CMYK/grey/16-bit to 8-bit sRGB
		{"layerbg", layerBackground}, // bgColor= under the layer
		{"orient", orient},           // flip=, then rotate=
		{"layers", compositeLayers},  // layer=1..8 over layer 0
		{"sharpen", sharpen},         // op_sharpen, op_usm, resMode=bisharp
		{"canvas", canvas},           // fit padding or cut, align, rect=
		{"flatten", flatten},         // alpha onto bgc for opaque formats
		{"pixeltype", pixelType},     // fmt=…,gray or …,cmyk
		{"metadata", stripAll},       // no EXIF, GPS, XMP, IPTC or ICC in replies
	}
}

// Output is an encoded rendition.
type Output struct {
	Body          []byte
	MIME          string
	Width, Height int
}

// render runs the steps and the encoder. It checks ctx between steps so
// a render whose caller gave up stops at the next step boundary.
func render(ctx context.Context, src []byte, p *Plan) (*Output, error) {
	return renderState(ctx, &state{plan: p, src: src})
}

// renderLayers is render with the bytes of the layers' src= images.
func renderLayers(ctx context.Context, src []byte, layers map[string][]byte, p *Plan) (*Output, error) {
	return renderState(ctx, &state{plan: p, src: src, layers: layers})
}

// renderState is render for a prepared state (a pyramid source, layers).
func renderState(ctx context.Context, st *state) (*Output, error) {
	p := st.plan
	defer func() {
		if st.img != nil {
			st.img.Close()
		}
	}()
	for _, s := range steps() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := s.run(st); err != nil {
			return nil, fmt.Errorf("imaging: %s: %w", s.name, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	body, err := encode(st.img, p)
	if err != nil {
		return nil, fmt.Errorf("imaging: encode %s: %w", p.Format, err)
	}
	return &Output{Body: body, MIME: p.MIME, Width: st.img.Width(), Height: st.img.Height()}, nil
}
