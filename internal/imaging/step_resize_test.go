package imaging

import (
	"image"
	"testing"

	"github.com/davidbyttow/govips/v2/vips"
)

func TestResize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		w, h    int // source
		scaled  image.Point
		resMode string
	}{
		{"down bicubic", 200, 100, image.Pt(50, 25), ResBicub},
		{"down bilinear", 200, 100, image.Pt(50, 25), ResBilin},
		{"down lanczos", 200, 100, image.Pt(50, 25), ResSharp2},
		{"odd sizes", 201, 99, image.Pt(67, 33), ResBicub},
		{"up", 200, 100, image.Pt(400, 200), ResBicub},
		{"stretch", 200, 100, image.Pt(100, 100), ResBicub},
		{"same size", 200, 100, image.Pt(200, 100), ResBicub},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st := &state{plan: &Plan{Layout: Layout{Scaled: tt.scaled}, ResMode: tt.resMode}, img: ref(t, quadrants(tt.w, tt.h), true)}
			if err := resize(st); err != nil {
				t.Fatal(err)
			}
			if got := image.Pt(st.img.Width(), st.img.Height()); got != tt.scaled {
				t.Fatalf("resized to %v, want %v", got, tt.scaled)
			}
			x, y := tt.scaled.X, tt.scaled.Y
			checkPoints(t, st.img, 8, probePoint{x / 4, y / 4, red}, probePoint{x * 3 / 4, y / 4, green},
				probePoint{x / 4, y * 3 / 4, blue}, probePoint{x * 3 / 4, y * 3 / 4, yellow})
		})
	}
}

func TestKernel(t *testing.T) {
	t.Parallel()
	tests := map[string]vips.Kernel{
		ResBilin: vips.KernelLinear, ResBicub: vips.KernelCubic, ResSharp2: vips.KernelLanczos3,
		ResBisharp: vips.KernelCubic, "": vips.KernelCubic, "bogus": vips.KernelCubic,
	}
	for mode, want := range tests {
		if got := kernel(mode); got != want {
			t.Errorf("kernel(%q) = %v, want %v", mode, got, want)
		}
	}
}

func TestExactSize(t *testing.T) {
	t.Parallel()
	for _, size := range []image.Point{{99, 50}, {101, 50}, {100, 49}, {100, 51}, {101, 49}} {
		img := ref(t, quadrants(100, 50), true)
		if err := exactSize(img, size.X, size.Y); err != nil {
			t.Fatal(err)
		}
		if got := image.Pt(img.Width(), img.Height()); got != size {
			t.Errorf("exactSize(100x50 → %v) = %v", size, got)
		}
	}
}
