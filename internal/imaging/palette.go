package imaging

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"image/png"
	"slices"

	"github.com/davidbyttow/govips/v2/vips"
)

// encodePalette writes a gif or png8 reply with the palette quantize= asks
// for. libvips' palette output (libimagequant) takes only a bit depth, so
// it can give neither an exact colour count nor forced colours nor the
// fixed web and mac palettes; Vitrine maps the rendered pixels itself and
// writes them with Go's encoders. Transparent formats get one key colour
// for pixels under half opacity, as a GIF does ("2 to 255 colors plus
// key-color transparency").
func encodePalette(img *vips.ImageRef, p *Plan) ([]byte, error) {
	px, err := rgbaPixels(img)
	if err != nil {
		return nil, err
	}
	q := p.Quantize
	alpha := formatInfo[p.Format].alpha
	var pal color.Palette
	switch q.Type {
	case PaletteWeb:
		pal = slices.Clone(palette.WebSafe)
	case PaletteMac:
		pal = macPalette()
	default:
		n := q.Colors
		if alpha {
			n = min(n, 255) // one entry is the key colour
		}
		pal = adaptivePalette(px, n, q.Forced)
	}
	out := mapToPalette(px, pal, q.Dither, alpha)
	var buf bytes.Buffer
	switch p.Format {
	case "gif", "gif-alpha":
		err = gif.Encode(&buf, out, &gif.Options{NumColors: len(out.Palette)})
	default:
		err = (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&buf, out)
	}
	if err != nil {
		return nil, fmt.Errorf("palette %s: %w", p.Format, err)
	}
	return buf.Bytes(), nil
}

// rgbaPixels reads the rendered image as non-premultiplied RGBA, 8 bits
// a channel. libvips makes it sRGB with alpha (gray and gray+alpha
// included) so its raw bytes are the Go image's, without a second copy.
func rgbaPixels(img *vips.ImageRef) (*image.NRGBA, error) {
	if img.Bands() < 3 {
		if err := img.ToColorSpace(vips.InterpretationSRGB); err != nil {
			return nil, err
		}
	}
	if !img.HasAlpha() {
		if err := img.BandJoinConst([]float64{255}); err != nil {
			return nil, err
		}
	}
	if img.BandFormat() != vips.BandFormatUchar {
		if err := img.Cast(vips.BandFormatUchar); err != nil {
			return nil, err
		}
	}
	raw, err := img.ToBytes()
	if err != nil {
		return nil, err
	}
	w, h := img.Width(), img.Height()
	if img.Bands() != 4 || len(raw) != w*h*4 {
		return nil, fmt.Errorf("palette: unexpected %d-band %dx%d image of %d bytes", img.Bands(), w, h, len(raw))
	}
	return &image.NRGBA{Pix: raw, Stride: 4 * w, Rect: image.Rect(0, 0, w, h)}, nil
}

// opaque reports whether a pixel counts as visible: at least half opaque.
func opaque(a uint8) bool { return a >= 128 }

// macPalette is the Mac OS 8-bit system palette: the 6×6×6 cube from
// white down (black left for last), then ten-step ramps of red, green,
// blue and gray between the cube's levels, then black.
func macPalette() color.Palette {
	pal := make(color.Palette, 0, 256)
	for r := 5; r >= 0; r-- {
		for g := 5; g >= 0; g-- {
			for b := 5; b >= 0; b-- {
				if r+g+b > 0 {
					pal = append(pal, color.NRGBA{uint8(r * 51), uint8(g * 51), uint8(b * 51), 255})
				}
			}
		}
	}
	ramp := []uint8{0xEE, 0xDD, 0xBB, 0xAA, 0x88, 0x77, 0x55, 0x44, 0x22, 0x11}
	for ch := range 4 {
		for _, v := range ramp {
			c := color.NRGBA{A: 255}
			switch ch {
			case 0:
				c.R = v
			case 1:
				c.G = v
			case 2:
				c.B = v
			default:
				c.R, c.G, c.B = v, v, v
			}
			pal = append(pal, c)
		}
	}
	return append(pal, color.NRGBA{0, 0, 0, 255})
}
