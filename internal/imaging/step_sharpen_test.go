package imaging

import (
	"image"
	"image/color"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSharpenings(t *testing.T) {
	t.Parallel()
	tenth := Layout{Crop: image.Rect(0, 0, 2000, 1000), Scaled: image.Pt(200, 100)} // scale 0.1
	tests := []struct {
		name string
		plan Plan
		want []sharpening
	}{
		{"none", Plan{Layout: tenth, ResMode: ResBicub}, nil},
		{"bisharp", Plan{Layout: tenth, ResMode: ResBisharp}, []sharpening{{0.5, 2, 1.5}}},
		{"op_sharpen", Plan{Layout: tenth, Sharpen: true}, []sharpening{{0.5, 2, 3}}},
		{"usm radius scales with the image", Plan{Layout: tenth, USM: &USM{Amount: 2, Radius: 10, Threshold: 255}}, []sharpening{{1, 100, 2}}},
		{"usm radius never below 0.5", Plan{Layout: tenth, USM: &USM{Amount: 1, Radius: 2, Threshold: 0}}, []sharpening{{0.5, 0, 1}}},
		{"usm at full size", Plan{Layout: Layout{Crop: image.Rect(0, 0, 100, 100), Scaled: image.Pt(100, 100)},
			USM: &USM{Amount: 1.2, Radius: 1.5, Threshold: 51}}, []sharpening{{1.5, 20, 1.2}}},
		{"all, in order", Plan{Layout: tenth, ResMode: ResBisharp, Sharpen: true, USM: &USM{Amount: 1, Radius: 20}},
			[]sharpening{{0.5, 2, 1.5}, {0.5, 2, 3}, {2, 0, 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := sharpenings(&tt.plan)
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(sharpening{}), cmp.Comparer(func(a, b float64) bool {
				return a-b < 1e-9 && b-a < 1e-9
			})); diff != "" {
				t.Errorf("sharpenings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSharpen checks the step raises contrast at an edge: the dark side
// gets darker and the light side lighter, away from it nothing changes.
func TestSharpen(t *testing.T) {
	t.Parallel()
	edge := image.NewNRGBA(image.Rect(0, 0, 40, 10))
	for y := range 10 {
		for x := range 40 {
			v := uint8(80)
			if x >= 20 {
				v = 160
			}
			edge.SetNRGBA(x, y, color.NRGBA{v, v, v, 255})
		}
	}
	tests := []struct {
		name string
		plan Plan
	}{
		{"op_sharpen", Plan{Layout: Layout{Crop: image.Rect(0, 0, 40, 10), Scaled: image.Pt(40, 10)}, Sharpen: true}},
		{"op_usm", Plan{Layout: Layout{Crop: image.Rect(0, 0, 40, 10), Scaled: image.Pt(40, 10)}, USM: &USM{Amount: 3, Radius: 1.5}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st := &state{plan: &tt.plan, img: ref(t, edge, true)}
			if err := sharpen(st); err != nil {
				t.Fatal(err)
			}
			dark, light, far := at(t, st.img, 19, 5), at(t, st.img, 20, 5), at(t, st.img, 5, 5)
			if dark.R >= 78 || light.R <= 162 {
				t.Errorf("edge after sharpening = %d | %d, want below 78 | above 162", dark.R, light.R)
			}
			if !near(far, color.NRGBA{80, 80, 80, 255}, 2) {
				t.Errorf("flat area changed to %v", far)
			}
			if st.img.Bands() != 3 {
				t.Errorf("sharpened image has %d bands, want 3", st.img.Bands())
			}
		})
	}
}
