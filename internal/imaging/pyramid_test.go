package imaging

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/davidbyttow/govips/v2/vips"
)

// TestPyramidQuality holds renders from the pyramid to the same bar as
// TestShrinkOnLoadQuality: SSIM at least 0.99 against a Lanczos 3
// reduction of the fully decoded original, for JPEG, WebP and PNG
// originals at w150 to w1000.
func TestPyramidQuality(t *testing.T) {
	t.Parallel()
	needVips(t)
	pic := texturedPhoto(2400, 1600)
	webp, _, err := ref(t, pic, true).ExportWebp(&vips.WebpExportParams{Quality: 92})
	if err != nil {
		t.Fatal(err)
	}
	sources := []struct {
		name string
		src  []byte
	}{{"jpeg", encodeJPEG(t, pic, 92)}, {"webp", webp}, {"png", encodePNG(t, pic)}}
	for _, s := range sources {
		full := fullDecode(t, s.src)
		pyr := buildPyramid(t, s.src)
		for _, q := range []string{"wid=150", "wid=300", "wid=600", "wid=1000"} {
			t.Run(s.name+" "+q, func(t *testing.T) {
				t.Parallel()
				got := renderPyramidPNG(t, pyr, q, s.src)
				want := lanczos3(full, got.Bounds().Dx(), got.Bounds().Dy())
				score := ssim(luma(got), luma(want))
				t.Logf("%s %s from the pyramid: SSIM %.4f", s.name, q, score)
				if score < 0.99 {
					t.Errorf("SSIM %.4f against Lanczos 3 from the full image, want ≥ 0.99", score)
				}
			})
		}
	}
}

// buildPyramid returns the pyramid BuildPyramid writes for src.
func buildPyramid(t *testing.T, src []byte) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pyramid.tif")
	if err := BuildPyramid(src, path); err != nil {
		t.Fatal(err)
	}
	pyr, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return pyr
}

// renderPyramidPNG renders query as PNG from pyr, planned on orig's
// header, as the delivery handler does.
func renderPyramidPNG(t *testing.T, pyr []byte, query string, orig []byte) image.Image {
	t.Helper()
	info, err := Probe(orig)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "pyramid.tif")
	if err := os.WriteFile(path, pyr, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := renderPyramid(context.Background(), path, mustPlan(t, query+"&fmt=png", info.Source, Settings{}))
	if err != nil {
		t.Fatal(err)
	}
	m, err := png.Decode(bytes.NewReader(out.Body))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestPyramidGeometry renders the same requests from the original and from
// its pyramid: same size, same pixels up to resampling differences (mean
// luma difference under 2 of 255, SSIM ≥ 0.98), for crops, rect=, scl=,
// fits and an EXIF-rotated original (the pyramid is stored upright).
func TestPyramidGeometry(t *testing.T) {
	t.Parallel()
	needVips(t)
	pic := texturedPhoto(2000, 1500)
	srcs := map[string][]byte{"png": encodePNG(t, pic), "rotated jpeg": withMetadata(encodeJPEG(t, pic, 92), 6)}
	queries := []string{
		"wid=300",
		"wid=300&hei=300&fit=fit",
		"wid=300&hei=300&fit=crop",
		"wid=200&hei=400&fit=constrain",
		"crop=400,300,1000,800&wid=250",
		"cropN=0.5,0.5,0.5,0.5&wid=120",
		"scl=8",
		"rect=100,50,150,100&scl=4",
		"wid=300&rotate=90",
		"wid=1500", // level 0
	}
	for name, src := range srcs {
		pyr := buildPyramid(t, src)
		for _, q := range queries {
			t.Run(name+" "+q, func(t *testing.T) {
				t.Parallel()
				info, err := Probe(src)
				if err != nil {
					t.Fatal(err)
				}
				out, err := render(context.Background(), src, mustPlan(t, q+"&fmt=png", info.Source, Settings{}))
				if err != nil {
					t.Fatal(err)
				}
				want, err := png.Decode(bytes.NewReader(out.Body))
				if err != nil {
					t.Fatal(err)
				}
				got := renderPyramidPNG(t, pyr, q, src)
				if got.Bounds() != want.Bounds() {
					t.Fatalf("from the pyramid %v, from the original %v", got.Bounds(), want.Bounds())
				}
				a, b := luma(got), luma(want)
				var diff float64
				for i := range a.p {
					diff += math.Abs(a.p[i] - b.p[i])
				}
				diff /= float64(len(a.p))
				score := ssim(a, b)
				t.Logf("mean |Δluma| %.2f, SSIM %.4f", diff, score)
				if diff > 2 || score < 0.98 {
					t.Errorf("from the pyramid differs from the original: mean |Δluma| %.2f, SSIM %.4f", diff, score)
				}
			})
		}
	}
}

// TestPyramidLevel: the level read is the smallest not below what the
// plan needs, crops counted at their own scale, capped at the last page.
func TestPyramidLevel(t *testing.T) {
	src := Source{Width: 2000, Height: 1500}
	tests := []struct {
		query string
		pages int
		want  int
	}{
		{"wid=300", 5, 2},                        // 6.7× → 4× (500×375)
		{"wid=1000", 5, 1},                       // exactly 2×
		{"wid=1001", 5, 0},                       // just under 2×
		{"wid=100", 5, 4},                        // 20× → 16×
		{"wid=100", 3, 2},                        // only 3 pages
		{"crop=0,0,400,300&wid=200", 5, 1},       // the crop is 2× the output
		{"crop=0,0,400,300&wid=400", 5, 0},       // a crop at full size
		{"wid=300&hei=300&fit=crop", 5, 2},       // cut to a square: 1500/300 = 5×
		{"wid=200&hei=1000&fit=constrain", 5, 3}, // 10× on the width
	}
	for _, tc := range tests {
		p := mustPlan(t, tc.query, src, Settings{})
		if got := pyramidLevel(p, tc.pages); got != tc.want {
			t.Errorf("%s, %d pages: level %d, want %d (downscale %.2f)", tc.query, tc.pages, got, tc.want, downscale(p))
		}
	}
}

// TestBuildPyramid: pages halve down to one tile, the first is upright.
func TestBuildPyramid(t *testing.T) {
	t.Parallel()
	needVips(t)
	pyr := buildPyramid(t, withMetadata(encodeJPEG(t, texturedPhoto(2000, 1200), 90), 6))
	var sizes [][2]int
	for page := 0; ; page++ {
		params := vips.NewImportParams()
		params.Page.Set(page)
		img, err := vips.LoadImageFromBuffer(pyr, params)
		if err != nil {
			break
		}
		sizes = append(sizes, [2]int{img.Width(), img.Height()})
		img.Close()
	}
	if len(sizes) < 3 || sizes[0] != [2]int{1200, 2000} {
		t.Fatalf("pages %v, want 1200×2000 (upright) then halves", sizes)
	}
	for i := 1; i < len(sizes); i++ {
		if sizes[i][0] != sizes[i-1][0]/2 && sizes[i][0] != (sizes[i-1][0]+1)/2 {
			t.Errorf("page %d is %v after %v, want half", i, sizes[i], sizes[i-1])
		}
	}
	if last := sizes[len(sizes)-1]; last[0] > 2*pyramidTile || last[1] > 2*pyramidTile {
		t.Errorf("last page %v, want at most about a tile", last)
	}
}
