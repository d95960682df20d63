package imaging

import (
	"image"
	"image/color"
	"testing"

	"github.com/davidbyttow/govips/v2/vips"
)

func TestToSRGB(t *testing.T) {
	t.Parallel()
	needVips(t)
	grey := image.NewGray(image.Rect(0, 0, 8, 8))
	for i := range grey.Pix {
		grey.Pix[i] = 100
	}
	deep := image.NewNRGBA64(image.Rect(0, 0, 8, 8))
	for y := range 8 {
		for x := range 8 {
			deep.SetNRGBA64(x, y, color.NRGBA64{0xFFFF, 0, 0, 0xFFFF})
		}
	}
	p3 := func() []byte { // red in Display P3, with the profile embedded
		img := ref(t, solid(8, 8, red), true)
		if err := img.TransformICCProfileWithFallback("p3", "srgb"); err != nil {
			t.Fatalf("no built-in p3 profile: %v", err)
		}
		buf, _, err := img.ExportPng(&vips.PngExportParams{Compression: 1})
		if err != nil {
			t.Fatal(err)
		}
		return buf
	}()
	tests := []struct {
		name   string
		src    []byte
		interp vips.Interpretation // as loaded
		want   color.NRGBA         // at 2, 2
		tol    int
	}{
		{"srgb untouched", encodePNG(t, quadrants(8, 8)), vips.InterpretationSRGB, red, 0},
		// sRGB red is outside the CMYK gamut and comes back as about 232,53,45;
		// an inverted or unconverted CMYK would come back cyan or black.
		{"cmyk with profile", cmykJPEG(t, quadrants(8, 8), true), vips.InterpretationCMYK, color.NRGBA{232, 53, 45, 255}, 12},
		{"cmyk without profile", cmykJPEG(t, quadrants(8, 8), false), vips.InterpretationCMYK, color.NRGBA{232, 53, 45, 255}, 12},
		{"grey", encodePNG(t, grey), vips.InterpretationBW, color.NRGBA{100, 100, 100, 255}, 1},
		{"16-bit", encodePNG(t, deep), vips.InterpretationRGB16, red, 1},
		{"display p3 profile", p3, vips.InterpretationSRGB, red, 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			img, err := openSource(tt.src, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer img.Close()
			if img.Interpretation() != tt.interp {
				t.Fatalf("source interpretation %v, want %v", img.Interpretation(), tt.interp)
			}
			st := &state{img: img}
			if err := toSRGB(st); err != nil {
				t.Fatal(err)
			}
			if img.Interpretation() != vips.InterpretationSRGB || img.BandFormat() != vips.BandFormatUchar || img.Bands() != 3 {
				t.Errorf("converted to %v %v with %d bands, want 8-bit sRGB with 3", img.Interpretation(), img.BandFormat(), img.Bands())
			}
			checkPoints(t, img, tt.tol, probePoint{2, 2, tt.want})
		})
	}
}
