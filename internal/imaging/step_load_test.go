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
		{"wid=300 of 2000 leaves 3.3 to the kernel", image.Rect(0, 0, 2000, 1500), 300, 225, 2},
		{"factor 4", image.Rect(0, 0, 2000, 1500), 500, 375, 2},
		{"factor 8", image.Rect(0, 0, 2000, 1500), 250, 180, 4},
		{"just under 8", image.Rect(0, 0, 2000, 1500), 250, 188, 2},
		{"factor 16", image.Rect(0, 0, 2000, 1500), 125, 90, 8},
		{"factor 3", image.Rect(0, 0, 2000, 1500), 667, 500, 1},
		{"upscale", image.Rect(0, 0, 200, 100), 400, 200, 1},
		{"stretch keeps the finer axis", image.Rect(0, 0, 2000, 1500), 100, 1500, 1},
		{"small crop of a big source", image.Rect(1000, 1000, 1100, 1100), 50, 50, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := &Plan{Layout: Layout{Crop: tt.crop, Scaled: image.Pt(tt.scaledW, tt.scaledH)}}
			if got := shrinkOnLoad(p); got != tt.want {
				t.Errorf("shrinkOnLoad(%v → %dx%d) = %d, want %d", tt.crop, tt.scaledW, tt.scaledH, got, tt.want)
			}
		})
	}
}

// TestLoad checks the decoder really shrinks (a 2000×1500 JPEG asked at
// wid=300 is decoded at 1000×750, never at full size) and that the EXIF
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
		{"jpeg wid=300", jpg, "wid=300", 1000, 750},
		{"jpeg wid=100", jpg, "wid=100", 250, 187}, // libvips gives 187 rows for 1500/8
		{"jpeg full size", jpg, "wid=1000", 2000, 1500},
		{"png never shrinks", encodePNG(t, quadrants(2000, 1500)), "wid=300", 2000, 1500},
		{"webp scales", webp, "wid=300", 1000, 750},
		{"exif 6 upright", exif6, "wid=300", 1000, 750},
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
			checkPoints(t, st.img, 40,
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
	want := Info{Source: Source{Width: 30, Height: 40, Orientation: 6}, Format: "jpeg", PixelType: "rgb"}
	if info != want {
		t.Errorf("Probe = %+v, want %+v", info, want)
	}
	cmyk, err := Probe(cmykJPEG(t, quadrants(40, 30), true))
	if err != nil || cmyk.PixelType != "cmyk" || !cmyk.ICC {
		t.Errorf("Probe(CMYK) = %+v, %v; want pixel type cmyk with a profile", cmyk, err)
	}
	if _, err := Probe([]byte("definitely not an image")); err == nil {
		t.Error("Probe(text) succeeded")
	}
}
