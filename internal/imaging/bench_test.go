package imaging

import (
	"context"
	"image"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/davidbyttow/govips/v2/vips"
)

// benchPhoto is a 2000×1500 photo-like JPEG (smooth gradients plus grain,
// so neither the encoder nor the decoder gets an easy ride), made once.
var benchPhoto = sync.OnceValue(func() []byte {
	const w, h = 2000, 1500
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(1, 2))
	for y := range h {
		for x := range w {
			n := rng.IntN(24)
			i := img.PixOffset(x, y)
			img.Pix[i+0] = uint8(x*200/w + n)
			img.Pix[i+1] = uint8(y*200/h + n)
			img.Pix[i+2] = uint8((x+y)*100/(w+h) + 80 + n)
			img.Pix[i+3] = 255
		}
	}
	return encodeJPEG(&testing.B{}, img, 85)
})

// BenchmarkRender renders the photo through the Renderer (one worker, so
// it compares with the bare loop below), cold: nothing is cached.
func BenchmarkRender(b *testing.B) {
	r, src, info := benchRenderer(b)
	for _, q := range []string{"wid=300", "wid=512&hei=512", "wid=300&fmt=webp", "wid=300&fmt=avif",
		"wid=300&fmt=png8", "wid=300&fmt=png8&quantize=adaptive,diffuse,128", "wid=1000&fmt=png8", "wid=1000&fmt=png8&quantize=adaptive,diffuse,128"} {
		b.Run(q, func(b *testing.B) {
			if q == "wid=300&fmt=avif" && !avifOK {
				b.Skip("no AVIF encoder")
			}
			p := mustPlan(b, q, info.Source, Settings{})
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Render(context.Background(), src, p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBareVips is the floor: the same wid=300 resize done with govips
// directly, vips_thumbnail_buffer (shrink-on-load included) then save,
// without parsing, planning, the worker pool or metadata stripping.
func BenchmarkBareVips(b *testing.B) {
	needVips(b)
	src := benchPhoto()
	save := map[string]func(*vips.ImageRef) ([]byte, error){
		"jpeg": func(img *vips.ImageRef) ([]byte, error) {
			buf, _, err := img.ExportJpeg(&vips.JpegExportParams{Quality: 80, StripMetadata: true, OptimizeCoding: true})
			return buf, err
		},
		"webp": func(img *vips.ImageRef) ([]byte, error) {
			buf, _, err := img.ExportWebp(&vips.WebpExportParams{Quality: 80, StripMetadata: true, ReductionEffort: 4})
			return buf, err
		},
		"avif": func(img *vips.ImageRef) ([]byte, error) {
			buf, _, err := img.ExportAvif(&vips.AvifExportParams{Quality: 80, StripMetadata: true, Bitdepth: 8, Effort: avifEffort})
			return buf, err
		},
	}
	for _, format := range []string{"jpeg", "webp", "avif"} {
		b.Run("wid=300/"+format, func(b *testing.B) {
			if format == "avif" && !avifOK {
				b.Skip("no AVIF encoder")
			}
			b.ReportAllocs()
			for b.Loop() {
				img, err := vips.NewThumbnailWithSizeFromBuffer(src, 300, 100000, vips.InterestingNone, vips.SizeDown)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := save[format](img); err != nil {
					b.Fatal(err)
				}
				img.Close()
			}
		})
	}
	b.Run("wid=512&hei=512/jpeg", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			img, err := vips.NewThumbnailWithSizeFromBuffer(src, 512, 512, vips.InterestingNone, vips.SizeDown)
			if err != nil {
				b.Fatal(err)
			}
			if err := img.EmbedBackground(0, (512-img.Height())/2, 512, 512, &vips.Color{R: 255, G: 255, B: 255}); err != nil {
				b.Fatal(err)
			}
			if _, err := save["jpeg"](img); err != nil {
				b.Fatal(err)
			}
			img.Close()
		}
	})
}

// BenchmarkLargestReply renders the photo to the largest reply a company
// may allow (max_pix 5000×5000, 25 MP), and a crop at the 25 MP budget of
// a small reply: the worst cases the planner lets through.
func BenchmarkLargestReply(b *testing.B) {
	r, src, info := benchRenderer(b)
	s := Settings{MaxPix: [2]int{5000, 5000}}
	for _, q := range []string{"wid=5000&hei=5000&fit=fit,1", "crop=-1500,-1750,5000,5000&wid=300", "extend=1500,1750,1500,1750&wid=300&bgColor=FF0000"} {
		b.Run(q, func(b *testing.B) {
			p := mustPlan(b, q, info.Source, s)
			for b.Loop() {
				if _, err := r.Render(context.Background(), src, p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchRenderer is a one-worker Renderer (closed when the benchmark ends)
// and the benchmark photo with its probed information.
func benchRenderer(b *testing.B) (*Renderer, []byte, Info) {
	b.Helper()
	needVips(b)
	src := benchPhoto()
	r, err := New(Config{Workers: 1, Queue: 4, Timeout: time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { r.Close() })
	info, err := Probe(src)
	if err != nil {
		b.Fatal(err)
	}
	return r, src, info
}
