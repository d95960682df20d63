package imaging

import (
	"image"
	"testing"
)

// TestUpscalingRule holds the one upscaling rule of docs/image-serving.md
// ("Upscaling") on a 200×100 source asked for more than it has; each case
// names the reference line it follows.
func TestUpscalingRule(t *testing.T) {
	t.Parallel()
	src := Source{Width: 200, Height: 100}
	tests := []struct {
		name, query  string
		image, reply image.Point
	}{
		{"r-is-http-wid: a bare wid is the reply width (fixed width, never any background fill)", "wid=400", image.Pt(400, 200), image.Pt(400, 200)},
		{"r-is-http-hei: a bare hei likewise", "hei=400", image.Pt(800, 400), image.Pt(800, 400)},
		{"r-fit Default fit=fit,0: wid and hei without fit= do not upscale, padded to wid×hei", "wid=400&hei=400", image.Pt(200, 100), image.Pt(400, 400)},
		{"r-fit upscale 1: fit=fit,1 upscales", "wid=400&hei=400&fit=fit,1", image.Pt(400, 200), image.Pt(400, 400)},
		{"r-fit upscale 0: constrain shrinks its reply instead of padding", "wid=400&hei=400&fit=constrain", image.Pt(200, 100), image.Pt(200, 100)},
		{"r-fit upscale 0: crop pads", "wid=400&hei=400&fit=crop", image.Pt(200, 100), image.Pt(400, 400)},
		{"r-fit upscale 0: wrap pads, never smaller than wid×hei", "wid=400&hei=400&fit=wrap,0", image.Pt(200, 100), image.Pt(400, 400)},
		{"r-fit upscale 1: wrap grows the reply to avoid cropping", "wid=400&hei=400&fit=wrap,1", image.Pt(800, 400), image.Pt(800, 400)},
		{"r-fit: an explicit fit=…,0 caps a single side too", "wid=400&fit=constrain,0", image.Pt(200, 100), image.Pt(200, 100)},
		{"r-fit: an explicit fit=…,1 with a single side", "wid=400&fit=constrain,1", image.Pt(400, 200), image.Pt(400, 200)},
		{"r-scl: scl is an explicit factor (fit= applies only when scl= is not present)", "scl=0.5&fit=fit,0", image.Pt(400, 200), image.Pt(400, 200)},
		{"r-is-http-wid Default: no wid, hei or scl is the composite size, never enlarged", "", image.Pt(200, 100), image.Pt(200, 100)},
		{"r-size: the cap is the layer's size, not the source's", "size=400,0&wid=600&hei=600", image.Pt(400, 200), image.Pt(600, 600)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := mustPlan(t, tt.query, src, Settings{})
			if p.Scaled != tt.image || image.Pt(p.Width, p.Height) != tt.reply {
				t.Errorf("NewPlan(%q): image %v, reply %dx%d; want %v, %v", tt.query, p.Scaled, p.Width, p.Height, tt.image, tt.reply)
			}
		})
	}
}
