package imaging

import (
	"bytes"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"image/png"
	"slices"
	"strings"
	"testing"

	"github.com/vitrine/vitrine"
)

// The quantize= cases follow Adobe's Image Serving reference,
// r-is-http-quantize.md; each names the line it follows.
func TestParseQuantize(t *testing.T) {
	t.Parallel()
	tests := []keyCase{
		{"Default: quantize=adaptive,diffuse,256 (libvips' palette)", "fmt=gif&quantize=adaptive,diffuse,256", "fmt=gif"},
		{"type alone takes the defaults", "fmt=gif&quantize=adaptive", "fmt=gif"},
		{"example: req=tmb&fmt=gif&quantize=web,off", "fmt=gif&quantize=web,off", "fmt=gif&quantize=web,off"},
		{"type mac: supported for GIF and PNG8", "fmt=png8&quantize=MAC", "fmt=png8&quantize=mac,diffuse"},
		{"numColors: how many colors are included in the adaptive palette", "fmt=png8&quantize=adaptive,diffuse,64", "fmt=png8&quantize=adaptive,diffuse,64"},
		{"numColors only for adaptive: dropped for web", "fmt=gif&quantize=web,diffuse,16", "fmt=gif&quantize=web,diffuse"},
		{"example: fmt=gif-alpha&wid=100&quantize=adaptive,off,2,000000,ffffff",
			"fmt=gif-alpha&wid=100&quantize=adaptive,off,2,000000,ffffff", "wid=100&fmt=gif-alpha&quantize=adaptive,off,2,000000,FFFFFF"},
		{"colorList: fewer than numColors, the rest from the image", "fmt=png8-alpha&quantize=adaptive,diffuse,16,ff0000", "fmt=png8-alpha&quantize=adaptive,diffuse,16,FF0000"},
		{"Used only if fmt=gif, gif-alpha, png8, png8-alpha. Ignored otherwise.", "quantize=web,off&fmt=png", "fmt=png"},
		{"ignored with the default jpeg", "quantize=adaptive,off,2", ""},
		{"empty dither takes the default", "fmt=gif&quantize=adaptive,,32", "fmt=gif&quantize=adaptive,diffuse,32"},
	}
	checkKeys(t, tests)
}

func TestQuantizeRefused(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, query, want string }{
		{"type {adaptive|web|mac}", "fmt=gif&quantize=octree", `palette type "octree"`},
		{"dither {diffuse|off}", "fmt=gif&quantize=adaptive,ordered", `dither "ordered"`},
		{"numColors must be 2-256: 1", "fmt=gif&quantize=adaptive,off,1", "outside 2..256"},
		{"numColors must be 2-256: 257", "fmt=gif&quantize=adaptive,off,257", "outside 2..256"},
		{"colorList: hex6 without 0x prefix", "fmt=gif&quantize=adaptive,off,2,0xff0000", "not hex6"},
		{"colorList: no other color specifiers", "fmt=gif&quantize=adaptive,off,2,fff", "not hex6"},
		{"colorList: not hex", "fmt=gif&quantize=adaptive,off,2,gggggg", "not hex6"},
		{"colorList longer than numColors", "fmt=gif&quantize=adaptive,off,2,000000,ffffff,ff0000", "more than numColors"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(tt.query, nil)
			if vitrine.ErrorCode(err) != vitrine.EINVALID || !strings.Contains(vitrine.ErrorMessage(err), tt.want) {
				t.Errorf("Parse(%q) error %v, want EINVALID containing %q", tt.query, err, tt.want)
			}
		})
	}
	// "The mac pallet type is only supported for GIF and PNG8 formats but
	// not for GIF-Alpha and PNG8-Alpha formats": a plan error, since fmt=
	// may come after quantize=.
	for _, f := range []string{"gif-alpha", "png8-alpha"} {
		q := "quantize=mac&fmt=" + f
		r, err := Parse(q, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := NewPlan(r, Source{Width: 10, Height: 10}, Settings{}); vitrine.ErrorCode(err) != vitrine.EINVALID {
			t.Errorf("NewPlan(%q) error %v, want %s", q, err, vitrine.EINVALID)
		}
	}
	// The work budget: the palette is built in memory, so a quantize=
	// reply above 8 MP is refused before anything is decoded; the same
	// reply without quantize= is planned.
	src := Source{Width: 4100, Height: 4000}
	big := Settings{MaxPix: [2]int{5000, 5000}}
	r, _ := Parse("fmt=gif&quantize=web&wid=3000&hei=3000", nil)
	if _, err := NewPlan(r, src, big); vitrine.ErrorCode(err) != vitrine.EFORBIDDEN {
		t.Errorf("quantize= on a 9 MP reply: error %v, want %s", err, vitrine.EFORBIDDEN)
	}
	r, _ = Parse("fmt=gif&wid=3000&hei=3000", nil)
	if _, err := NewPlan(r, src, big); err != nil {
		t.Errorf("the same reply without quantize=: %v", err)
	}
}

// gradient is a w×h image going from black at the left to white at the
// right, with hues down the rows: many colours for a palette to reduce.
func gradient(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := uint8(x * 255 / (w - 1))
			img.SetNRGBA(x, y, color.NRGBA{v, uint8(int(v) * y / h), uint8(255 - int(v)*y/h), 255})
		}
	}
	return img
}

// paletteOf decodes a GIF or PNG reply and returns its image and palette.
func paletteOf(t *testing.T, body []byte) *image.Paletted {
	t.Helper()
	var m image.Image
	var err error
	if sniff(body) == "gif" {
		m, err = gif.Decode(bytes.NewReader(body))
	} else {
		m, err = png.Decode(bytes.NewReader(body))
	}
	if err != nil {
		t.Fatal(err)
	}
	pm, ok := m.(*image.Paletted)
	if !ok {
		t.Fatalf("reply is a %T, want a palette image", m)
	}
	return pm
}

// used returns the distinct colours the pixels use.
func used(pm *image.Paletted) []color.NRGBA {
	seen := map[uint8]bool{}
	for _, i := range pm.Pix {
		seen[i] = true
	}
	var out []color.NRGBA
	for i := range seen {
		out = append(out, color.NRGBAModel.Convert(pm.Palette[i]).(color.NRGBA))
	}
	return out
}

func TestRenderQuantize(t *testing.T) {
	t.Parallel()
	needVips(t)
	r := newTestRenderer(t)
	grad := encodePNG(t, gradient(128, 64))
	holed := quadrants(64, 48)
	for y := range 24 {
		for x := range 32 {
			holed.SetNRGBA(x, y, color.NRGBA{})
		}
	}
	alpha := encodePNG(t, holed)
	black, white := color.NRGBA{0, 0, 0, 255}, color.NRGBA{255, 255, 255, 255}
	tests := []struct {
		name, query string
		src         []byte
		check       func(t *testing.T, pm *image.Paletted)
	}{
		{"numColors: 16 colours in a gif", "fmt=gif&quantize=adaptive,off,16", grad, func(t *testing.T, pm *image.Paletted) {
			if n := len(used(pm)); n > 16 || n < 12 {
				t.Errorf("%d colours used, want 12 to 16", n)
			}
		}},
		{"numColors: 100 colours in a png8, not a power of two", "fmt=png8&quantize=adaptive,diffuse,100", grad, func(t *testing.T, pm *image.Paletted) {
			if n := len(pm.Palette); n > 100 || n < 90 {
				t.Errorf("palette of %d colours, want 90 to 100", n)
			}
		}},
		{"numColors with gray: palette after conversion to gray", "fmt=gif,gray&quantize=adaptive,off,8", grad, func(t *testing.T, pm *image.Paletted) {
			for _, c := range used(pm) {
				if c.R != c.G || c.G != c.B {
					t.Errorf("colour %v is not gray", c)
				}
			}
			if n := len(used(pm)); n > 8 {
				t.Errorf("%d colours used, want at most 8", n)
			}
		}},
		{"web: a pre-defined palette", "fmt=gif&quantize=web,off", grad, func(t *testing.T, pm *image.Paletted) {
			for _, c := range used(pm) {
				if !slices.ContainsFunc(palette.WebSafe, func(w color.Color) bool { return color.NRGBAModel.Convert(w) == c }) {
					t.Errorf("colour %v is not web-safe", c)
				}
			}
		}},
		{"mac: a pre-defined palette", "fmt=png8&quantize=mac,off", grad, func(t *testing.T, pm *image.Paletted) {
			mac := macPalette()
			if len(mac) != 256 {
				t.Errorf("Mac palette has %d colours, want 256", len(mac))
			}
			for _, c := range used(pm) {
				if !slices.Contains(mac, color.Color(c)) {
					t.Errorf("colour %v is not in the Mac palette", c)
				}
			}
		}},
		{"example: bi-tonal gif-alpha, colours forced to black and white", "fmt=gif-alpha&quantize=adaptive,off,2,000000,ffffff", alpha, func(t *testing.T, pm *image.Paletted) {
			for _, c := range used(pm) {
				if c != black && c != white && c.A != 0 {
					t.Errorf("colour %v is neither black, white nor transparent", c)
				}
			}
			if c := pm.At(5, 5).(color.RGBA); c.A != 0 {
				t.Errorf("the transparent quarter is %v, want the key colour", c)
			}
			if c := color.NRGBAModel.Convert(pm.At(50, 40)).(color.NRGBA); c != white {
				t.Errorf("yellow became %v, want white (nearest of black and white)", c)
			}
		}},
		{"colorList: forced colours are in the palette, the rest from the image", "fmt=png8-alpha&quantize=adaptive,off,8,ff00ff", alpha, func(t *testing.T, pm *image.Paletted) {
			if c := color.NRGBAModel.Convert(pm.Palette[0]).(color.NRGBA); c != (color.NRGBA{255, 0, 255, 255}) {
				t.Errorf("first palette entry %v, want the forced ff00ff", c)
			}
			checkPaletted(t, pm, probePoint{5, 5, color.NRGBA{}}, probePoint{40, 5, green}, probePoint{5, 40, blue}, probePoint{40, 40, yellow})
		}},
		{"dither off: a black-and-white gradient is cut at the middle", "fmt=gif&quantize=adaptive,off,2,000000,ffffff", grad, func(t *testing.T, pm *image.Paletted) {
			if n := whites(pm, 32); n != 0 {
				t.Errorf("column 32 (a quarter across) has %d white pixels, want 0", n)
			}
		}},
		{"dither diffuse: Floyd-Steinberg error diffusion mixes black and white", "fmt=gif&quantize=adaptive,diffuse,2,000000,ffffff", grad, func(t *testing.T, pm *image.Paletted) {
			if n := whites(pm, 32); n < 4 || n > 28 {
				t.Errorf("column 32 (a quarter across) has %d white pixels of 64, want about a quarter", n)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := renderQuery(t, r, tt.src, tt.query)
			if img := loadRaw(t, out.Body); img.Width() != out.Width || img.Height() != out.Height {
				t.Errorf("libvips reads the reply as %dx%d, want %dx%d", img.Width(), img.Height(), out.Width, out.Height)
			}
			tt.check(t, paletteOf(t, out.Body))
		})
	}
}

// whites counts the white pixels of column x.
func whites(pm *image.Paletted, x int) int {
	n := 0
	for y := range pm.Bounds().Dy() {
		if r, _, _, _ := pm.At(x, y).RGBA(); r == 0xffff {
			n++
		}
	}
	return n
}

// checkPaletted samples a decoded palette image.
func checkPaletted(t *testing.T, pm *image.Paletted, points ...probePoint) {
	t.Helper()
	for _, p := range points {
		got := color.NRGBAModel.Convert(pm.At(p.x, p.y)).(color.NRGBA)
		if got.A == 0 {
			got = color.NRGBA{}
		}
		if !near(got, p.want, 8) {
			t.Errorf("pixel (%d, %d) = %v, want %v", p.x, p.y, got, p.want)
		}
	}
}
