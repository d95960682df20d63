package imaging

import (
	"image/color"
	"testing"
)

func TestOrient(t *testing.T) {
	t.Parallel()
	// The 200×100 quadrant image: red green / blue yellow.
	tests := []struct {
		flip         string
		rotate       int
		wantW, wantH int
		tl, tr, bl   color.NRGBA // corners after the step
	}{
		{"", 0, 200, 100, red, green, blue},
		{"lr", 0, 200, 100, green, red, yellow},
		{"ud", 0, 200, 100, blue, yellow, red},
		{"lrud", 0, 200, 100, yellow, blue, green},
		{"", 90, 100, 200, blue, red, yellow},
		{"", 180, 200, 100, yellow, blue, green},
		{"", 270, 100, 200, green, yellow, red},
		{"lr", 90, 100, 200, yellow, green, blue}, // flip first, then rotate
	}
	for _, tt := range tests {
		t.Run(tt.flip+"/"+string(rune('0'+tt.rotate/90)), func(t *testing.T) {
			t.Parallel()
			st := &state{plan: &Plan{Layout: Layout{Flip: tt.flip, Rotate: tt.rotate}}, img: ref(t, quadrants(200, 100), true)}
			if err := orient(st); err != nil {
				t.Fatal(err)
			}
			w, h := st.img.Width(), st.img.Height()
			if w != tt.wantW || h != tt.wantH {
				t.Fatalf("flip=%s rotate=%d gave %dx%d, want %dx%d", tt.flip, tt.rotate, w, h, tt.wantW, tt.wantH)
			}
			checkPoints(t, st.img, 0, probePoint{5, 5, tt.tl}, probePoint{w - 5, 5, tt.tr}, probePoint{5, h - 5, tt.bl})
		})
	}
}
