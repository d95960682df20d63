package imaging

import (
	"image"
	"image/color"
	"testing"
)

func TestCropSource(t *testing.T) {
	t.Parallel()
	clear := color.NRGBA{}
	tests := []struct {
		name         string
		img          image.Image // the loaded image
		scale        float64     // loadScale, both axes
		crop         image.Rectangle
		wantW, wantH int
		points       []probePoint
	}{
		{"whole image", quadrants(200, 100), 1, image.Rect(0, 0, 200, 100), 200, 100,
			[]probePoint{{10, 10, red}, {190, 90, yellow}}},
		{"top-right quarter", quadrants(200, 100), 1, image.Rect(100, 0, 200, 50), 100, 50,
			[]probePoint{{5, 5, green}, {95, 45, green}}},
		{"extension is transparent", quadrants(200, 100), 1, image.Rect(-50, 0, 50, 50), 100, 50,
			[]probePoint{{10, 10, clear}, {49, 40, clear}, {50, 10, red}, {99, 49, red}}},
		{"extension past the far edge", quadrants(200, 100), 1, image.Rect(150, 50, 250, 150), 100, 100,
			[]probePoint{{10, 10, yellow}, {60, 10, clear}, {10, 60, clear}}},
		{"shrunk on load", quadrants(100, 50), 0.5, image.Rect(100, 50, 200, 100), 50, 25,
			[]probePoint{{5, 5, yellow}, {45, 20, yellow}}},
		{"one-pixel overlap survives shrinking", quadrants(100, 50), 0.125, image.Rect(-100, 0, 1, 8), 14, 1,
			[]probePoint{{0, 0, clear}, {13, 0, red}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st := &state{
				plan:       &Plan{Layout: Layout{Crop: tt.crop}},
				img:        ref(t, tt.img, true),
				loadScaleX: tt.scale, loadScaleY: tt.scale,
			}
			if err := cropSource(st); err != nil {
				t.Fatal(err)
			}
			if st.img.Width() != tt.wantW || st.img.Height() != tt.wantH {
				t.Fatalf("cropped to %dx%d, want %dx%d", st.img.Width(), st.img.Height(), tt.wantW, tt.wantH)
			}
			checkPoints(t, st.img, 2, tt.points...)
		})
	}
}

func TestScaleRect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		r      image.Rectangle
		sx, sy float64
		want   image.Rectangle
	}{
		{image.Rect(0, 0, 100, 50), 1, 1, image.Rect(0, 0, 100, 50)},
		{image.Rect(10, 20, 110, 70), 0.5, 0.5, image.Rect(5, 10, 55, 35)},
		{image.Rect(0, 0, 3, 3), 0.125, 0.125, image.Rect(0, 0, 1, 1)},
		{image.Rect(-8, 0, 16, 8), 0.25, 0.5, image.Rect(-2, 0, 4, 4)},
	}
	for _, tt := range tests {
		if got := scaleRect(tt.r, tt.sx, tt.sy); got != tt.want {
			t.Errorf("scaleRect(%v, %v, %v) = %v, want %v", tt.r, tt.sx, tt.sy, got, tt.want)
		}
	}
}
