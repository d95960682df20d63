package benchutil

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
)

// Photo makes a photo-like JPEG: gradients and noise, so it compresses
// like a real picture rather than a flat colour. The same size gives the
// same bytes.
func Photo(w, h int) []byte {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(7, 9))
	for y := range h {
		for x := range w {
			v := 128 + 60*math.Sin(float64(x)/90) + 40*math.Cos(float64(y)/60)
			m.SetRGBA(x, y, color.RGBA{clamp(v + r.NormFloat64()*12), clamp(v*0.8 + float64(y%256)/4 + r.NormFloat64()*12),
				clamp(255 - v + r.NormFloat64()*12), 255})
		}
	}
	var b bytes.Buffer
	jpeg.Encode(&b, m, &jpeg.Options{Quality: 88})
	return b.Bytes()
}

func clamp(v float64) uint8 { return uint8(max(0, min(255, v))) }
