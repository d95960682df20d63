package imaging

import (
	"github.com/davidbyttow/govips/v2/vips"
	"github.com/vitrine/vitrine"
)

// avifEffort trades AVIF encode time for size: libvips' scale is 0 (fast)
// to 9 (slow), default 4. AVIF is by far the slowest encoder, and replies
// are rendered on the request path.
const avifEffort = 2

// tiffCompression maps fmt= compressions to libvips' TIFF ones; "" (a plan
// made without NewPlan) is LZW, the default.
var tiffCompression = map[string]vips.TiffCompression{
	"": vips.TiffCompressionLzw, "lzw": vips.TiffCompressionLzw, "none": vips.TiffCompressionNone,
	"zip": vips.TiffCompressionDeflate, "jpeg": vips.TiffCompressionJpeg,
}

// encode writes the image in the planned format. Every encoder strips
// metadata. qlt is the JPEG quality and is passed as is to WebP and AVIF
// (their scales differ; Scene7 documents no mapping).
func encode(img *vips.ImageRef, p *Plan) ([]byte, error) {
	if p.Quantize != nil {
		return encodePalette(img, p)
	}
	var buf []byte
	var err error
	switch p.Format {
	case "jpeg", "pjpeg":
		sub := vips.VipsForeignSubsampleOn // Scene7's default; libvips' "auto" would drop it at q >= 90
		if p.NoSubsample {
			sub = vips.VipsForeignSubsampleOff
		}
		buf, _, err = img.ExportJpeg(&vips.JpegExportParams{
			StripMetadata:  true,
			Quality:        p.Quality,
			Interlace:      p.Format == "pjpeg",
			OptimizeCoding: true,
			SubsampleMode:  sub,
		})
	case "png", "png-alpha", "png8", "png8-alpha":
		buf, _, err = img.ExportPng(&vips.PngExportParams{
			StripMetadata: true,
			Compression:   6,
			Filter:        vips.PngFilterAll,
			Palette:       p.Format == "png8" || p.Format == "png8-alpha",
			Bitdepth:      8,
		})
	case "gif", "gif-alpha":
		buf, _, err = img.ExportGIF(&vips.GifExportParams{StripMetadata: true, Effort: 7, Bitdepth: 8})
	case "webp", "webp-alpha":
		buf, _, err = img.ExportWebp(&vips.WebpExportParams{
			StripMetadata:   true,
			Quality:         p.Quality,
			Lossless:        p.Compression == "lossless",
			ReductionEffort: 4,
		})
		if err == nil {
			buf, err = stripWebP(buf)
		}
	case "avif", "avif-alpha":
		if !avifOK {
			return nil, vitrine.Errorf(vitrine.EUNSUPPORTED, "AVIF output is not available on this server (libheif without an AV1 encoder)")
		}
		buf, _, err = img.ExportAvif(&vips.AvifExportParams{
			StripMetadata: true,
			Quality:       p.Quality,
			Lossless:      p.Compression == "lossless",
			Bitdepth:      8,
			Effort:        avifEffort,
		})
	case "tif", "tif-alpha":
		buf, _, err = img.ExportTiff(&vips.TiffExportParams{
			StripMetadata: true,
			Quality:       p.Quality, // used by compression jpeg only
			Compression:   tiffCompression[p.Compression],
			Predictor:     vips.TiffPredictorHorizontal,
		})
	case "jpeg2000", "jpeg2000-alpha":
		buf, _, err = img.ExportJp2k(&vips.Jp2kExportParams{
			Quality:       p.Quality,
			Lossless:      p.Compression == "lossless",
			TileWidth:     512,
			TileHeight:    512,
			SubsampleMode: vips.VipsForeignSubsampleOff,
		})
	default:
		return nil, vitrine.Errorf(vitrine.EUNSUPPORTED, "output format %q is not supported", p.Format)
	}
	return buf, err
}
