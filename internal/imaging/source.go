package imaging

import (
	"fmt"

	"github.com/davidbyttow/govips/v2/vips"
	"github.com/vitrine/vitrine"
)

// Info is what the header of a source image says, for NewPlan and for
// req=imageprops.
type Info struct {
	Source
	Format    string // jpeg, png, gif, webp, tiff, heif, avif, …
	PixelType string // rgb, gray or cmyk (Scene7 image.pixTyp)
	Alpha     bool   // the image has an alpha channel (Scene7 image.mask)
	ICC       bool   // the image embeds an ICC profile
	ICCName   string // the embedded profile's description; "" when none or unreadable
	PrintRes  int    // the file's resolution in pixels per inch; 0 when it records none
}

// Probe reads the header of an encoded image without decoding its pixels
// (libvips loads lazily). It starts libvips if no Renderer did yet.
// Bytes libvips cannot read are EUNSUPPORTED.
func Probe(src []byte) (Info, error) {
	if err := startVips(); err != nil {
		return Info{}, err
	}
	img, err := openSource(src, nil)
	if err != nil {
		return Info{}, err
	}
	defer img.Close()
	info := Info{
		Source:    Source{Width: img.Width(), Height: img.Height(), Orientation: img.Orientation()},
		Format:    vips.ImageTypes[img.OriginalFormat()],
		PixelType: "rgb",
		Alpha:     img.HasAlpha(),
		ICC:       img.HasICCProfile(),
		PrintRes:  printRes(img.ResX()),
	}
	if info.ICC {
		info.ICCName = iccDescription(img.GetICCProfile())
	}
	if img.OriginalFormat() == vips.ImageTypeAVIF {
		info.Format = "avif" // govips names both HEIF flavours "heif"
	}
	switch img.Interpretation() {
	case vips.InterpretationCMYK:
		info.PixelType = "cmyk"
	case vips.InterpretationBW, vips.InterpretationGrey16:
		info.PixelType = "gray"
	}
	return info, nil
}

// sourceTypes are the formats Vitrine renders. Everything else (SVG, PDF,
// BMP through ImageMagick, JPEG 2000, JPEG XL, …) is refused before any
// libvips loader sees it: a smaller attack surface than libvips offers,
// on top of VIPS_BLOCK_UNTRUSTED.
var sourceTypes = map[vips.ImageType]bool{
	vips.ImageTypeJPEG: true, vips.ImageTypePNG: true, vips.ImageTypeGIF: true, vips.ImageTypeWEBP: true,
	vips.ImageTypeTIFF: true, vips.ImageTypeHEIF: true, vips.ImageTypeAVIF: true,
}

// openSource opens src with libvips, lazily. Decoding is lenient (libvips
// fail=false): real-world JPEGs often carry harmless warnings, and the
// bytes were checked at upload.
func openSource(src []byte, params *vips.ImportParams) (*vips.ImageRef, error) {
	if !sourceTypes[vips.DetermineImageType(src)] {
		return nil, vitrine.Errorf(vitrine.EUNSUPPORTED, "the source is not a JPEG, PNG, GIF, WebP, TIFF, HEIF or AVIF image")
	}
	if params == nil {
		params = vips.NewImportParams()
	}
	params.FailOnError.Set(false)
	img, err := vips.LoadImageFromBuffer(src, params)
	if err != nil {
		return nil, fmt.Errorf("%v: %w", err, vitrine.Errorf(vitrine.EUNSUPPORTED, "the source image cannot be decoded"))
	}
	return img, nil
}
