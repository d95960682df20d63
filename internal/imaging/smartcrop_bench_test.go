package imaging

import (
	"context"
	"testing"

	"github.com/vitrine/vitrine"
)

// BenchmarkSmartCrop compares, on the 2000×1500 photo, cold (uncached)
// renders of a smart crop (a 1500×1500 box served at 500×500, as
// /is/image/{co}/{id}:Square does) with the plain render of the same
// output size (wid=500&hei=500&fit=crop), and measures what finding the
// boxes costs once per version at upload (attention on a reduced copy).
func BenchmarkSmartCrop(b *testing.B) {
	r, src, info := benchRenderer(b)
	square := vitrine.SmartCrop{Name: "Square", Width: 500, Height: 500, Box: vitrine.CropBox{X: 300, Y: 0, W: 1500, H: 1500}}
	for _, c := range []struct {
		name, query string
		crop        *vitrine.SmartCrop
	}{
		{"render/plain wid=500&hei=500&fit=crop", "wid=500&hei=500&fit=crop", nil},
		{"render/smartcrop :Square (500x500)", "", &square},
		{"render/smartcrop :Square?wid=300", "wid=300", &square},
		{"render/plain wid=300&hei=300&fit=crop", "wid=300&hei=300&fit=crop", nil},
	} {
		b.Run(c.name, func(b *testing.B) {
			req, err := Parse(c.query, nil)
			if err != nil {
				b.Fatal(err)
			}
			if c.crop != nil {
				req = req.WithSmartCrop(*c.crop)
			}
			p, err := NewPlan(req, info.Source, Settings{})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Render(context.Background(), src, p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	three := []vitrine.CropDef{{Name: "Square", Width: 500, Height: 500}, {Name: "Portrait", Width: 400, Height: 800}, {Name: "Banner", Width: 1600, Height: 400}}
	for _, n := range []int{0, 1, 3} {
		b.Run("find/"+map[int]string{0: "no crop (decode only)", 1: "1 crop", 3: "3 crops"}[n], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := SmartCrops(src, three[:n]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
