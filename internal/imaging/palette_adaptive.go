package imaging

import (
	"image"
	"image/color"
	"slices"
)

// histBits is the precision of the adaptive palette's histogram: 5 bits a
// channel, 32768 bins, whose colours are the exact means of their pixels.
const histBits = 5

// bin is one histogram cell: how many pixels fell in it and their sums.
type bin struct {
	n       int
	r, g, b int
	key     [3]uint8 // the cell's coordinates, histBits a channel
}

// adaptivePalette is the forced colours plus up to n-len(forced) colours
// from a median cut of the visible pixels (r-is-http-quantize: "If the
// number of colors specified is less than numColors, additional colors are
// calculated based on the image content"). An image with fewer colours
// gets a shorter palette.
func adaptivePalette(px *image.NRGBA, n int, forced []Color) color.Palette {
	pal := make(color.Palette, 0, n)
	for _, c := range forced {
		pal = append(pal, color.NRGBA{c.R, c.G, c.B, 255})
	}
	if k := n - len(forced); k > 0 {
		for _, c := range medianCut(histogram(px), k) {
			pal = append(pal, c)
		}
	}
	if len(pal) == 0 {
		pal = append(pal, color.NRGBA{0, 0, 0, 255}) // an all-transparent image
	}
	return pal
}

// histogram counts the visible pixels per cell; empty cells are dropped.
func histogram(px *image.NRGBA) []bin {
	const shift = 8 - histBits
	cells := make([]bin, 1<<(3*histBits))
	for i := 0; i < len(px.Pix); i += 4 {
		p := px.Pix[i : i+4]
		if !opaque(p[3]) {
			continue
		}
		k := int(p[0]>>shift)<<(2*histBits) | int(p[1]>>shift)<<histBits | int(p[2]>>shift)
		c := &cells[k]
		c.n++
		c.r += int(p[0])
		c.g += int(p[1])
		c.b += int(p[2])
		c.key = [3]uint8{p[0] >> shift, p[1] >> shift, p[2] >> shift}
	}
	return slices.DeleteFunc(cells, func(c bin) bool { return c.n == 0 })
}

// medianCut splits the cells into at most k boxes, each time cutting the
// box with the most pixels times its widest channel range at its weighted
// median, and returns each box's mean colour.
func medianCut(cells []bin, k int) []color.NRGBA {
	if len(cells) == 0 {
		return nil
	}
	boxes := [][]bin{cells}
	for len(boxes) < k {
		best, bestScore, bestCh := -1, 0, 0
		for i, b := range boxes {
			if len(b) < 2 {
				continue
			}
			ch, span := widest(b)
			if score := pixels(b) * span; span > 0 && score > bestScore {
				best, bestScore, bestCh = i, score, ch
			}
		}
		if best < 0 {
			break // every box is one cell
		}
		b := boxes[best]
		slices.SortFunc(b, func(x, y bin) int { return int(x.key[bestCh]) - int(y.key[bestCh]) })
		half, seen, cut := pixels(b)/2, 0, 1
		for i := range b[:len(b)-1] {
			if seen += b[i].n; seen >= half {
				cut = i + 1
				break
			}
		}
		boxes[best] = b[:cut]
		boxes = append(boxes, b[cut:])
	}
	out := make([]color.NRGBA, 0, len(boxes))
	for _, b := range boxes {
		var n, r, g, bl int
		for _, c := range b {
			n, r, g, bl = n+c.n, r+c.r, g+c.g, bl+c.b
		}
		out = append(out, color.NRGBA{uint8((r + n/2) / n), uint8((g + n/2) / n), uint8((bl + n/2) / n), 255})
	}
	return out
}

func pixels(b []bin) int {
	n := 0
	for _, c := range b {
		n += c.n
	}
	return n
}

// widest returns the channel with the largest range of cell coordinates
// in the box, and that range.
func widest(b []bin) (ch, span int) {
	for c := range 3 {
		lo, hi := 255, 0
		for _, x := range b {
			lo, hi = min(lo, int(x.key[c])), max(hi, int(x.key[c]))
		}
		if hi-lo > span {
			ch, span = c, hi-lo
		}
	}
	return ch, span
}
