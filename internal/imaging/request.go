package imaging

// Fit modes of fit= (reference notes §1.3).
const (
	FitFit       = "fit"
	FitConstrain = "constrain"
	FitCrop      = "crop"
	FitWrap      = "wrap"
	FitStretch   = "stretch"
	FitHFit      = "hfit"
	FitVFit      = "vfit"
)

// Request kinds of req=.
const (
	ReqImg        = "img"
	ReqImageProps = "imageprops"
	ReqProps      = "props"
	ReqExists     = "exists"
	ReqSet        = "set"
)

// Request is a parsed modifier string. The zero value asks for the source
// at its natural size (capped by DefaultPix) as a JPEG. Fields are private
// so that every Request went through Parse and holds valid values only.
type Request struct {
	wid, hei int     // reply size; 0 = absent
	scl      float64 // inverse scale; 0 = absent

	fit        string // "" = absent
	fitUpscale bool

	alignH, alignV float64

	crop *region // source crop; nil = whole image
	rect *[4]int // x, y, w, h cut after fitting; nil = whole view

	size    [2]int   // size=w,h of the layer; 0 = follows the aspect ratio, both 0 = absent
	extend  *margins // extend= or extendN=; nil = none
	bgColor *Color   // bgColor=, the layer's background; nil = transparent

	rotate int    // 0, 90, 180 or 270, clockwise
	flip   string // "", "lr", "ud", "lrud"

	bgc *Color // nil = the company BkgColor

	sharpen bool
	usm     *USM

	resMode string // "" = the company ResMode

	fmt         string    // canonical format name; "" = jpeg
	pixelType   string    // fmt= second value: "" (rgb), gray or cmyk
	compression string    // fmt= third value; "" = the format's default
	quantize    *Quantize // quantize=; nil = libvips' own palette (the default)
	qlt         int       // 0 = the company JpegQuality
	qltNoChroma bool      // qlt=…,1: no chroma subsampling

	dpr float64 // 0 = off

	cacheClient, cacheServer bool

	id              string
	hasID           bool
	defaultImage    string
	hasDefaultImage bool

	reqKind, reqFormat string

	sig string
	exp int64 // unix seconds; 0 = absent

	presetOnly bool // every modifier came from a $preset$ (or was a comment, sig or exp)

	smart *smartCrop // the smart crop of an id:crop URL (WithSmartCrop); nil = none

	cur    int          // the layer the layer commands apply to while parsing: 0, 1..maxLayers or layerComp
	beyond string       // the first command beyond the first step given to layer 0 (refuseBeyondLayers)
	layers []*layerSpec // layers above layer 0, by number (layers.go)
}

// region is a crop rectangle, in source pixels or normalised to 0..1.
type region struct {
	x, y, w, h float64
	normalized bool
}

// Color is an opaque sRGB colour. Scene7 ignores the alpha of bgc, and so
// do we.
type Color struct{ R, G, B uint8 }

// USM holds the op_usm parameters as given, radius at full resolution.
type USM struct {
	Amount     float64 // 0..5
	Radius     float64 // 0..250 pixels of the source
	Threshold  float64 // 0..255
	Monochrome bool
}

// newRequest returns the defaults of a request with no modifiers.
func newRequest() *Request {
	return &Request{cacheClient: true, cacheServer: true, reqKind: ReqImg}
}

// Req returns the request type and its response format: ("img", "") by
// default; ("props", "text"|"json"|"xml") and the like otherwise.
func (r *Request) Req() (kind, format string) { return r.reqKind, r.reqFormat }

// DefaultImage returns the defaultImage= value, "" when absent. An explicit
// empty value disables the company default image: see DefaultImageOff.
func (r *Request) DefaultImage() string { return r.defaultImage }

// DefaultImageOff reports whether the request said defaultImage= with an
// empty value, which disables the company's default image.
func (r *Request) DefaultImageOff() bool { return r.hasDefaultImage && r.defaultImage == "" }

// CacheControl reports whether the client cache is enabled (cache=, first
// value): when false the reply must not be cached by browsers or the edge.
func (r *Request) CacheControl() (enabled bool) { return r.cacheClient }

// ServerCache reports whether the server-side (origin) render cache may
// serve or store the reply (cache=, second value).
func (r *Request) ServerCache() bool { return r.cacheServer }

// ID returns the id= cache-buster, "" when absent.
func (r *Request) ID() string { return r.id }

// Signature returns the sig= value and the exp= time in unix seconds (0 when
// absent). Neither takes part in the cache key.
func (r *Request) Signature() (sig string, exp int64) { return r.sig, r.exp }

// PresetOnly reports whether the URL names a $preset$ and every command of
// it came from one: a company that requires signed URLs still serves those
// ("presets only", SPEC §5.1). A URL without modifiers is not preset-only.
func (r *Request) PresetOnly() bool { return r.presetOnly }

// Format returns the canonical output format: jpeg unless fmt= says otherwise.
func (r *Request) Format() string {
	if r.fmt == "" {
		return "jpeg"
	}
	return r.fmt
}

// DefaultImageRequest returns the request used to render the default image
// in Scene7's DefaultImageMode 0: only wid, hei, fmt and qlt are kept
// (reference notes §1.7).
func (r *Request) DefaultImageRequest() *Request {
	d := newRequest()
	d.wid, d.hei, d.fmt, d.qlt, d.qltNoChroma = r.wid, r.hei, r.fmt, r.qlt, r.qltNoChroma
	d.pixelType, d.compression = r.pixelType, r.compression
	return d
}
