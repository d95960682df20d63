package imaging

import (
	"image"
	"image/color"
	"strings"
	"testing"

	"github.com/vitrine/vitrine"
)

// TestParseLayers: each layer command, read as the Image Serving command
// reference writes it ([CMD] = AdobeDocs dynamic-media-developer-resources
// command-reference pages), and the canonical key, which parses back to
// itself.
func TestParseLayers(t *testing.T) {
	t.Parallel()
	checkKeys(t, []keyCase{
		// r-layer.md: layer=n selects the layer the commands after it apply to.
		{"r-src.md: src= [rootId/]id", "layer=1&src=acme/badge", "layer=1&src=acme/badge"},
		{"r-color-commandref.md: color with alpha, size needed", "layer=1&color=ff000080&size=10,20", "layer=1&color=FF000080&size=10,20"},
		{"r-color-commandref.md: r,g,b colour, opaque", "layer=1&color=255,0,0&size=10,20", "layer=1&color=FF0000&size=10,20"},
		{"r-pos.md: pos=x,y", "layer=1&src=b&pos=-10,20", "layer=1&src=b&pos=-10,20"},
		{"r-pos.md: posN=x,y", "layer=1&src=b&posN=0.25,-0.5", "layer=1&src=b&posn=0.25,-0.5"},
		{"r-opac.md: opac=opacity", "layer=1&src=b&opac=40", "layer=1&src=b&opac=40,100"},
		{"r-opac.md: opac=opacity,fillOpacity", "layer=1&src=b&opac=40,50", "layer=1&src=b&opac=40,50"},
		{"r-opac.md: opac=100 is the default", "layer=1&src=b&opac=100", "layer=1&src=b"},
		{"r-blendmode.md: mult", "layer=1&src=b&blendMode=mult", "layer=1&src=b&blendmode=mult"},
		{"r-blendmode.md: screen", "layer=1&src=b&blendMode=SCREEN", "layer=1&src=b&blendmode=screen"},
		{"r-blendmode.md: norm is the default", "layer=1&src=b&blendMode=norm", "layer=1&src=b"},
		{"r-bgcolor.md: bgColor on an image layer", "layer=1&src=b&bgColor=ffffff", "layer=1&src=b&bgcolor=FFFFFF"},
		{"layers in number order, whatever the URL's order", "layer=2&src=b&layer=1&src=a", "layer=1&src=a&layer=2&src=b"},
		{"layer=0 switches back: size= is layer 0's", "layer=1&src=b&layer=0&size=100,0", "size=100,0&layer=1&src=b"},
		{"view commands apply whatever the layer", "layer=1&src=b&wid=300&fmt=png", "wid=300&fmt=png&layer=1&src=b"},
		{"r-pos.md, r-blendmode.md: ignored on layer 0", "pos=5,5&blendMode=mult&wid=10", "wid=10"},
		{"r-pos.md: ignored on layer=comp", "layer=comp&pos=5,5&wid=10", "wid=10"},
		{"a layer without src or color draws nothing", "layer=1&bgColor=f1f1f1&blendMode=mult&wid=10", "wid=10"},
		{"layer=8 is the last served", "layer=8&src=b", "layer=8&src=b"},
		{"notes §1.11: anchor= and mask= without layers are ignored like unknown commands", "anchor=0,0&mask=m&origin=1,1&wid=10", "wid=10"},
		{"notes §1.11: still ignored beside a layer that draws nothing", "text=hi&layer=1&bgColor=ffffff&wid=10", "wid=10"},
		{"r-hide.md: hide=0 is the default, on layer 0 too (a toy maker's pages send it)", "hide=0&wid=10&layer=1&src=b&hide=0", "wid=10&layer=1&src=b"},
		{"r-hide.md: hide=1 leaves the layer out", "layer=1&src=b&hide=1&wid=10", "wid=10"},
		{"src value escaped in the key", "layer=1&src=a%26b", "layer=1&src=a%26b"},
		{"tile template: layer 0 sized, colour multiplied over it", "layer=0&size=400,400&layer=1&color=e8e0d0&size=400,400&blendMode=mult&wid=200",
			"wid=200&size=400,400&layer=1&color=E8E0D0&size=400,400&blendmode=mult"},
	})
}

// TestParseLayerErrors: bad values are EINVALID; what is beyond the first
// step of layers is EUNSUPPORTED, and both answer 403 naming the command.
func TestParseLayerErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, query, code, msg string
	}{
		{"layer above 8", "layer=9&src=b", vitrine.EUNSUPPORTED, "layer="},
		{"r-hide.md: hiding layer 0 is beyond the first step", "hide=1", vitrine.EUNSUPPORTED, "hide="},
		{"r-hide.md: hide takes 0 or 1", "layer=1&src=b&hide=yes", vitrine.EINVALID, "hide="},
		{"layer negative", "layer=-1", vitrine.EINVALID, "layer="},
		{"layer word", "layer=top", vitrine.EINVALID, "layer="},
		{"text", "layer=1&text={\\rtf1 hi}", vitrine.EUNSUPPORTED, "text="},
		{"textPs", "layer=1&textPs=hi", vitrine.EUNSUPPORTED, "textps="},
		{"mask", "layer=1&src=b&mask=m", vitrine.EUNSUPPORTED, "mask="},
		{"clipPath", "layer=1&color=ff0000&size=1,1&clipPath=M0 0", vitrine.EUNSUPPORTED, "clippath="},
		{"effect", "layer=1&src=b&effect=-1", vitrine.EUNSUPPORTED, "effect="},
		{"text on layer 0 of a composite", "text=hi&layer=1&src=b", vitrine.EUNSUPPORTED, "text="},
		{"mask on layer 0 of a composite, given after it", "layer=1&color=ff0000&size=1,1&layer=0&mask=m", vitrine.EUNSUPPORTED, "mask="},
		{"r-src.md: nested request", "layer=1&src=is{acme/b?wid=10}", vitrine.EUNSUPPORTED, "nested"},
		{"r-src.md: foreign URL", "layer=1&src=https://example.com/b.jpg", vitrine.EUNSUPPORTED, "foreign"},
		{"src empty", "layer=1&src=", vitrine.EINVALID, "src="},
		{"src on layer 0", "src=b", vitrine.EUNSUPPORTED, "src="},
		{"color on layer=comp", "layer=comp&color=ff0000", vitrine.EUNSUPPORTED, "color="},
		{"size on layer=comp", "layer=comp&size=10,10", vitrine.EUNSUPPORTED, "size="},
		{"crop on layer 1", "layer=1&src=b&crop=0,0,5,5", vitrine.EUNSUPPORTED, "crop="},
		{"rotate on layer 1", "layer=1&src=b&rotate=90", vitrine.EUNSUPPORTED, "rotate="},
		{"opac range", "layer=1&src=b&opac=101", vitrine.EINVALID, "opac="},
		{"opac arity", "layer=1&src=b&opac=1,2,3", vitrine.EINVALID, "opac="},
		{"r-blendmode.md: dissolve not served", "layer=1&src=b&blendMode=dissolve", vitrine.EUNSUPPORTED, "blendmode="},
		{"blendMode normal is not Adobe's name", "layer=1&src=b&blendMode=normal", vitrine.EINVALID, "blendmode="},
		{"pos not integer", "layer=1&src=b&pos=1.5,0", vitrine.EINVALID, "pos="},
		{"color bad", "layer=1&color=red&size=1,1", vitrine.EINVALID, "color="},
		{"size negative", "layer=1&src=b&size=-1,0", vitrine.EINVALID, "size="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(tt.query, nil)
			if vitrine.ErrorCode(err) != tt.code || !strings.Contains(vitrine.ErrorMessage(err), tt.msg) {
				t.Errorf("Parse(%q) error %v, want %s naming %q", tt.query, err, tt.code, tt.msg)
			}
		})
	}
}

// TestPlanLayers: where each layer lands on the scaled composite, and
// what the plan refuses.
func TestPlanLayers(t *testing.T) {
	t.Parallel()
	srcs := map[string]Source{"badge": {Width: 100, Height: 50}, "tall": {Width: 10, Height: 40, Orientation: 6},
		"big": {Width: 6000, Height: 6000}}
	tests := []struct {
		name, query string
		src         Source
		rects       []image.Rectangle // Rect of each drawn layer
		visible     []image.Rectangle
		alpha       []float64
	}{
		// The compositing canvas: layer 0 defines the size; pos= from the centres.
		{"centred, natural size", "layer=1&src=badge", Source{Width: 400, Height: 200},
			[]image.Rectangle{image.Rect(150, 75, 250, 125)}, []image.Rectangle{image.Rect(150, 75, 250, 125)}, []float64{1}},
		{"r-pos.md: pos moves right and down", "layer=1&src=badge&pos=100,-50", Source{Width: 400, Height: 200},
			[]image.Rectangle{image.Rect(250, 25, 350, 75)}, []image.Rectangle{image.Rect(250, 25, 350, 75)}, []float64{1}},
		{"r-pos.md: posN relative to layer 0's size", "layer=1&src=badge&posN=0.25,0", Source{Width: 400, Height: 200},
			[]image.Rectangle{image.Rect(250, 75, 350, 125)}, []image.Rectangle{image.Rect(250, 75, 350, 125)}, []float64{1}},
		{"the composite is cut to layer 0", "layer=1&src=badge&pos=180,0", Source{Width: 400, Height: 200},
			[]image.Rectangle{image.Rect(330, 75, 430, 125)}, []image.Rectangle{image.Rect(330, 75, 400, 125)}, []float64{1}},
		{"scaled with the view", "layer=1&src=badge&wid=200", Source{Width: 400, Height: 200},
			[]image.Rectangle{image.Rect(75, 38, 125, 63)}, []image.Rectangle{image.Rect(75, 38, 125, 63)}, []float64{1}},
		{"size= one side keeps the aspect ratio", "layer=1&src=badge&size=200,0", Source{Width: 400, Height: 200},
			[]image.Rectangle{image.Rect(100, 50, 300, 150)}, []image.Rectangle{image.Rect(100, 50, 300, 150)}, []float64{1}},
		{"EXIF orientation of the src", "layer=1&src=tall", Source{Width: 400, Height: 200},
			[]image.Rectangle{image.Rect(180, 95, 220, 105)}, []image.Rectangle{image.Rect(180, 95, 220, 105)}, []float64{1}},
		{"layer 0's size= is the canvas", "size=200,100&layer=1&color=ff0000&size=200,100", Source{Width: 400, Height: 200},
			[]image.Rectangle{image.Rect(0, 0, 200, 100)}, []image.Rectangle{image.Rect(0, 0, 200, 100)}, []float64{1}},
		{"r-opac.md and colour alpha multiply", "layer=1&color=ff000080&size=10,10&opac=50,50", Source{Width: 100, Height: 100},
			[]image.Rectangle{image.Rect(45, 45, 55, 55)}, []image.Rectangle{image.Rect(45, 45, 55, 55)}, []float64{0.25 * 128 / 255}},
		{"outside the composite: not drawn", "layer=1&src=badge&pos=1000,0", Source{Width: 400, Height: 200}, nil, nil, nil},
		{"opac=0: not drawn", "layer=1&src=badge&opac=0", Source{Width: 400, Height: 200}, nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := Parse(tt.query, nil)
			if err != nil {
				t.Fatal(err)
			}
			p, err := NewCompositePlan(r, tt.src, srcs, Settings{})
			if err != nil {
				t.Fatalf("NewCompositePlan(%q): %v", tt.query, err)
			}
			if len(p.Layers) != len(tt.rects) {
				t.Fatalf("%d layers drawn, want %d: %+v", len(p.Layers), len(tt.rects), p.Layers)
			}
			for i, l := range p.Layers {
				if l.Rect != tt.rects[i] || l.Visible != tt.visible[i] || l.Alpha < tt.alpha[i]-1e-9 || l.Alpha > tt.alpha[i]+1e-9 {
					t.Errorf("layer %d: rect %v visible %v alpha %v, want %v %v %v", l.N, l.Rect, l.Visible, l.Alpha, tt.rects[i], tt.visible[i], tt.alpha[i])
				}
			}
		})
	}
	for _, tt := range []struct{ name, query, code string }{
		{"src not published (not in sources)", "layer=1&src=gone", vitrine.ENOTPUBLISHED},
		{"r-layer types: a colour layer needs size=", "layer=1&color=ff0000", vitrine.EINVALID},
		{"a huge layer", "layer=1&color=ff0000&size=1000000,1000000", vitrine.EFORBIDDEN},
		{"MaxPix on the composite", "wid=9000&layer=1&src=badge", vitrine.EFORBIDDEN},
		{"the layers' sources together above MaxSourcePixels (3 × 36 MP)", "layer=1&src=big&size=10,10&layer=2&src=big&size=10,10&layer=3&src=big&size=10,10", vitrine.ETOOLARGE},
	} {
		r, err := Parse(tt.query, nil)
		if err == nil {
			_, err = NewCompositePlan(r, Source{Width: 400, Height: 200}, srcs, Settings{})
		}
		if vitrine.ErrorCode(err) != tt.code {
			t.Errorf("%s: %q error %v, want %s", tt.name, tt.query, err, tt.code)
		}
	}
	// NewPlan, which knows no layer sources, refuses a src layer rather
	// than render without it.
	r, _ := Parse("layer=1&src=badge", nil)
	if _, err := NewPlan(r, Source{Width: 4, Height: 4}, Settings{}); vitrine.ErrorCode(err) != vitrine.ENOTPUBLISHED {
		t.Errorf("NewPlan with a src layer: %v, want %s", err, vitrine.ENOTPUBLISHED)
	}
}

// TestRenderLayers renders the templates retail sites use on synthetic
// images and checks pixels at known points against the blend formulas
// (Photoshop's, which blendMode= simulates, r-blendmode.md): normal
// a·o + (1−a)·b, multiply o·b, screen 1 − (1−o)(1−b), each mixed with the
// base by the layer's opacity a.
func TestRenderLayers(t *testing.T) {
	t.Parallel()
	needVips(t)
	base := color.NRGBA{200, 100, 50, 255}
	badge := color.NRGBA{100, 200, 250, 255}
	photo := encodePNG(t, solid(200, 100, base))
	layers := map[string][]byte{"badge": encodePNG(t, solid(40, 20, badge))}
	srcs := map[string]Source{"badge": {Width: 40, Height: 20}}
	mix := func(blend func(o, b float64) float64, a float64) color.NRGBA {
		ch := func(o, b uint8) uint8 {
			of, bf := float64(o)/255, float64(b)/255
			return uint8(255*(a*blend(of, bf)+(1-a)*bf) + 0.5)
		}
		return color.NRGBA{ch(badge.R, base.R), ch(badge.G, base.G), ch(badge.B, base.B), 255}
	}
	normal := func(o, _ float64) float64 { return o }
	mult := func(o, b float64) float64 { return o * b }
	screen := func(o, b float64) float64 { return 1 - (1-o)*(1-b) }
	tests := []struct {
		name, query string
		points      []probePoint
	}{
		{"badge over image, opaque", "layer=1&src=badge&fmt=png", []probePoint{
			{100, 50, badge}, {81, 41, badge}, {118, 58, badge}, {10, 10, base}, {78, 50, base}, {100, 62, base}}},
		{"badge over image, opac=50", "layer=1&src=badge&opac=50&fmt=png", []probePoint{{100, 50, mix(normal, 0.5)}, {10, 10, base}}},
		{"badge, opac=50,50 (fill opacity)", "layer=1&src=badge&opac=50,50&fmt=png", []probePoint{{100, 50, mix(normal, 0.25)}}},
		{"badge, blendMode=mult", "layer=1&src=badge&blendMode=mult&fmt=png", []probePoint{{100, 50, mix(mult, 1)}, {10, 10, base}}},
		{"badge, blendMode=mult&opac=50", "layer=1&src=badge&blendMode=mult&opac=50&fmt=png", []probePoint{{100, 50, mix(mult, 0.5)}}},
		{"badge, blendMode=screen", "layer=1&src=badge&blendMode=screen&fmt=png", []probePoint{{100, 50, mix(screen, 1)}, {10, 10, base}}},
		{"badge, blendMode=screen&opac=50", "layer=1&src=badge&blendMode=screen&opac=50&fmt=png", []probePoint{{100, 50, mix(screen, 0.5)}}},
		{"badge in the top-right corner, scaled with wid", "layer=1&src=badge&pos=70,-30&wid=100&fmt=png", []probePoint{
			{85, 10, badge}, {70, 30, base}, {20, 40, base}}},
		{"badge cut at the composite's edge", "layer=1&src=badge&pos=95,0&fmt=png", []probePoint{{199, 50, badge}, {170, 50, base}}},
		{"badge sized 80x0", "layer=1&src=badge&size=80,0&fmt=png", []probePoint{{61, 31, badge}, {138, 68, badge}, {58, 50, base}}},
		// A colour layer of the badge's colour blends as the badge does (one vips_linear, not a composite).
		{"colour layer, blendMode=mult&opac=50, part of the image", "layer=1&color=64c8fa&size=40,20&blendMode=mult&opac=50&fmt=png", []probePoint{
			{100, 50, mix(mult, 0.5)}, {81, 41, mix(mult, 0.5)}, {78, 50, base}, {10, 10, base}}},
		{"colour layer, blendMode=screen&opac=50, part of the image", "layer=1&color=100,200,250&size=40,20&blendMode=screen&opac=50&fmt=png", []probePoint{
			{100, 50, mix(screen, 0.5)}, {78, 50, base}}},
		{"colour layer, opac=50", "layer=1&color=64c8fa&size=40,20&opac=50&fmt=png", []probePoint{{100, 50, mix(normal, 0.5)}, {100, 62, base}}},
		{"colour layer over an alpha reply", "extend=10,0,0,0&layer=1&color=64c8fa&size=40,20&fmt=png-alpha", []probePoint{
			{105, 50, badge}, {5, 50, color.NRGBA{0, 0, 0, 0}}, {50, 50, base}}},
		{"product on a coloured tile: colour multiplied over layer 0", "layer=1&color=8080ff&size=200,100&blendMode=mult&fmt=png", []probePoint{
			{5, 5, color.NRGBA{100, 50, 50, 255}}, {195, 95, color.NRGBA{100, 50, 50, 255}}}},
		{"coloured tile with alpha", "layer=1&color=0000ff80&size=100,50&fmt=png", []probePoint{
			{100, 50, mixColor(base, color.NRGBA{0, 0, 255, 255}, 128.0/255)}, {10, 10, base}}},
		{"three layers, higher numbers on top", "layer=3&color=00ff00&size=20,20&layer=1&src=badge&layer=2&color=ff0000&size=40,40&fmt=png", []probePoint{
			{100, 50, color.NRGBA{0, 255, 0, 255}}, {100, 35, color.NRGBA{255, 0, 0, 255}}, {85, 50, color.NRGBA{255, 0, 0, 255}}, {10, 50, base}}},
		// JPEG moves flat colours by a few levels (chroma subsampling).
		{"jpeg output of a composite", "layer=1&src=badge&wid=200", []probePoint{{100, 50, badge}, {10, 10, base}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := Parse(tt.query, nil)
			if err != nil {
				t.Fatal(err)
			}
			p, err := NewCompositePlan(r, Source{Width: 200, Height: 100}, srcs, Settings{})
			if err != nil {
				t.Fatal(err)
			}
			out, err := renderLayers(t.Context(), photo, layers, p)
			if err != nil {
				t.Fatalf("render %q: %v", tt.query, err)
			}
			img := decoded(t, out.Body)
			if out.Width != p.Width || out.Height != p.Height {
				t.Errorf("reply %dx%d, planned %dx%d", out.Width, out.Height, p.Width, p.Height)
			}
			tol := 3
			if p.Format == "jpeg" {
				tol = 6
			}
			checkPoints(t, img, tol, tt.points...)
		})
	}
}

// mixColor is o over b at opacity a.
func mixColor(b, o color.NRGBA, a float64) color.NRGBA {
	ch := func(o, b uint8) uint8 { return uint8(a*float64(o) + (1-a)*float64(b) + 0.5) }
	return color.NRGBA{ch(o.R, b.R), ch(o.G, b.G), ch(o.B, b.B), 255}
}
