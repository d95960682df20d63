package imaging

import (
	"bytes"
	"image/color"
	"testing"

	"github.com/vitrine/vitrine"
)

func TestEncode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		format string
		alpha  bool // the format keeps the alpha band
		tol    int  // lossy formats drift a little on flat colours
	}{
		{"jpeg", false, 8}, {"pjpeg", false, 8},
		{"png", false, 0}, {"png-alpha", true, 0}, {"png8", false, 0},
		{"gif", false, 0}, {"gif-alpha", true, 0},
		{"webp", false, 8}, {"webp-alpha", true, 8},
		{"avif", false, 12}, {"avif-alpha", true, 12},
		{"tif", false, 0},
		{"jpeg2000", false, 8}, {"jpeg2000-alpha", true, 8},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			t.Parallel()
			src := quadrants(64, 32)
			for y := range 32 {
				for x := 28; x < 36; x++ {
					src.SetNRGBA(x, y, color.NRGBA{}) // a transparent band down the middle
				}
			}
			img := ref(t, src, !tt.alpha)
			p := &Plan{Format: tt.format, Quality: 80}
			body, err := encode(img, p)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.format
			if i := bytes.IndexByte([]byte(want), '-'); i > 0 {
				want = want[:i]
			}
			switch want {
			case "pjpeg":
				want = "jpeg"
			case "png8":
				want = "png"
			}
			if got := sniff(body); got != want {
				t.Fatalf("encode(%s) gave %s bytes", tt.format, got)
			}
			if want == "jpeg2000" {
				// The JPEG 2000 loader is blocked in this process (vips.go),
				// so the header says what was written: the JP2 image header
				// box holds height, width and the number of components.
				w, h, nc := jp2Header(t, body)
				if w != 64 || h != 32 || nc != map[bool]int{false: 3, true: 4}[tt.alpha] {
					t.Errorf("jp2 header %dx%d with %d components, want 64x32 alpha %v", w, h, nc, tt.alpha)
				}
				return
			}
			out := decoded(t, body)
			if out.Width() != 64 || out.Height() != 32 {
				t.Errorf("decoded %dx%d, want 64x32", out.Width(), out.Height())
			}
			checkPoints(t, out, tt.tol, probePoint{8, 8, red}, probePoint{56, 8, green}, probePoint{8, 24, blue}, probePoint{56, 24, yellow})
			if tt.alpha {
				if a := at(t, out, 32, 16).A; a != 0 {
					t.Errorf("alpha in the transparent band = %d, want 0", a)
				}
			}
		})
	}
}

func TestEncodeJPEGOptions(t *testing.T) {
	t.Parallel()
	img := ref(t, quadrants(64, 64), true)
	tests := []struct {
		name        string
		plan        Plan
		progressive bool
		h, v        int // luma sampling factors
	}{
		{"baseline, subsampled", Plan{Format: "jpeg", Quality: 80}, false, 2, 2},
		{"qlt 95 still subsampled", Plan{Format: "jpeg", Quality: 95}, false, 2, 2},
		{"chroma flag", Plan{Format: "jpeg", Quality: 80, NoSubsample: true}, false, 1, 1},
		{"pjpeg", Plan{Format: "pjpeg", Quality: 80}, true, 2, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, err := encode(img, &tt.plan)
			if err != nil {
				t.Fatal(err)
			}
			prog, h, v := jpegFrame(t, body)
			if prog != tt.progressive || h != tt.h || v != tt.v {
				t.Errorf("progressive %v, sampling %dx%d; want %v, %dx%d", prog, h, v, tt.progressive, tt.h, tt.v)
			}
		})
	}
}

// TestEncodeQuality checks qlt reaches the lossy encoders: lower quality,
// fewer bytes.
func TestEncodeQuality(t *testing.T) {
	t.Parallel()
	noisy := solid(128, 128, color.NRGBA{})
	for i := range noisy.Pix {
		noisy.Pix[i] = uint8(i*7919%251) | 3
	}
	img := ref(t, noisy, true)
	for _, format := range []string{"jpeg", "webp", "avif"} {
		t.Run(format, func(t *testing.T) {
			low, err := encode(img, &Plan{Format: format, Quality: 20})
			if err != nil {
				t.Fatal(err)
			}
			high, err := encode(img, &Plan{Format: format, Quality: 95})
			if err != nil {
				t.Fatal(err)
			}
			if len(low) >= len(high) {
				t.Errorf("%s at q20 is %d bytes, at q95 %d: want fewer", format, len(low), len(high))
			}
		})
	}
}

func TestEncodeUnsupported(t *testing.T) {
	t.Parallel()
	img := ref(t, quadrants(8, 8), true)
	if _, err := encode(img, &Plan{Format: "bmp"}); vitrine.ErrorCode(err) != vitrine.EUNSUPPORTED {
		t.Errorf("encode(bmp) error %v, want %s", err, vitrine.EUNSUPPORTED)
	}
	if !avifOK {
		if _, err := encode(img, &Plan{Format: "avif"}); vitrine.ErrorCode(err) != vitrine.EUNSUPPORTED {
			t.Errorf("encode(avif) without AV1 encoder: error %v, want %s", err, vitrine.EUNSUPPORTED)
		}
	}
}

// jp2Header reads the JP2 image header box (ISO/IEC 15444-1, I.5.3.1):
// "ihdr", then height and width (4 bytes each) and the component count.
func jp2Header(t *testing.T, b []byte) (w, h, nc int) {
	t.Helper()
	i := bytes.Index(b, []byte("ihdr"))
	if i < 0 || i+14 > len(b) {
		t.Fatal("no ihdr box")
	}
	be := func(p []byte) int { return int(p[0])<<24 | int(p[1])<<16 | int(p[2])<<8 | int(p[3]) }
	return be(b[i+8:]), be(b[i+4:]), int(b[i+12])<<8 | int(b[i+13])
}
