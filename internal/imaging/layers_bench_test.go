package imaging

import (
	"context"
	"image/color"
	"testing"
)

// BenchmarkLayers renders composites of the 2000×1500 photo at wid=500
// next to the plain render (tools/layerbench interleaves the main pair).
func BenchmarkLayers(b *testing.B) {
	r, src, info := benchRenderer(b)
	layers := map[string][]byte{"badge": encodePNG(b, solid(600, 300, color.NRGBA{200, 30, 40, 255}))}
	srcs := map[string]Source{"badge": {Width: 600, Height: 300}}
	for _, q := range []string{
		"wid=500",
		"wid=500&layer=1&color=e8e0d0&size=2000,1500",
		"wid=500&layer=1&color=e8e0d0&size=2000,1500&blendMode=mult",
		"wid=500&layer=2&src=badge&pos=600,-450",
		"wid=500&layer=2&src=badge&pos=600,-450&opac=80",
		"wid=500&layer=1&color=e8e0d0&size=2000,1500&blendMode=mult&layer=2&src=badge&pos=600,-450&opac=80",
	} {
		b.Run(q, func(b *testing.B) {
			req, err := Parse(q, nil)
			if err != nil {
				b.Fatal(err)
			}
			p, err := NewCompositePlan(req, info.Source, srcs, Settings{})
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := r.RenderComposite(context.Background(), src, layers, p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
