package imaging

import (
	"image"
	"image/color"
	"testing"
)

func TestCanvas(t *testing.T) {
	t.Parallel()
	// The scaled image is the 100×50 quadrant image: red green / blue yellow.
	teal := Color{0, 128, 128}
	tealPx := color.NRGBA{0, 128, 128, 255}
	clear := color.NRGBA{}
	tests := []struct {
		name   string
		offset image.Point
		w, h   int
		alpha  bool
		points []probePoint
	}{
		{"exact", image.Pt(0, 0), 100, 50, false, []probePoint{{5, 5, red}, {95, 45, yellow}}},
		{"letterbox with bgc", image.Pt(0, 25), 100, 100, false,
			[]probePoint{{50, 10, tealPx}, {50, 90, tealPx}, {5, 30, red}, {95, 70, yellow}}},
		{"pillarbox aligned right", image.Pt(50, 0), 150, 50, false, []probePoint{{10, 10, tealPx}, {55, 5, red}, {145, 45, yellow}}},
		{"alpha format pads with transparency", image.Pt(0, 25), 100, 100, true,
			[]probePoint{{50, 10, clear}, {5, 30, red}}},
		{"cut (fit=crop)", image.Pt(-50, 0), 50, 50, false, []probePoint{{5, 5, green}, {45, 45, yellow}}},
		{"cut and pad (rect across the edge)", image.Pt(-50, 10), 80, 80, false,
			[]probePoint{{5, 5, tealPx}, {5, 15, green}, {45, 55, yellow}, {60, 20, tealPx}, {5, 70, tealPx}}},
		{"rect all in the padding", image.Pt(300, 300), 20, 20, false, []probePoint{{0, 0, tealPx}, {19, 19, tealPx}}},
		{"rect all in the padding, alpha", image.Pt(-300, 0), 20, 20, true, []probePoint{{0, 0, clear}, {19, 19, clear}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := &Plan{Layout: Layout{Offset: tt.offset, Width: tt.w, Height: tt.h}, Alpha: tt.alpha, Background: teal}
			st := &state{plan: p, img: ref(t, quadrants(100, 50), true)}
			if err := canvas(st); err != nil {
				t.Fatal(err)
			}
			if st.img.Width() != tt.w || st.img.Height() != tt.h {
				t.Fatalf("canvas %dx%d, want %dx%d", st.img.Width(), st.img.Height(), tt.w, tt.h)
			}
			checkPoints(t, st.img, 0, tt.points...)
		})
	}
}
