package vitrine

// PyramidMinPixels is the source size above which an image gets a pyramid:
// smaller images decode fast enough whole.
const PyramidMinPixels = 2_000_000

// WantsPyramid reports whether a source of the given format (as Probe
// names it) and size is worth a pyramid, the tiled TIFF of halved levels
// renders read instead of the original (Scene7's own design), above
// PyramidMinPixels. JPEG sources are too: even shrinking by 8 in the DCT,
// their decoder reads every coefficient of the file, where a level is read
// only where a render needs it (w300 from 2400×1600: 15.7 ms over HTTP
// from the original, 9.6 ms from the pyramid, docs/benchmarks.md).
func WantsPyramid(format string, width, height int) bool {
	switch format {
	case "jpeg", "png", "webp", "tiff", "heif", "avif":
		return int64(width)*int64(height) > PyramidMinPixels
	}
	return false
}
