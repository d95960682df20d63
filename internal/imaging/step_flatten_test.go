package imaging

import (
	"image"
	"image/color"
	"testing"
)

func TestFlatten(t *testing.T) {
	t.Parallel()
	// Left half opaque red, right half fully transparent.
	half := solid(20, 10, red)
	for y := range 10 {
		for x := 10; x < 20; x++ {
			half.SetNRGBA(x, y, color.NRGBA{})
		}
	}
	tests := []struct {
		name      string
		img       image.Image
		opaque    bool // the source has no alpha band
		alpha     bool // the format keeps alpha
		wantBands int
		right     color.NRGBA
	}{
		{"opaque format gets bgc", half, false, false, 3, color.NRGBA{0, 0, 255, 255}},
		{"alpha format keeps transparency", half, false, true, 4, color.NRGBA{}},
		{"no alpha, nothing to do", solid(20, 10, red), true, false, 3, red},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st := &state{plan: &Plan{Alpha: tt.alpha, Background: Color{0, 0, 255}}, img: ref(t, tt.img, tt.opaque)}
			if err := flatten(st); err != nil {
				t.Fatal(err)
			}
			if st.img.Bands() != tt.wantBands {
				t.Errorf("%d bands, want %d", st.img.Bands(), tt.wantBands)
			}
			checkPoints(t, st.img, 0, probePoint{5, 5, red}, probePoint{15, 5, tt.right})
		})
	}
}
