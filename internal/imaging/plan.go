package imaging

import (
	"image"

	"github.com/vitrine/vitrine"
)

// Plan is everything the renderer will do, computed from the request, the
// source header and the company settings, without pixels: a caller can
// read the reply size and MIME type, refuse early, or build props from it.
type Plan struct {
	Source Source // the header the plan was computed for
	Layout        // geometry, in the order the renderer applies it

	Format      string    // canonical fmt: jpeg, pjpeg, png, png-alpha, png8, png8-alpha, gif, gif-alpha, webp, webp-alpha, avif, avif-alpha, tif, tif-alpha
	PixelType   string    // fmt= second value: "" (rgb), gray or cmyk
	Compression string    // fmt= third value, the format's default filled in ("" for formats without a choice)
	Quantize    *Quantize // quantize= for gif and png8; nil = libvips' palette
	MIME        string
	Alpha       bool   // the format keeps transparency; padding is transparent and bgc unused
	Background  Color  // bgc, else the company BkgColor: padding and flattening of opaque formats
	LayerColor  *Color // bgColor=: fills the layer's transparent areas (crop and extend= margins); nil = none
	Quality     int    // qlt, else the company JpegQuality
	NoSubsample bool   // qlt=…,1: JPEG without chroma subsampling
	ResMode     string
	Sharpen     bool // op_sharpen=1
	USM         *USM // op_usm as requested (radius at full resolution); nil = none

	Layers []PlannedLayer // layers above layer 0, in drawing order (layers_plan.go)

	req          *Request
	settings     Settings
	layerSources map[string]Source
	composite    image.Point // layer 0's size in its own pixels (computeLayout)
}

// NewPlan computes the reply for req on a source of the given header. A
// reply above the company's MaxPix or above HardMaxPixels is refused with
// EFORBIDDEN (Scene7 answers 403) before anything is decoded; a source above
// MaxSourcePixels with ETOOLARGE. src.Orientation matters: orientations 5
// to 8 swap the source's width and height.
func NewPlan(req *Request, src Source, s Settings) (*Plan, error) {
	return NewCompositePlan(req, src, nil, s)
}

// newPlan plans layer 0 and the view; NewCompositePlan adds the layers.
func newPlan(req *Request, src Source, s Settings) (*Plan, error) {
	s = s.withDefaults()
	bg, err := parseColor("bkg_color", s.BkgColor)
	if err != nil {
		return nil, vitrine.Errorf(vitrine.EINVALID, "company setting %v", err)
	}
	l, comp, err := computeLayout(req, src, s)
	if err != nil {
		return nil, err
	}
	p := &Plan{
		Source:      src,
		Layout:      l,
		Format:      req.Format(),
		PixelType:   req.pixelType,
		Background:  bg,
		Quality:     s.JpegQuality,
		NoSubsample: req.qltNoChroma,
		ResMode:     s.ResMode,
		LayerColor:  req.bgColor,
		Sharpen:     req.sharpen,
		USM:         req.usm,
		req:         req,
		settings:    s,
		composite:   comp,
	}
	info := formatInfo[p.Format]
	p.MIME, p.Alpha, p.Compression = info.mime, info.alpha, info.compression
	if req.compression != "" {
		p.Compression = req.compression
	}
	if p.Quantize, err = req.quantizeFor(p.Format); err != nil {
		return nil, err
	}
	if p.Quantize != nil && int64(p.Width)*int64(p.Height) > maxQuantizePixels {
		return nil, vitrine.Errorf(vitrine.EFORBIDDEN, "reply %dx%d is above the limit of %d pixels for quantize=", p.Width, p.Height, maxQuantizePixels)
	}
	if req.bgc != nil {
		p.Background = *req.bgc
	}
	if req.qlt > 0 {
		p.Quality = req.qlt
	}
	if req.resMode != "" {
		p.ResMode = req.resMode
	}
	return p, nil
}

// Request returns the request the plan was made from.
func (p *Plan) Request() *Request { return p.req }

// forSource returns the plan for another source header: the renderer calls
// it when the bytes it is given do not match the header the caller planned
// with, so limits are always checked against the real image.
func (p *Plan) forSource(src Source) (*Plan, error) {
	if src == p.Source || (p.Source.Orientation <= 1 && src.Orientation <= 1 &&
		src.Width == p.Source.Width && src.Height == p.Source.Height) {
		return p, nil
	}
	return NewCompositePlan(p.req, src, p.layerSources, p.settings)
}

// scale returns the mean factor from the crop to the scaled image; the
// op_usm radius, given at full resolution, shrinks with it.
func (p *Plan) scale() float64 {
	sx := float64(p.Scaled.X) / float64(p.Crop.Dx())
	sy := float64(p.Scaled.Y) / float64(p.Crop.Dy())
	return (sx + sy) / 2
}
