package vitrine

// PyramidMinPixels is the source size above which an image gets a pyramid:
// smaller images decode fast enough whole.
const PyramidMinPixels = 2_000_000

// WantsPyramid reports whether a source of the given format (as Probe
// names it) and size is worth a pyramid, the tiled TIFF of halved levels
// renders read instead of the original (Scene7's own design). JPEG sources
// are not: their decoder already shrinks by up to 8 in the DCT, which is
// cheaper than reading a level. Formats decoded whole at any scale (PNG,
// WebP, TIFF, HEIF, AVIF) are, above PyramidMinPixels.
func WantsPyramid(format string, width, height int) bool {
	switch format {
	case "png", "webp", "tiff", "heif", "avif":
		return int64(width)*int64(height) > PyramidMinPixels
	}
	return false
}
