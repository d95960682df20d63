package imaging

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/davidbyttow/govips/v2/vips"
)

// TestShrinkOnLoadQuality holds shrink-on-load and sequential decoding to
// the pixels of a Lanczos 3 reduction of the full image, computed here in
// Go from the fully decoded source: SSIM at least 0.99 for JPEG, WebP and
// PNG sources over several reductions and resMode kernels. Replies are
// asked as PNG so the encoder's own loss is not counted.
func TestShrinkOnLoadQuality(t *testing.T) {
	t.Parallel()
	needVips(t)
	pic := texturedPhoto(2400, 1600)
	jpg := encodeJPEG(t, pic, 92)
	webp := func() []byte {
		buf, _, err := ref(t, pic, true).ExportWebp(&vips.WebpExportParams{Quality: 92})
		if err != nil {
			t.Fatal(err)
		}
		return buf
	}()
	sources := []struct {
		name string
		src  []byte
	}{{"jpeg", jpg}, {"webp", webp}, {"png", encodePNG(t, pic)}}
	for _, s := range sources {
		full := fullDecode(t, s.src)
		for _, q := range []string{"wid=150", "wid=300", "wid=300&resMode=sharp2", "wid=300&resMode=bilin", "wid=600", "wid=1000"} {
			if s.name == "png" && strings.Contains(q, "bilin") {
				// Nothing shrinks on load here: what this would measure
				// is the bilinear kernel itself (SSIM 0.97), which
				// resMode=bilin asks for.
				continue
			}
			t.Run(s.name+" "+q, func(t *testing.T) {
				t.Parallel()
				info, err := Probe(s.src)
				if err != nil {
					t.Fatal(err)
				}
				p := mustPlan(t, q+"&fmt=png", info.Source, Settings{})
				out, err := render(context.Background(), s.src, p)
				if err != nil {
					t.Fatal(err)
				}
				got, err := png.Decode(bytes.NewReader(out.Body))
				if err != nil {
					t.Fatal(err)
				}
				want := lanczos3(full, got.Bounds().Dx(), got.Bounds().Dy())
				score := ssim(luma(got), luma(want))
				t.Logf("%s %s: shrink-on-load jpeg %d webp %.3f, sequential %v; SSIM %.4f", s.name, q, jpegShrink(p), webpScale(p), sequential(p), score)
				if score < 0.99 {
					t.Errorf("SSIM %.4f against Lanczos 3 from the full image, want ≥ 0.99", score)
				}
			})
		}
	}
}

// texturedPhoto is photo-like: smooth gradients, sharp edges, fine
// texture and a little noise, the content that shows aliasing.
func texturedPhoto(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(3, 5))
	for y := range h {
		for x := range w {
			fx, fy := float64(x), float64(y)
			v := 128 + 50*math.Sin(fx/70) + 30*math.Cos(fy/45)
			if (x/160+y/160)%2 == 0 { // edges
				v += 25
			}
			v += 12 * math.Sin(fx/3.1+fy/5.3) // fine texture
			n := r.NormFloat64() * 4
			m.SetNRGBA(x, y, color.NRGBA{clampByte(v + n), clampByte(0.7*v + fy/16 + n), clampByte(255 - v + n), 255})
		}
	}
	return m
}

func clampByte(v float64) uint8 { return uint8(max(0, min(255, math.Round(v)))) }

// fullDecode decodes src at full size with libvips (no shrink), as 8-bit
// sRGB.
func fullDecode(t *testing.T, src []byte) image.Image {
	t.Helper()
	img, err := vips.NewImageFromBuffer(src)
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	buf, _, err := img.ExportPng(&vips.PngExportParams{Compression: 0})
	if err != nil {
		t.Fatal(err)
	}
	m, err := png.Decode(bytes.NewReader(buf))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// plane is one channel of floating-point pixels.
type plane struct {
	w, h int
	p    []float64
}

// lanczos3 reduces m to w×h with a separable Lanczos 3 kernel stretched to
// the reduction, in RGB, and returns it as an image.
func lanczos3(m image.Image, w, h int) image.Image {
	b := m.Bounds()
	var ch [3]plane
	for c := range ch {
		ch[c] = plane{b.Dx(), b.Dy(), make([]float64, b.Dx()*b.Dy())}
	}
	for y := range b.Dy() {
		for x := range b.Dx() {
			r, g, bl, _ := m.At(b.Min.X+x, b.Min.Y+y).RGBA()
			i := y*b.Dx() + x
			ch[0].p[i], ch[1].p[i], ch[2].p[i] = float64(r>>8), float64(g>>8), float64(bl>>8)
		}
	}
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	for c := range ch {
		p := resample(resample(ch[c], w, true), h, false)
		for i, v := range p.p {
			out.Pix[i*4+c] = clampByte(v)
		}
	}
	for i := 3; i < len(out.Pix); i += 4 {
		out.Pix[i] = 255
	}
	return out
}

// resample scales one axis of p to n samples.
func resample(p plane, n int, horizontal bool) plane {
	src, other := p.w, p.h
	if !horizontal {
		src, other = p.h, p.w
	}
	scale := float64(src) / float64(n)
	support := 3 * max(scale, 1)
	out := plane{w: n, h: p.h}
	if !horizontal {
		out = plane{w: p.w, h: n}
	}
	out.p = make([]float64, out.w*out.h)
	for i := range n {
		center := (float64(i)+0.5)*scale - 0.5
		lo, hi := int(math.Ceil(center-support)), int(math.Floor(center+support))
		var weights []float64
		var sum float64
		for j := lo; j <= hi; j++ {
			wt := lanczos((float64(j) - center) / max(scale, 1))
			weights = append(weights, wt)
			sum += wt
		}
		for o := range other {
			var acc float64
			for k, wt := range weights {
				j := min(max(lo+k, 0), src-1)
				if horizontal {
					acc += wt * p.p[o*p.w+j]
				} else {
					acc += wt * p.p[j*p.w+o]
				}
			}
			if horizontal {
				out.p[o*out.w+i] = acc / sum
			} else {
				out.p[i*out.w+o] = acc / sum
			}
		}
	}
	return out
}

func lanczos(x float64) float64 {
	switch {
	case x == 0:
		return 1
	case math.Abs(x) >= 3:
		return 0
	}
	px := math.Pi * x
	return 3 * math.Sin(px) * math.Sin(px/3) / (px * px)
}

// luma is the Rec. 601 luma of m.
func luma(m image.Image) plane {
	b := m.Bounds()
	p := plane{b.Dx(), b.Dy(), make([]float64, b.Dx()*b.Dy())}
	for y := range b.Dy() {
		for x := range b.Dx() {
			r, g, bl, _ := m.At(b.Min.X+x, b.Min.Y+y).RGBA()
			p.p[y*p.w+x] = (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bl)) / 257
		}
	}
	return p
}

// ssim is the mean structural similarity of two planes over 8×8 windows
// at a stride of 4 (Wang et al. 2004, with their constants for 8-bit).
func ssim(a, b plane) float64 {
	const c1, c2 = (0.01 * 255) * (0.01 * 255), (0.03 * 255) * (0.03 * 255)
	var total float64
	var n int
	for y := 0; y+8 <= a.h; y += 4 {
		for x := 0; x+8 <= a.w; x += 4 {
			var ma, mb, va, vb, cov float64
			for j := range 8 {
				for i := range 8 {
					pa, pb := a.p[(y+j)*a.w+x+i], b.p[(y+j)*b.w+x+i]
					ma += pa
					mb += pb
				}
			}
			ma /= 64
			mb /= 64
			for j := range 8 {
				for i := range 8 {
					da, db := a.p[(y+j)*a.w+x+i]-ma, b.p[(y+j)*b.w+x+i]-mb
					va += da * da
					vb += db * db
					cov += da * db
				}
			}
			va, vb, cov = va/63, vb/63, cov/63
			total += (2*ma*mb + c1) * (2*cov + c2) / ((ma*ma + mb*mb + c1) * (va + vb + c2))
			n++
		}
	}
	return total / float64(n)
}
