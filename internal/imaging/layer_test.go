package imaging

import (
	"image"
	"image/color"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vitrine/vitrine"
)

// The size=, extend= and bgColor= cases follow Adobe's Image Serving
// reference (r-size, r-extend, r-bgcolor); each names the line it follows.
func TestParseLayer(t *testing.T) {
	t.Parallel()
	tests := []keyCase{
		{"r-extend Default: extend=0,0,0,0, no change", "extend=0,0,0,0", ""},
		{"r-extend: left,top,right,bottom", "EXTEND=5,-5,10,0", "extend=5,-5,10,0"},
		{"r-extend: extendN normalized amounts", "extendN=0.1,0,0.25,0", "extendn=0.1,0,0.25,0"},
		{"r-extend: extend and extendN are one setting, the last wins", "extendN=0.1,0,0,0&extend=1,2,3,4", "extend=1,2,3,4"},
		{"r-size: size=200,0", "size=200,0", "size=200,0"},
		{"r-size: size=0,0 is no constraint", "size=0,0", ""},
		{"r-bgcolor: color with alpha", "bgColor=FF0000FF", "bgcolor=FF0000"},
		{"r-bgcolor: r,g,b", "bgcolor=255,0,0", "bgcolor=FF0000"},
		{"r-bgcolor Default: 0,0,0,0 (fully transparent)", "bgColor=0,0,0,0", ""},
		{"r-extend example: cropN=.2,.3,.8,.9&extend=5,5,5,5&bgColor=255,0,0",
			"cropN=.2,.3,.8,.9&extend=5,5,5,5&bgColor=255,0,0", "cropn=0.2,0.3,0.8,0.9&extend=5,5,5,5&bgcolor=FF0000"},
	}
	checkKeys(t, tests)
	for q, want := range map[string]string{
		"extend=1,2,3":         "want 4",
		"extend=a,0,0,0":       "not an integer",
		"extendN=11,0,0,0":     "outside -10..10",
		"size=-1,0":            "outside 0..",
		"size=100":             "want 2",
		"bgColor=FF000080":     "semi-transparent",
		"bgColor=notacolour00": "not a colour",
	} {
		if _, err := Parse(q, nil); vitrine.ErrorCode(err) != vitrine.EINVALID || !strings.Contains(vitrine.ErrorMessage(err), want) {
			t.Errorf("Parse(%q) error %v, want EINVALID containing %q", q, err, want)
		}
	}
}

func TestPlanLayer(t *testing.T) {
	t.Parallel()
	full := image.Rect(0, 0, 2000, 1500)
	src := Source{Width: 2000, Height: 1500}
	tests := []struct {
		name, query string
		want        Layout
	}{
		{"r-extend: pixels to add to each edge", "extend=10,20,30,40&scl=1", lay(image.Rect(-10, -20, 2030, 1540), 2040, 1560, 0, 0, 2040, 1560)},
		{"r-extend: or remove from, if the value is negative", "extend=-100,0,-100,0&scl=1", lay(image.Rect(100, 0, 1900, 1500), 1800, 1500, 0, 0, 1800, 1500)},
		{"r-extend: applied after rotate= (the layer's left is the source's bottom)", "rotate=90&extend=10,0,0,0&scl=1",
			withRot(lay(image.Rect(0, 0, 2000, 1510), 2000, 1510, 0, 0, 1510, 2000), 90, "")},
		{"r-extend: applied after flip= (the layer's left is the source's right)", "flip=lr&extend=10,0,0,0&scl=1",
			withRot(lay(image.Rect(0, 0, 2010, 1500), 2010, 1500, 0, 0, 2010, 1500), 0, "lr")},
		{"r-extend: applied after crop=", "crop=100,100,200,100&extend=5,5,5,5&scl=1", lay(image.Rect(95, 95, 305, 205), 210, 110, 0, 0, 210, 110)},
		{"r-extend: extendN relative to the layer rect", "extendN=0.1,0,0,0&scl=1", lay(image.Rect(-200, 0, 2000, 1500), 2200, 1500, 0, 0, 2200, 1500)},
		{"r-extend example: size=200,0&extend=0,30,0,0, a 30 pixel margin above a 200 px image", "size=200,0&extend=0,30,0,0",
			lay(image.Rect(0, -300, 2000, 1500), 200, 180, 0, 0, 200, 180)},
		{"r-size: the layer's size, then the view fits it", "size=400,300&wid=200", lay(full, 200, 150, 0, 0, 200, 150)},
		{"r-size: both sides set the aspect ratio", "size=100,100", lay(full, 100, 100, 0, 0, 100, 100)},
		{"r-size: 0 follows the aspect ratio", "size=0,300", lay(full, 400, 300, 0, 0, 400, 300)},
		{"r-fit upscale=0 caps the scale at the layer's size", "size=100,0&wid=200&hei=200", lay(full, 100, 75, 50, 62, 200, 200)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := mustPlan(t, tt.query, src, Settings{})
			if diff := cmp.Diff(tt.want, p.Layout); diff != "" {
				t.Errorf("NewPlan(%q) layout (-want +got):\n%s", tt.query, diff)
			}
		})
	}
	for q, code := range map[string]string{
		"extend=-1000,0,-1000,0":     vitrine.EINVALID,   // nothing left
		"extend=-3000,0,0,0":         vitrine.EINVALID,   // trims past the far edge
		"extend=100000,0,0,0":        vitrine.EFORBIDDEN, // the work budget: the region is built whole
		"extendN=10,10,0,0&wid=100":  vitrine.EFORBIDDEN,
		"size=1000000,1000000&scl=1": vitrine.EFORBIDDEN, // the view
	} {
		r, err := Parse(q, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := NewPlan(r, src, Settings{}); vitrine.ErrorCode(err) != code {
			t.Errorf("NewPlan(%q) error %v, want %s", q, err, code)
		}
	}
}

func TestRenderLayer(t *testing.T) {
	t.Parallel()
	needVips(t)
	r := newTestRenderer(t)
	opaque := encodePNG(t, quadrants(64, 48))
	holed := quadrants(64, 48)
	for y := range 24 {
		for x := range 32 {
			holed.SetNRGBA(x, y, color.NRGBA{})
		}
	}
	alpha := encodePNG(t, holed)
	white, clear, redC := color.NRGBA{255, 255, 255, 255}, color.NRGBA{}, color.NRGBA{255, 0, 0, 255}
	blueC := color.NRGBA{0, 0, 255, 255}
	tests := []struct {
		name, query string
		src         []byte
		w, h        int
		points      []probePoint
	}{
		{"r-extend example: crop, then a 5 pixel wide red border", "cropN=.5,0,.5,.5&extend=5,5,5,5&bgColor=255,0,0&scl=1", opaque, 42, 34,
			[]probePoint{{1, 1, redC}, {40, 32, redC}, {20, 17, green}}},
		{"r-extend: filled with bgColor=, or transparent (then bgc for jpeg)", "extend=8,0,0,0&scl=1", opaque, 72, 48,
			[]probePoint{{2, 10, white}, {20, 10, redC}}},
		{"r-extend: transparent with an alpha format", "extend=8,0,0,0&scl=1&fmt=png-alpha", opaque, 72, 48,
			[]probePoint{{2, 10, clear}, {20, 10, redC}}},
		{"r-extend: negative values trim", "extend=-32,0,0,0&scl=1", opaque, 32, 48,
			[]probePoint{{5, 5, green}, {5, 40, yellow}}},
		{"r-bgcolor: the layer's transparent areas filled", "bgColor=0000FF&fmt=png-alpha", alpha, 64, 48,
			[]probePoint{{5, 5, blueC}, {40, 5, green}}},
		{"r-bgcolor: view padding stays transparent", "bgColor=0000FF&fmt=png-alpha&wid=64&hei=64", alpha, 64, 64,
			[]probePoint{{5, 2, clear}, {5, 12, blueC}}},
		{"r-size: the layer stretched to size", "size=32,48&fmt=png", opaque, 32, 48,
			[]probePoint{{4, 4, redC}, {28, 4, green}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := renderQuery(t, r, tt.src, tt.query)
			if out.Width != tt.w || out.Height != tt.h {
				t.Fatalf("%s: %dx%d, want %dx%d", tt.query, out.Width, out.Height, tt.w, tt.h)
			}
			img := decoded(t, out.Body)
			for _, p := range tt.points {
				got := at(t, img, p.x, p.y)
				if got.A == 0 {
					got = color.NRGBA{}
				}
				if !near(got, p.want, 10) {
					t.Errorf("%s: pixel (%d, %d) = %v, want %v", tt.query, p.x, p.y, got, p.want)
				}
			}
		})
	}
}
