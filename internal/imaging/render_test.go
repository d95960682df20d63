package imaging

import (
	"bytes"
	"context"
	"image/color"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/testenv"
)

func newTestRenderer(t testing.TB) *Renderer {
	t.Helper()
	r, err := New(Config{Workers: 2, Queue: 64, Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// renderQuery parses, plans and renders one request end to end.
func renderQuery(t testing.TB, r *Renderer, src []byte, query string) *Output {
	t.Helper()
	info, err := Probe(src)
	if err != nil {
		t.Fatal(err)
	}
	p := mustPlan(t, query, info.Source, Settings{})
	out, err := r.Render(context.Background(), src, p)
	if err != nil {
		t.Fatalf("Render(%q): %v", query, err)
	}
	if out.Width != p.Width || out.Height != p.Height || out.MIME != p.MIME {
		t.Errorf("Render(%q) = %dx%d %s, plan said %dx%d %s", query, out.Width, out.Height, out.MIME, p.Width, p.Height, p.MIME)
	}
	return out
}

// TestRender runs each command family through the Renderer on 400×300
// quadrant sources (red green / blue yellow) and samples the reply.
func TestRender(t *testing.T) {
	t.Parallel()
	needVips(t)
	r := newTestRenderer(t)
	quad := encodeJPEG(t, quadrants(400, 300), 95)
	exif6 := withMetadata(encodeJPEG(t, rotatedCCW(quadrants(400, 300)), 95), 6)
	cmyk := cmykJPEG(t, quadrants(400, 300), true)
	holed := quadrants(400, 300) // the red quarter is transparent
	for y := range 150 {
		for x := range 200 {
			holed.SetNRGBA(x, y, color.NRGBA{})
		}
	}
	alphaPNG := encodePNG(t, holed)
	white, navy, clear := color.NRGBA{255, 255, 255, 255}, color.NRGBA{0, 0, 128, 255}, color.NRGBA{}
	cmykRed := color.NRGBA{232, 53, 45, 255}
	type pt = probePoint
	tests := []struct {
		name, query  string
		src          []byte
		format       string // by magic
		wantW, wantH int
		points       []probePoint
	}{
		{"wid", "wid=200", quad, "jpeg", 200, 150, []pt{{50, 37, red}, {150, 37, green}, {50, 112, blue}, {150, 112, yellow}}},
		{"letterbox default white", "wid=200&hei=200", quad, "jpeg", 200, 200, []pt{{100, 10, white}, {100, 190, white}, {50, 60, red}, {150, 160, yellow}}},
		{"letterbox bgc", "wid=200&hei=200&bgc=000080", quad, "jpeg", 200, 200, []pt{{100, 10, navy}, {50, 60, red}}},
		{"letterbox align top", "wid=200&hei=200&align=0,-1", quad, "jpeg", 200, 200, []pt{{50, 10, red}, {100, 190, white}}},
		{"fit crop", "wid=200&hei=200&fit=crop", quad, "jpeg", 200, 200, []pt{{10, 10, red}, {190, 10, green}, {10, 190, blue}}},
		{"fit crop align right", "wid=200&hei=200&fit=crop&align=1,0", quad, "jpeg", 200, 200, []pt{{10, 10, red}, {80, 10, green}}},
		{"constrain", "wid=200&hei=200&fit=constrain", quad, "jpeg", 200, 150, []pt{{50, 37, red}}},
		{"stretch", "wid=100&hei=150&fit=stretch", quad, "jpeg", 100, 150, []pt{{25, 37, red}, {75, 112, yellow}}},
		{"scl", "scl=2", quad, "jpeg", 200, 150, []pt{{50, 37, red}, {150, 112, yellow}}},
		{"crop", "crop=200,0,200,150", quad, "jpeg", 200, 150, []pt{{10, 10, green}, {190, 140, green}}},
		{"cropN", "cropN=0,0.5,0.5,0.5", quad, "jpeg", 200, 150, []pt{{10, 10, blue}, {190, 140, blue}}},
		{"crop extension takes bgc", "crop=-100,0,400,150", quad, "jpeg", 400, 150, []pt{{50, 50, white}, {150, 50, red}, {350, 50, green}}},
		{"rect", "wid=200&rect=0,0,100,75", quad, "jpeg", 100, 75, []pt{{10, 10, red}, {90, 65, red}}},
		{"rotate", "rotate=90&wid=150", quad, "jpeg", 150, 200, []pt{{30, 30, blue}, {120, 30, red}, {30, 170, yellow}}},
		{"flip", "flip=lr&wid=200", quad, "jpeg", 200, 150, []pt{{30, 30, green}, {170, 30, red}}},
		{"flip and rotate", "flip=ud&rotate=180&wid=200", quad, "jpeg", 200, 150, []pt{{30, 30, green}, {170, 30, red}, {30, 120, yellow}}},
		{"dpr", "dpr=on,2&wid=100", quad, "jpeg", 200, 150, []pt{{50, 37, red}}},
		{"sharpen", "wid=200&op_sharpen=1&op_usm=1,2,0,0&resMode=bisharp", quad, "jpeg", 200, 150, []pt{{50, 37, red}, {150, 112, yellow}}},
		{"exif orientation 6", "wid=200", exif6, "jpeg", 200, 150, []pt{{50, 37, red}, {150, 37, green}, {50, 112, blue}}},
		{"exif 6 and rotate", "wid=150&rotate=90", exif6, "jpeg", 150, 200, []pt{{30, 30, blue}, {120, 30, red}}},
		{"cmyk", "wid=200", cmyk, "jpeg", 200, 150, []pt{{50, 37, cmykRed}}},
		{"alpha flattened on white", "wid=200", alphaPNG, "jpeg", 200, 150, []pt{{50, 37, white}, {150, 37, green}}},
		{"alpha flattened on bgc", "wid=200&bgc=000080&fmt=png", alphaPNG, "png", 200, 150, []pt{{50, 37, navy}, {150, 37, green}}},
		{"alpha kept", "wid=200&fmt=png-alpha", alphaPNG, "png", 200, 150, []pt{{50, 37, clear}, {150, 37, green}}},
		{"alpha letterbox", "wid=200&hei=200&fmt=webp-alpha&bgc=000080", alphaPNG, "webp", 200, 200, []pt{{100, 10, clear}, {150, 60, green}}},
		{"alpha letterbox flattened", "wid=200&hei=200&bgc=000080", alphaPNG, "jpeg", 200, 200, []pt{{100, 10, navy}, {50, 60, navy}, {150, 60, green}}},
		{"sharpen with alpha", "wid=200&fmt=png-alpha&op_sharpen=1", alphaPNG, "png", 200, 150, []pt{{50, 37, clear}, {150, 37, green}}},
		{"pjpeg", "wid=100&fmt=pjpeg", quad, "jpeg", 100, 75, []pt{{25, 18, red}}},
		{"png8", "wid=100&fmt=png8", quad, "png", 100, 75, []pt{{25, 18, red}}},
		{"gif", "wid=100&fmt=gif", quad, "gif", 100, 75, []pt{{25, 18, red}}},
		{"gif-alpha", "wid=100&fmt=gif-alpha", alphaPNG, "gif", 100, 75, []pt{{25, 18, clear}, {75, 18, green}}},
		{"webp", "wid=100&fmt=webp", quad, "webp", 100, 75, []pt{{25, 18, red}}},
		{"avif", "wid=100&fmt=avif", quad, "avif", 100, 75, []pt{{25, 18, red}}},
		{"avif-alpha", "wid=100&fmt=avif-alpha", alphaPNG, "avif", 100, 75, []pt{{25, 18, clear}, {75, 18, green}}},
		{"tif", "wid=100&fmt=tif", quad, "tif", 100, 75, []pt{{25, 18, red}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.format == "avif" && !avifOK {
				testenv.Missing(t, "libvips here cannot encode AVIF (libheif with an AV1 encoder)")
			}
			out := renderQuery(t, r, tt.src, tt.query)
			if got := sniff(out.Body); got != tt.format {
				t.Errorf("Render(%q) is %s, want %s", tt.query, got, tt.format)
			}
			img := decoded(t, out.Body)
			if img.Width() != tt.wantW || img.Height() != tt.wantH || out.Width != tt.wantW || out.Height != tt.wantH {
				t.Fatalf("Render(%q) = %dx%d (decoded %dx%d), want %dx%d", tt.query, out.Width, out.Height, img.Width(), img.Height(), tt.wantW, tt.wantH)
			}
			checkPoints(t, img, 16, tt.points...)
		})
	}
}

// TestRenderStripsMetadata renders a photo carrying EXIF (with GPS), XMP
// and an orientation into every format and looks for any trace of them.
func TestRenderStripsMetadata(t *testing.T) {
	t.Parallel()
	needVips(t)
	r := newTestRenderer(t)
	src := withMetadata(encodeJPEG(t, rotatedCCW(quadrants(64, 48)), 90), 6)
	if !bytes.Contains(src, []byte(secretMake)) || !bytes.Contains(src, []byte(secretXMP)) {
		t.Fatal("test source lacks its metadata")
	}
	for _, format := range []string{"jpeg", "pjpeg", "png", "png-alpha", "png8", "gif", "webp", "avif", "tif"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			if format == "avif" && !avifOK {
				testenv.Missing(t, "libvips here cannot encode AVIF (libheif with an AV1 encoder)")
			}
			out := renderQuery(t, r, src, "wid=32&fmt="+format)
			for _, leak := range []string{"Exif\x00\x00", secretMake, secretXMP, "http://ns.adobe.com/xap", "eXIf", "iCCP"} {
				if bytes.Contains(out.Body, []byte(leak)) {
					t.Errorf("fmt=%s reply contains %q", format, leak)
				}
			}
			if fields := decoded(t, out.Body).GetFields(); hasMetadata(fields) {
				t.Errorf("fmt=%s reply has metadata fields %v", format, fields)
			}
		})
	}
}

// TestRenderQuality checks qlt reaches the encoder end to end.
func TestRenderQuality(t *testing.T) {
	t.Parallel()
	needVips(t)
	r := newTestRenderer(t)
	noisy := solid(256, 256, color.NRGBA{})
	for i := range noisy.Pix {
		noisy.Pix[i] = uint8(i*7919%251) | 3
	}
	src := encodePNG(t, noisy)
	low := renderQuery(t, r, src, "qlt=20")
	high := renderQuery(t, r, src, "qlt=95")
	if len(low.Body) >= len(high.Body) {
		t.Errorf("qlt=20 gave %d bytes, qlt=95 %d: want fewer", len(low.Body), len(high.Body))
	}
	if p, h, v := jpegFrame(t, renderQuery(t, r, src, "qlt=95,1").Body); p || h != 1 || v != 1 {
		t.Errorf("qlt=95,1: progressive %v, sampling %dx%d; want baseline 1x1", p, h, v)
	}
}

// TestRenderReplans checks the renderer trusts the bytes, not the header
// the caller planned with: a stale orientation is re-planned, and a
// source larger than planned is refused like any other.
func TestRenderReplans(t *testing.T) {
	t.Parallel()
	needVips(t)
	r := newTestRenderer(t)
	exif6 := withMetadata(encodeJPEG(t, rotatedCCW(quadrants(400, 300)), 95), 6)
	stale := mustPlan(t, "wid=200", Source{Width: 300, Height: 400}, Settings{}) // orientation unknown
	out, err := r.Render(context.Background(), exif6, stale)
	if err != nil {
		t.Fatal(err)
	}
	if out.Width != 200 || out.Height != 150 {
		t.Errorf("stale plan rendered %dx%d, want 200x150", out.Width, out.Height)
	}
	checkPoints(t, decoded(t, out.Body), 16, probePoint{50, 37, red}, probePoint{150, 37, green})

	big := encodeJPEG(t, quadrants(3200, 200), 50)
	lie := mustPlan(t, "scl=1", Source{Width: 320, Height: 20}, Settings{})
	if _, err := r.Render(context.Background(), big, lie); vitrine.ErrorCode(err) != vitrine.EFORBIDDEN {
		t.Errorf("Render of a source larger than planned: error %v, want %s", err, vitrine.EFORBIDDEN)
	}
	if _, err := r.Render(context.Background(), []byte("not an image at all"), stale); vitrine.ErrorCode(err) != vitrine.EUNSUPPORTED {
		t.Errorf("Render of garbage: error %v, want %s", err, vitrine.EUNSUPPORTED)
	}
	if _, err := r.Render(context.Background(), exif6, nil); vitrine.ErrorCode(err) != vitrine.EINTERNAL {
		t.Errorf("Render(nil plan): error %v, want %s", err, vitrine.EINTERNAL)
	}
}
