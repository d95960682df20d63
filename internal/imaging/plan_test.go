package imaging

import (
	"image"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vitrine/vitrine"
)

// TestPlanGeometry checks reply sizes worked out by hand from the rules of
// reference notes §1.2-1.3 (see fitView). Unless a case says otherwise the
// source is 2000×1500, upright, with the default settings (MaxPix 3000²,
// DefaultPix 2000²).
func TestPlanGeometry(t *testing.T) {
	t.Parallel()
	full := image.Rect(0, 0, 2000, 1500)
	small := Source{Width: 200, Height: 100}
	tests := []struct {
		name  string
		query string
		src   Source // zero = 2000×1500
		want  Layout
	}{
		// No size: the source, capped by DefaultPix.
		{"natural size", "", Source{}, lay(full, 2000, 1500, 0, 0, 2000, 1500)},
		{"DefaultPix cap", "", Source{Width: 4000, Height: 3000}, lay(image.Rect(0, 0, 4000, 3000), 2000, 1500, 0, 0, 2000, 1500)},
		{"dpr needs a size", "dpr=on,2", Source{}, lay(full, 2000, 1500, 0, 0, 2000, 1500)},
		{"dpr needs a size, rect too", "dpr=on,2&rect=0,0,100,100", Source{}, lay(full, 2000, 1500, 0, 0, 100, 100)},
		// One side: the other follows the aspect ratio.
		{"wid only", "wid=300", Source{}, lay(full, 300, 225, 0, 0, 300, 225)},
		{"hei only", "hei=300", Source{}, lay(full, 400, 300, 0, 0, 400, 300)},
		{"bare wid upscales", "wid=400", small, lay(image.Rect(0, 0, 200, 100), 400, 200, 0, 0, 400, 200)},
		{"wid with fit,0 does not upscale", "wid=400&fit=constrain", small, lay(image.Rect(0, 0, 200, 100), 200, 100, 0, 0, 200, 100)},
		// wid+hei: s = 0.15 across, 0.2 down.
		{"wid hei letterbox", "wid=300&hei=300", Source{}, lay(full, 300, 225, 0, 37, 300, 300)},
		{"fit=fit same", "wid=300&hei=300&fit=fit", Source{}, lay(full, 300, 225, 0, 37, 300, 300)},
		{"letterbox align top-left", "wid=300&hei=300&align=-1,-1", Source{}, lay(full, 300, 225, 0, 0, 300, 300)},
		{"letterbox align bottom", "wid=300&hei=300&align=1,1", Source{}, lay(full, 300, 225, 0, 75, 300, 300)},
		{"constrain", "wid=300&hei=300&fit=constrain", Source{}, lay(full, 300, 225, 0, 0, 300, 225)},
		{"crop", "wid=300&hei=300&fit=crop", Source{}, lay(full, 400, 300, -50, 0, 300, 300)},
		{"crop align left", "wid=300&hei=300&fit=crop&align=-1,0", Source{}, lay(full, 400, 300, 0, 0, 300, 300)},
		{"crop align right", "wid=300&hei=300&fit=crop&align=1,0", Source{}, lay(full, 400, 300, -100, 0, 300, 300)},
		{"wrap", "wid=300&hei=300&fit=wrap", Source{}, lay(full, 400, 300, 0, 0, 400, 300)},
		{"stretch", "wid=300&hei=300&fit=stretch", Source{}, lay(full, 300, 300, 0, 0, 300, 300)},
		{"hfit", "wid=300&hei=300&fit=hfit", Source{}, lay(full, 300, 225, 0, 37, 300, 300)},
		{"vfit", "wid=300&hei=300&fit=vfit", Source{}, lay(full, 400, 300, -50, 0, 300, 300)},
		// Upscaling: a 200×100 source in a 400×400 box (s = 2 across, 4 down).
		{"fit no upscale pads", "wid=400&hei=400", small, lay(image.Rect(0, 0, 200, 100), 200, 100, 100, 150, 400, 400)},
		{"fit upscale", "wid=400&hei=400&fit=fit,1", small, lay(image.Rect(0, 0, 200, 100), 400, 200, 0, 100, 400, 400)},
		{"crop upscale", "wid=400&hei=400&fit=crop,1", small, lay(image.Rect(0, 0, 200, 100), 800, 400, -200, 0, 400, 400)},
		{"stretch no upscale centres", "wid=400&hei=400&fit=stretch&align=1,1", small, lay(image.Rect(0, 0, 200, 100), 200, 100, 100, 150, 400, 400)},
		{"r-fit: wrap no upscale pads, never smaller than wid×hei", "wid=400&hei=400&fit=wrap", small, lay(image.Rect(0, 0, 200, 100), 200, 100, 100, 150, 400, 400)},
		{"r-fit: wrap no upscale, padding placed by align", "wid=400&hei=400&fit=wrap&align=-1,-1", small, lay(image.Rect(0, 0, 200, 100), 200, 100, 0, 0, 400, 400)},
		{"r-fit: wrap upscale grows the reply", "wid=400&hei=400&fit=wrap,1", small, lay(image.Rect(0, 0, 200, 100), 800, 400, 0, 0, 800, 400)},
		// scl: scale 1/scl, then crop or pad to wid/hei.
		{"scl", "scl=4", Source{}, lay(full, 500, 375, 0, 0, 500, 375)},
		{"scl ignores fit", "scl=4&fit=crop", Source{}, lay(full, 500, 375, 0, 0, 500, 375)},
		{"scl with box", "scl=4&wid=400&hei=400", Source{}, lay(full, 500, 375, -50, 12, 400, 400)},
		{"scl with wid", "scl=4&wid=400", Source{}, lay(full, 500, 375, -50, 0, 400, 375)},
		// Source crop, before everything.
		{"crop px", "crop=100,100,1000,500", Source{}, lay(image.Rect(100, 100, 1100, 600), 1000, 500, 0, 0, 1000, 500)},
		{"crop then wid", "crop=100,100,1000,500&wid=500", Source{}, lay(image.Rect(100, 100, 1100, 600), 500, 250, 0, 0, 500, 250)},
		{"cropN", "cropN=0.25,0.5,0.5,0.5", Source{}, lay(image.Rect(500, 750, 1500, 1500), 1000, 750, 0, 0, 1000, 750)},
		{"crop past the edge", "crop=-100,0,400,300", Source{}, lay(image.Rect(-100, 0, 300, 300), 400, 300, 0, 0, 400, 300)},
		{"padding within the crop budget", "crop=-1000,-1000,4000,3500&wid=400", Source{}, lay(image.Rect(-1000, -1000, 3000, 2500), 400, 350, 0, 0, 400, 350)},
		// Rotation swaps the view; Scaled stays in the pre-rotation frame.
		{"rotate 90", "rotate=90&wid=300", Source{}, withRot(lay(full, 400, 300, 0, 0, 300, 400), 90, "")},
		{"rotate 180 flip", "rotate=180&flip=lr&wid=300", Source{}, withRot(lay(full, 300, 225, 0, 0, 300, 225), 180, "lr")},
		{"EXIF 6", "wid=300", Source{Width: 2000, Height: 1500, Orientation: 6}, lay(image.Rect(0, 0, 1500, 2000), 300, 400, 0, 0, 300, 400)},
		{"EXIF 6 and rotate", "wid=300&rotate=90", Source{Width: 2000, Height: 1500, Orientation: 6},
			withRot(lay(image.Rect(0, 0, 1500, 2000), 225, 300, 0, 0, 300, 225), 90, "")},
		{"EXIF 3 keeps size", "wid=300", Source{Width: 2000, Height: 1500, Orientation: 3}, lay(full, 300, 225, 0, 0, 300, 225)},
		// rect cuts the view; the reply is its part inside the canvas.
		{"rect", "wid=1000&rect=0,0,500,250", Source{}, lay(full, 1000, 750, 0, 0, 500, 250)},
		{"rect clipped", "wid=1000&rect=500,500,600,600", Source{}, lay(full, 1000, 750, -500, -500, 500, 250)},
		{"rect tile of a view above MaxPix", "wid=4000&rect=2000,1000,1000,1000", Source{}, lay(full, 4000, 3000, -2000, -1000, 1000, 1000)},
		{"rect with padding", "wid=300&hei=300&rect=0,0,300,100", Source{}, lay(full, 300, 225, 0, 37, 300, 100)},
		// dpr multiplies the requested size and clamps to MaxPix.
		{"dpr", "wid=300&hei=300&dpr=on,2", Source{}, lay(full, 600, 450, 0, 75, 600, 600)},
		{"dpr rect", "wid=1000&rect=0,0,100,100&dpr=on,2", Source{}, lay(full, 2000, 1500, 0, 0, 200, 200)},
		{"dpr clamp", "wid=1000&dpr=on,4", Source{}, lay(full, 3000, 2250, 0, 0, 3000, 2250)},
		{"dpr scl", "scl=4&dpr=on,2", Source{}, lay(full, 1000, 750, 0, 0, 1000, 750)},
		{"MaxPix edge", "wid=3000&hei=3000", Source{}, lay(full, 2000, 1500, 500, 750, 3000, 3000)},
		{"a MaxPix of 5000x5000 allows a 25 MP reply", "wid=5000&hei=5000&fit=fit,1&.maxpix5000", Source{}, lay(full, 5000, 3750, 0, 625, 5000, 5000)},
		{"dpr clamps to a MaxPix of 5000x5000", "wid=2000&hei=2000&dpr=on,3&.maxpix5000", Source{}, lay(full, 2000, 1500, 1500, 1750, 5000, 5000)},
		{"dpr clamps to the 25 MP hard cap", "wid=2000&hei=2000&dpr=on,3&.maxpix8000", Source{}, lay(full, 2000, 1500, 1500, 1750, 5000, 5000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			src := tt.src
			if src == (Source{}) {
				src = Source{Width: 2000, Height: 1500, Orientation: 1}
			}
			s := Settings{}
			if strings.Contains(tt.query, ".maxpix5000") {
				s.MaxPix = [2]int{5000, 5000}
			}
			if strings.Contains(tt.query, ".maxpix8000") {
				s.MaxPix = [2]int{8000, 8000} // above what settings accept: the hard cap still holds
			}
			p := mustPlan(t, tt.query, src, s)
			if diff := cmp.Diff(tt.want, p.Layout); diff != "" {
				t.Errorf("NewPlan(%q, %v) layout (-want +got):\n%s", tt.query, src, diff)
			}
		})
	}
}

func TestPlanRefusals(t *testing.T) {
	t.Parallel()
	src := Source{Width: 2000, Height: 1500}
	big := Settings{MaxPix: [2]int{5000, 5000}}
	tests := []struct {
		name  string
		query string
		src   Source
		s     Settings
		code  string
	}{
		{"wid above MaxPix", "wid=3001", src, Settings{}, vitrine.EFORBIDDEN},
		{"hei above MaxPix", "hei=3001", src, Settings{}, vitrine.EFORBIDDEN},
		{"scl=1 of a big source", "scl=1", Source{Width: 4000, Height: 3000}, Settings{}, vitrine.EFORBIDDEN},
		{"company MaxPix", "wid=600", src, Settings{MaxPix: [2]int{500, 500}}, vitrine.EFORBIDDEN},
		{"above a MaxPix of 5000x5000", "wid=5001&hei=4000", src, big, vitrine.EFORBIDDEN},
		{"above the 25 MP hard cap", "wid=5100&hei=5000", src, Settings{MaxPix: [2]int{8000, 8000}}, vitrine.EFORBIDDEN},
		{"dpr does not rescue a reply too big at dpr 1", "wid=5001&hei=4000&dpr=on,1.5", src, big, vitrine.EFORBIDDEN},
		{"huge view", "wid=2000&hei=1&fit=crop,1&rect=0,0,1,1", Source{Width: 1, Height: 2000}, big, vitrine.EFORBIDDEN},
		{"crop outside", "crop=5000,0,10,10", src, Settings{}, vitrine.EINVALID},
		// Work budgets (issue 15, item 3): the crop, extension included, is built whole.
		{"crop 100000x99999", "crop=0,0,100000,99999", src, Settings{}, vitrine.EFORBIDDEN},
		{"crop 1000000x1000000", "crop=0,0,1000000,1000000", src, Settings{}, vitrine.EFORBIDDEN},
		{"small reply of a huge crop", "crop=0,0,100000,99999&wid=10", src, Settings{}, vitrine.EFORBIDDEN},
		{"cropN 10x the image", "cropN=-5,-5,10,10", Source{Width: 8000, Height: 6000}, Settings{}, vitrine.EFORBIDDEN},
		{"crop 30 MP of a 3 MP image", "crop=0,0,6000,5000&wid=100", src, Settings{}, vitrine.EFORBIDDEN},
		{"crop 4x a 48 MP image, above 100 MP", "cropN=-0.5,-0.5,2,2&wid=100", Source{Width: 8000, Height: 6000}, Settings{}, vitrine.EFORBIDDEN},
		{"huge scl", "scl=0.0001", src, Settings{}, vitrine.EFORBIDDEN},
		{"huge scl with a tile", "scl=0.01&rect=0,0,100,100", src, Settings{}, vitrine.EFORBIDDEN},
		{"rect outside", "wid=100&rect=200,0,10,10", src, Settings{}, vitrine.EINVALID},
		{"empty source", "", Source{}, Settings{}, vitrine.EINVALID},
		{"source above 100 MP", "wid=100", Source{Width: 20000, Height: 10000}, Settings{}, vitrine.ETOOLARGE},
		{"bad company colour", "", src, Settings{BkgColor: "nope"}, vitrine.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := Parse(tt.query, nil)
			if err != nil {
				t.Fatal(err)
			}
			p, err := NewPlan(r, tt.src, tt.s)
			if code := vitrine.ErrorCode(err); code != tt.code {
				t.Fatalf("NewPlan(%q, %v) = %+v, %v; want code %s", tt.query, tt.src, p, err, tt.code)
			}
		})
	}
}

func TestPlanOutput(t *testing.T) {
	t.Parallel()
	src := Source{Width: 100, Height: 100}
	company := Settings{JpegQuality: 70, BkgColor: "000000", ResMode: ResBilin}
	type out struct {
		Format, MIME       string
		Alpha, NoSubsample bool
		Background         Color
		Quality            int
		ResMode            string
		Sharpen, HasUSM    bool
	}
	tests := []struct {
		name  string
		query string
		s     Settings
		want  out
	}{
		{"defaults", "", Settings{}, out{"jpeg", "image/jpeg", false, false, Color{255, 255, 255}, 80, ResBicub, false, false}},
		{"company defaults", "", company, out{"jpeg", "image/jpeg", false, false, Color{}, 70, ResBilin, false, false}},
		{"request wins", "qlt=90,1&bgc=FF0000&resMode=sharp2&op_sharpen=1&op_usm=1,1", company,
			out{"jpeg", "image/jpeg", false, true, Color{255, 0, 0}, 90, ResSharp2, true, true}},
		{"png-alpha", "fmt=png-alpha", Settings{}, out{"png-alpha", "image/png", true, false, Color{255, 255, 255}, 80, ResBicub, false, false}},
		{"png8", "fmt=png8", Settings{}, out{"png8", "image/png", false, false, Color{255, 255, 255}, 80, ResBicub, false, false}},
		{"gif-alpha", "fmt=gif-alpha", Settings{}, out{"gif-alpha", "image/gif", true, false, Color{255, 255, 255}, 80, ResBicub, false, false}},
		{"webp", "fmt=webp", Settings{}, out{"webp", "image/webp", false, false, Color{255, 255, 255}, 80, ResBicub, false, false}},
		{"avif-alpha", "fmt=avif-alpha", Settings{}, out{"avif-alpha", "image/avif", true, false, Color{255, 255, 255}, 80, ResBicub, false, false}},
		{"tif", "fmt=tif", Settings{}, out{"tif", "image/tiff", false, false, Color{255, 255, 255}, 80, ResBicub, false, false}},
		{"pjpeg", "fmt=pjpeg", Settings{}, out{"pjpeg", "image/jpeg", false, false, Color{255, 255, 255}, 80, ResBicub, false, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := mustPlan(t, tt.query, src, tt.s)
			got := out{p.Format, p.MIME, p.Alpha, p.NoSubsample, p.Background, p.Quality, p.ResMode, p.Sharpen, p.USM != nil}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("NewPlan(%q) (-want +got):\n%s", tt.query, diff)
			}
		})
	}
}

func TestPlanForSource(t *testing.T) {
	t.Parallel()
	p := mustPlan(t, "wid=300", Source{Width: 2000, Height: 1500, Orientation: 1}, Settings{})
	if q, err := p.forSource(Source{Width: 2000, Height: 1500}); err != nil || q != p {
		t.Errorf("forSource(same size, orientation 0) = %p, %v; want the same plan %p", q, err, p)
	}
	q, err := p.forSource(Source{Width: 2000, Height: 1500, Orientation: 8})
	if err != nil {
		t.Fatal(err)
	}
	if q.Width != 300 || q.Height != 400 {
		t.Errorf("forSource(orientation 8) reply %dx%d, want 300x400", q.Width, q.Height)
	}
	if _, err := p.forSource(Source{Width: 40000, Height: 30000}); vitrine.ErrorCode(err) != vitrine.ETOOLARGE {
		t.Errorf("forSource(huge) error %v, want %s", err, vitrine.ETOOLARGE)
	}
}

func mustPlan(t testing.TB, query string, src Source, s Settings) *Plan {
	t.Helper()
	r, err := Parse(query, nil)
	if err != nil {
		t.Fatalf("Parse(%q): %v", query, err)
	}
	p, err := NewPlan(r, src, s)
	if err != nil {
		t.Fatalf("NewPlan(%q, %v): %v", query, src, err)
	}
	return p
}

// lay builds a Layout: crop, scaled size, offset, reply size.
func lay(crop image.Rectangle, sw, sh, ox, oy, w, h int) Layout {
	return Layout{Crop: crop, Scaled: image.Pt(sw, sh), Offset: image.Pt(ox, oy), Width: w, Height: h}
}

func withRot(l Layout, rotate int, flip string) Layout {
	l.Rotate, l.Flip = rotate, flip
	return l
}
