package imaging

import (
	"image"
	"testing"

	"github.com/davidbyttow/govips/v2/vips"
)

func TestShrinkOnLoad(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		crop             image.Rectangle
		scaledW, scaledH int
		want             int
	}{
		{"wid=300 of 2000: 4, the kernel does the last 1.7", image.Rect(0, 0, 2000, 1500), 300, 225, 4},
		{"factor 4", image.Rect(0, 0, 2000, 1500), 500, 375, 4},
		{"factor 8", image.Rect(0, 0, 2000, 1500), 250, 180, 8},
		{"just under 8", image.Rect(0, 0, 2000, 1500), 250, 188, 4},
		{"factor 16", image.Rect(0, 0, 2000, 1500), 125, 90, 8},
		{"factor 3", image.Rect(0, 0, 2000, 1500), 667, 500, 2},
		{"upscale", image.Rect(0, 0, 200, 100), 400, 200, 1},
		{"stretch keeps the finer axis", image.Rect(0, 0, 2000, 1500), 100, 1500, 1},
		{"small crop of a big source", image.Rect(1000, 1000, 1100, 1100), 50, 50, 2},
		{"just under 2", image.Rect(0, 0, 2000, 1500), 1001, 751, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := &Plan{Layout: Layout{Crop: tt.crop, Scaled: image.Pt(tt.scaledW, tt.scaledH)}}
			if got := jpegShrink(p); got != tt.want {
				t.Errorf("jpegShrink(%v → %dx%d) = %d, want %d", tt.crop, tt.scaledW, tt.scaledH, got, tt.want)
			}
		})
	}
}

// TestLoad checks the decoder really shrinks (a 2000×1500 JPEG asked at
// wid=300 is decoded at 500×375, never at full size) and that the EXIF
// orientation is applied once.
func TestLoad(t *testing.T) {
	t.Parallel()
	needVips(t)
	q := quadrants(2000, 1500)
	jpg := encodeJPEG(t, q, 90)
	webp := func() []byte {
		buf, _, err := ref(t, q, true).ExportWebp(&vips.WebpExportParams{Quality: 90})
		if err != nil {
			t.Fatal(err)
		}
		return buf
	}()
	exif6 := withMetadata(encodeJPEG(t, rotatedCCW(q), 90), 6)
	tests := []struct {
		name         string
		src          []byte
		query        string
		wantW, wantH int
	}{
		{"jpeg wid=300", jpg, "wid=300", 500, 375},
		{"jpeg wid=100", jpg, "wid=100", 250, 187}, // libvips gives 187 rows for 1500/8
		{"jpeg half size", jpg, "wid=1000", 1000, 750},
		{"jpeg full size", jpg, "wid=1001", 2000, 1500},
		{"png never shrinks", encodePNG(t, quadrants(2000, 1500)), "wid=300", 2000, 1500},
		{"webp scales to the size asked", webp, "wid=300", 300, 225},
		{"exif 6 upright", exif6, "wid=300", 500, 375},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			info, err := Probe(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			st := &state{plan: mustPlan(t, tt.query, info.Source, Settings{}), src: tt.src}
			if err := load(st); err != nil {
				t.Fatal(err)
			}
			defer st.img.Close()
			if st.img.Width() != tt.wantW || st.img.Height() != tt.wantH {
				t.Errorf("loaded %dx%d, want %dx%d", st.img.Width(), st.img.Height(), tt.wantW, tt.wantH)
			}
			if want := float64(tt.wantW) / 2000; st.loadScaleX != want {
				t.Errorf("loadScaleX = %v, want %v", st.loadScaleX, want)
			}
			// A sequential decode is read once, top to bottom, as the
			// encoder reads it; the points are probed on that output.
			buf, _, err := st.img.ExportPng(&vips.PngExportParams{Compression: 1})
			if err != nil {
				t.Fatal(err)
			}
			out := decoded(t, buf)
			defer out.Close()
			checkPoints(t, out, 40,
				probePoint{tt.wantW / 4, tt.wantH / 4, red},
				probePoint{tt.wantW * 3 / 4, tt.wantH / 4, green},
				probePoint{tt.wantW / 4, tt.wantH * 3 / 4, blue})
		})
	}
}

func TestProbe(t *testing.T) {
	t.Parallel()
	needVips(t)
	info, err := Probe(withMetadata(encodeJPEG(t, rotatedCCW(quadrants(40, 30)), 90), 6))
	if err != nil {
		t.Fatal(err)
	}
	// PrintRes: the resolution libvips reads (72 dpi here), reported as image.printRes.
	want := Info{Source: Source{Width: 30, Height: 40, Orientation: 6}, Format: "jpeg", PixelType: "rgb", PrintRes: 72}
	if info != want {
		t.Errorf("Probe = %+v, want %+v", info, want)
	}
	cmyk, err := Probe(cmykJPEG(t, quadrants(40, 30), true))
	if err != nil || cmyk.PixelType != "cmyk" || !cmyk.ICC || cmyk.ICCName == "" {
		t.Errorf("Probe(CMYK) = %+v, %v; want pixel type cmyk with a named profile (image.iccProfile)", cmyk, err)
	}
	if _, err := Probe([]byte("definitely not an image")); err == nil {
		t.Error("Probe(text) succeeded")
	}
}

// TestSequential: the decoder streams top to bottom only when no step
// reads out of order, and renders that need random access still work.
func TestSequential(t *testing.T) {
	t.Parallel()
	tests := []struct {
		query       string
		orientation int
		want        bool
	}{
		{"wid=300", 0, true},
		{"wid=300", 1, true},
		{"wid=300&flip=lr", 2, true},
		{"wid=300&crop=100,100,800,600", 1, true},
		{"wid=300&rotate=90", 1, false},
		{"wid=300&rotate=180", 1, false},
		{"wid=300&flip=ud", 1, false},
		{"wid=300&flip=lrud", 1, false},
		{"wid=300", 3, false},
		{"wid=300", 6, false},
		{"wid=300", 8, false},
	}
	for _, tt := range tests {
		p := mustPlan(t, tt.query, Source{Width: 2000, Height: 1500, Orientation: tt.orientation}, Settings{})
		if got := sequential(p); got != tt.want {
			t.Errorf("sequential(%s, orientation %d) = %v, want %v", tt.query, tt.orientation, got, tt.want)
		}
	}
	needVips(t)
	jpg := encodeJPEG(t, quadrants(2000, 1500), 90)
	exif6 := withMetadata(encodeJPEG(t, rotatedCCW(quadrants(2000, 1500)), 90), 6)
	for _, c := range []struct {
		name, query string
		src         []byte
	}{
		{"plain", "wid=300&fmt=png", jpg},
		{"rotated", "wid=300&rotate=90&fmt=png", jpg},
		{"flipped", "wid=300&flip=ud&fmt=png", jpg},
		{"exif 6", "wid=300&fmt=png", exif6},
		{"sharpened crop", "wid=300&crop=500,400,1000,700&op_usm=2,1,0&fmt=png", jpg},
	} {
		info, err := Probe(c.src)
		if err != nil {
			t.Fatal(err)
		}
		out, err := render(t.Context(), c.src, mustPlan(t, c.query, info.Source, Settings{}))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		img := decoded(t, out.Body)
		if img.Width() < 10 {
			t.Errorf("%s: %dx%d", c.name, img.Width(), img.Height())
		}
		img.Close()
	}
}
