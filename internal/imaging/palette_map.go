package imaging

import (
	"image"
	"image/color"
)

// lutBits is the precision of the nearest-colour table: 6 bits a channel.
const lutBits = 6

// nearest finds the closest palette entry of a colour, through a table of
// 2^18 cells filled on first use, so a reply costs one palette scan per
// distinct cell instead of one per pixel.
type nearest struct {
	pal []color.NRGBA
	lut []int16 // -1 = not computed yet
}

func newNearest(pal color.Palette) *nearest {
	n := &nearest{lut: make([]int16, 1<<(3*lutBits))}
	for _, c := range pal {
		n.pal = append(n.pal, color.NRGBAModel.Convert(c).(color.NRGBA))
	}
	for i := range n.lut {
		n.lut[i] = -1
	}
	return n
}

// index returns the palette entry nearest to r, g, b (each 0..255).
func (n *nearest) index(r, g, b int) int {
	const shift = 8 - lutBits
	k := r>>shift<<(2*lutBits) | g>>shift<<lutBits | b>>shift
	if i := n.lut[k]; i >= 0 {
		return int(i)
	}
	// The cell's centre stands for every colour in it.
	const half = 1 << shift >> 1
	cr, cg, cb := r>>shift<<shift|half, g>>shift<<shift|half, b>>shift<<shift|half
	best, bestD := 0, 1<<30
	for i, c := range n.pal {
		dr, dg, db := cr-int(c.R), cg-int(c.G), cb-int(c.B)
		if d := dr*dr + dg*dg + db*db; d < bestD {
			best, bestD = i, d
		}
	}
	n.lut[k] = int16(best)
	return best
}

// mapToPalette maps every pixel to the palette, with Floyd–Steinberg error
// diffusion when dither is set (quantize=…,diffuse), else to the nearest
// entry. With keyed transparency, pixels under half opacity take a
// transparent entry appended to the palette and pass no error on.
func mapToPalette(px *image.NRGBA, pal color.Palette, dither, keyed bool) *image.Paletted {
	b := px.Bounds()
	w, h := b.Dx(), b.Dy()
	near := newNearest(pal)
	if keyed {
		pal = append(pal, color.NRGBA{})
	}
	out := image.NewPaletted(b, pal)
	key := uint8(len(pal) - 1)
	// Error of the current and the next row, three channels, one pixel of
	// margin each side.
	cur, next := make([]int, 3*(w+2)), make([]int, 3*(w+2))
	for y := range h {
		clear(next)
		for x := range w {
			p := px.Pix[y*px.Stride+4*x:]
			if keyed && !opaque(p[3]) {
				out.Pix[y*out.Stride+x] = key
				continue
			}
			e := cur[3*(x+1):]
			r, g, bl := int(p[0]), int(p[1]), int(p[2])
			if dither {
				r, g, bl = clamp8(r+e[0]/16), clamp8(g+e[1]/16), clamp8(bl+e[2]/16)
			}
			i := near.index(r, g, bl)
			out.Pix[y*out.Stride+x] = uint8(i)
			if !dither {
				continue
			}
			c := near.pal[i]
			d := [3]int{r - int(c.R), g - int(c.G), bl - int(c.B)}
			for ch := range 3 {
				cur[3*(x+2)+ch] += 7 * d[ch]
				next[3*x+ch] += 3 * d[ch]
				next[3*(x+1)+ch] += 5 * d[ch]
				next[3*(x+2)+ch] += d[ch]
			}
		}
		cur, next = next, cur
	}
	return out
}

func clamp8(v int) int { return min(255, max(0, v)) }
