package imaging

import (
	"context"
	"image"
	"image/color"
	"testing"

	"github.com/vitrine/vitrine"
)

// salient draws a w×h flat grey image with one bright, detailed object:
// a white and red checked disc of radius r centred at (cx, cy), the kind
// of region libvips' attention (edges, saturation, skin) picks.
func salient(w, h, cx, cy, r int) *image.NRGBA {
	img := solid(w, h, color.NRGBA{96, 96, 96, 255})
	for y := cy - r; y < cy+r; y++ {
		for x := cx - r; x < cx+r; x++ {
			if (x-cx)*(x-cx)+(y-cy)*(y-cy) > r*r {
				continue
			}
			c := color.NRGBA{255, 255, 255, 255}
			if (x/8+y/8)%2 == 0 {
				c = color.NRGBA{255, 0, 0, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// TestSmartCrops: on a flat background, every crop's box has the crop's
// aspect, is as large as the image allows, and contains the bright
// object, wherever the object is.
func TestSmartCrops(t *testing.T) {
	t.Parallel()
	needVips(t)
	defs := []vitrine.CropDef{{Name: "Square", Width: 500, Height: 500}, {Name: "Portrait", Width: 400, Height: 800}, {Name: "Banner", Width: 1600, Height: 400}}
	for _, c := range []struct {
		name         string
		w, h, cx, cy int
		wantW, wantH []int
	}{
		{"object right", 1200, 800, 950, 300, []int{800, 400, 1200}, []int{800, 800, 300}},
		{"object left, low", 1200, 800, 180, 640, []int{800, 400, 1200}, []int{800, 800, 300}},
		{"portrait source", 700, 1400, 350, 1100, []int{700, 700, 700}, []int{700, 1400, 175}},
	} {
		t.Run(c.name, func(t *testing.T) {
			const r = 80
			src := encodeJPEG(t, salient(c.w, c.h, c.cx, c.cy, r), 90)
			got, err := SmartCrops(src, defs)
			if err != nil {
				t.Fatal(err)
			}
			object := image.Rect(c.cx-r, c.cy-r, c.cx+r, c.cy+r)
			for i, sc := range got {
				b := image.Rect(sc.Box.X, sc.Box.Y, sc.Box.X+sc.Box.W, sc.Box.Y+sc.Box.H)
				if sc.Name != defs[i].Name || sc.Box.W != c.wantW[i] || sc.Box.H != c.wantH[i] {
					t.Errorf("%s: box %v, want %dx%d", defs[i].Name, b, c.wantW[i], c.wantH[i])
				}
				if !b.In(image.Rect(0, 0, c.w, c.h)) {
					t.Errorf("%s: box %v is outside the %dx%d image", sc.Name, b, c.w, c.h)
				}
				// A box smaller than the object on one axis cannot hold it whole: it must hold its centre band.
				want := object.Intersect(image.Rect(0, c.cy-b.Dy()/2+1, c.w, c.cy+b.Dy()/2-1))
				if !want.In(b) {
					t.Errorf("%s: box %v does not contain the object %v", sc.Name, b, want)
				}
			}
		})
	}
	if _, err := SmartCrops([]byte("not an image"), defs); vitrine.ErrorCode(err) != vitrine.EUNSUPPORTED {
		t.Errorf("SmartCrops(text) = %v, want EUNSUPPORTED", err)
	}
}

// TestSmartCropPlan: a smart crop is an image of the crop's size that the
// modifiers apply to; the plan maps it back onto the source.
func TestSmartCropPlan(t *testing.T) {
	t.Parallel()
	sc := vitrine.SmartCrop{Name: "Square", Width: 300, Height: 300, Box: vitrine.CropBox{X: 400, Y: 0, W: 600, H: 600}}
	src := Source{Width: 1200, Height: 600}
	for _, c := range []struct {
		query          string
		crop           image.Rectangle
		scaled         image.Point
		replyW, replyH int
	}{
		{"", image.Rect(400, 0, 1000, 600), image.Pt(300, 300), 300, 300},
		{"wid=150", image.Rect(400, 0, 1000, 600), image.Pt(150, 150), 150, 150},
		{"wid=600&fit=constrain,1", image.Rect(400, 0, 1000, 600), image.Pt(600, 600), 600, 600},
		{"wid=200&hei=100", image.Rect(400, 0, 1000, 600), image.Pt(100, 100), 200, 100},
		{"crop=0,0,150,150", image.Rect(400, 0, 700, 300), image.Pt(150, 150), 150, 150},
		{"cropN=0.5,0.5,0.5,0.5&wid=50", image.Rect(700, 300, 1000, 600), image.Pt(50, 50), 50, 50},
		{"rect=0,0,100,300", image.Rect(400, 0, 1000, 600), image.Pt(300, 300), 100, 300},
	} {
		t.Run(c.query, func(t *testing.T) {
			r, err := Parse(c.query, nil)
			if err != nil {
				t.Fatal(err)
			}
			p, err := NewPlan(r.WithSmartCrop(sc), src, Settings{})
			if err != nil {
				t.Fatalf("NewPlan(%q): %v", c.query, err)
			}
			if p.Crop != c.crop || p.Scaled != c.scaled || p.Width != c.replyW || p.Height != c.replyH {
				t.Errorf("NewPlan(%q) = crop %v scaled %v reply %dx%d, want %v %v %dx%d",
					c.query, p.Crop, p.Scaled, p.Width, p.Height, c.crop, c.scaled, c.replyW, c.replyH)
			}
		})
	}
	r, _ := Parse("", nil)
	if r.SmartCropKey() != "" || r.WithSmartCrop(sc).SmartCropKey() != "smartcrop=400,0,600,600,300,300" {
		t.Errorf("SmartCropKey = %q / %q", r.SmartCropKey(), r.WithSmartCrop(sc).SmartCropKey())
	}
}

// TestSmartCropRender: the rendition of a smart crop is the box, scaled
// to the crop's size, with the modifiers after it.
func TestSmartCropRender(t *testing.T) {
	t.Parallel()
	needVips(t)
	rd := newTestRenderer(t)
	src := encodeJPEG(t, quadrants(400, 300), 95) // red green / blue yellow
	// The right half: green over yellow.
	sc := vitrine.SmartCrop{Name: "Half", Width: 100, Height: 150, Box: vitrine.CropBox{X: 200, Y: 0, W: 200, H: 300}}
	info, _ := Probe(src)
	for _, c := range []struct {
		query string
		w, h  int
		fmt   string
	}{{"", 100, 150, "jpeg"}, {"wid=50&fmt=png", 50, 75, "png"}} {
		r, _ := Parse(c.query, nil)
		p, err := NewPlan(r.WithSmartCrop(sc), info.Source, Settings{})
		if err != nil {
			t.Fatal(err)
		}
		out, err := rd.Render(context.Background(), src, p)
		if err != nil {
			t.Fatal(err)
		}
		if out.Width != c.w || out.Height != c.h || sniff(out.Body) != c.fmt {
			t.Errorf("render %q = %dx%d %s, want %dx%d %s", c.query, out.Width, out.Height, sniff(out.Body), c.w, c.h, c.fmt)
		}
		img := decoded(t, out.Body)
		checkPoints(t, img, 40, probePoint{c.w / 2, c.h / 4, green}, probePoint{c.w / 2, 3 * c.h / 4, yellow})
		img.Close()
	}
}
