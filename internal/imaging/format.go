package imaging

import (
	"slices"
	"strings"
)

// Pixel types, the second value of fmt= (Adobe's r-is-http-fmt: "rgb |
// gray | cmyk"). The empty string is rgb, the default.
const (
	PixelRGB  = "rgb"
	PixelGray = "gray"
	PixelCMYK = "cmyk"
)

// outputFormat is what one canonical fmt= format means: its MIME type,
// whether it keeps transparency, and the pixel types and compressions
// Adobe's table of valid combinations (r-is-http-fmt) lists for it and
// libvips can write. rgb is always accepted and is not listed.
type outputFormat struct {
	mime         string
	alpha        bool
	pixelTypes   []string
	compressions []string
	// compression is the one used when fmt= names none. The reference's
	// default is "none"; Vitrine keeps LZW for TIFF (a 3000×3000
	// uncompressed TIFF is 27 MB) and lossy for WebP and AVIF.
	compression string
}

var (
	lossyLossless = []string{"lossy", "lossless"}
	grayOnly      = []string{PixelGray}
	grayCMYK      = []string{PixelGray, PixelCMYK}
)

// formatInfo is keyed by canonical format name.
var formatInfo = map[string]outputFormat{
	"jpeg":       {mime: "image/jpeg", pixelTypes: grayCMYK},
	"pjpeg":      {mime: "image/jpeg", pixelTypes: grayCMYK},
	"png":        {mime: "image/png", pixelTypes: grayOnly},
	"png-alpha":  {mime: "image/png", alpha: true, pixelTypes: grayOnly},
	"png8":       {mime: "image/png"},
	"png8-alpha": {mime: "image/png", alpha: true},
	"gif":        {mime: "image/gif", pixelTypes: grayOnly},
	"gif-alpha":  {mime: "image/gif", alpha: true, pixelTypes: grayOnly},
	"webp":       {mime: "image/webp", compressions: lossyLossless, compression: "lossy"},
	"webp-alpha": {mime: "image/webp", alpha: true, compressions: lossyLossless, compression: "lossy"},
	"avif":       {mime: "image/avif", compressions: lossyLossless, compression: "lossy"},
	"avif-alpha": {mime: "image/avif", alpha: true, compressions: lossyLossless, compression: "lossy"},
	// "'tiff' only; 'tiff-alpha' does not support jpeg compression."
	"tif":       {mime: "image/tiff", pixelTypes: grayCMYK, compressions: []string{"none", "lzw", "zip", "jpeg"}, compression: "lzw"},
	"tif-alpha": {mime: "image/tiff", alpha: true, pixelTypes: grayCMYK, compressions: []string{"none", "lzw", "zip"}, compression: "lzw"},
	// JPEG 2000 (libvips jp2ksave, OpenJPEG); the reference lists lossy
	// and lossless for jp2.
	"jpeg2000":       {mime: "image/jp2", pixelTypes: grayOnly, compressions: lossyLossless, compression: "lossy"},
	"jpeg2000-alpha": {mime: "image/jp2", alpha: true, pixelTypes: grayOnly, compressions: lossyLossless, compression: "lossy"},
}

// formats maps each accepted fmt= name to its canonical name.
var formats = map[string]string{
	"jpeg": "jpeg", "jpg": "jpeg", "pjpeg": "pjpeg", "pjpg": "pjpeg", // pjpg: sites' spelling, served by live Scene7
	"png": "png", "png-alpha": "png-alpha", "png8": "png8", "png8-alpha": "png8-alpha",
	"gif": "gif", "gif-alpha": "gif-alpha",
	"webp": "webp", "webp-alpha": "webp-alpha",
	"avif": "avif", "avif-alpha": "avif-alpha",
	"tif": "tif", "tiff": "tif", "tif-alpha": "tif-alpha", "tiff-alpha": "tif-alpha",
	"jpeg2000": "jpeg2000", "jpeg2000-alpha": "jpeg2000-alpha",
}

// parseFmt reads fmt=format[,pixelType[,compression]] (Adobe's
// r-is-http-fmt). An empty pixel type is rgb, an empty compression the
// format's default; a combination the reference's table does not list for
// the format, or that libvips cannot write, is refused naming it.
func parseFmt(r *Request, cmd, v string) error {
	parts, err := list(cmd, v, 1, 3)
	if err != nil {
		return err
	}
	name := strings.ToLower(parts[0])
	f, ok := formats[name]
	if !ok {
		return invalid(cmd, v, "format %q is not supported", parts[0])
	}
	info := formatInfo[f]
	pixel, comp := "", ""
	if len(parts) > 1 {
		switch p := strings.ToLower(parts[1]); {
		case p == "" || p == PixelRGB:
		case slices.Contains(info.pixelTypes, p):
			pixel = p
		case p == PixelGray || p == PixelCMYK:
			return invalid(cmd, v, "pixel type %s is not available with %s (%s)", p, name, strings.Join(append([]string{PixelRGB}, info.pixelTypes...), ", "))
		default:
			return invalid(cmd, v, "pixel type %q is not rgb, gray or cmyk", parts[1])
		}
	}
	if len(parts) > 2 {
		switch c := strings.ToLower(parts[2]); {
		case c == "" || c == info.compression:
		case slices.Contains(info.compressions, c):
			comp = c
		case c == "none" && len(info.compressions) == 0:
			// fmt=jpeg,rgb,none is how the reference spells the default.
		case len(info.compressions) == 0:
			return invalid(cmd, v, "%s takes no compression (only tif, tif-alpha, webp, webp-alpha, avif and avif-alpha do)", name)
		default:
			return invalid(cmd, v, "compression %q is not available with %s (%s)", parts[2], name, strings.Join(info.compressions, ", "))
		}
	}
	r.fmt, r.pixelType, r.compression = f, pixel, comp
	if f == "jpeg" {
		r.fmt = "" // the default, so fmt=jpeg and no fmt share a cache key
	}
	return nil
}

// fmtKey is the canonical fmt= value, "" for the default jpeg,rgb:
// format[,pixelType[,compression]] with rgb and default compressions left
// out, so fmt=tif,rgb,lzw and fmt=tif share a key.
func (r *Request) fmtKey() string {
	if r.fmt == "" && r.pixelType == "" {
		return ""
	}
	v := r.Format()
	if r.pixelType != "" || r.compression != "" {
		v += "," + r.pixelType
	}
	if r.compression != "" {
		v += "," + r.compression
	}
	return v
}
