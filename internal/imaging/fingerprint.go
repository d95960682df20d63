package imaging

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/davidbyttow/govips/v2/vips"
)

// RendererVersion names what the pipeline and the encoders do. Bump it with
// any change that makes the same request on the same source give other
// bytes: a step, an encoder option, the ICC or metadata handling, a default.
// It is part of every Fingerprint, so rendition caches and browsers drop
// what older code made instead of serving it under the same ETag.
const RendererVersion = 4 // 4: large PNG, WebP, TIFF, HEIF and AVIF originals render from their pyramid (issue 17); 3: fit=wrap,0 pads a small image to wid×hei (issue 14); 2: shrink-on-load to the largest factor (issue 17)

// Fingerprint returns a stable digest of everything outside the request and
// the source that decides a rendition's bytes: these settings after
// defaults, RendererVersion and the libvips version. Two renditions of one
// source with one canonical modifier string (Request.CacheKey) and one
// fingerprint are the same bytes; a company settings change that can alter
// them changes the fingerprint.
//
// Presets are left out: Parse expands the presets a URL uses into the
// request, so they are already in its CacheKey, and editing a preset no URL
// uses must not drop every rendition of the company.
//
// A new field of Settings must be added here (TestFingerprintCoversSettings
// fails until it is).
func (s Settings) Fingerprint() string {
	s = s.withDefaults()
	bg := s.BkgColor
	if c, err := parseColor("bkg_color", bg); err == nil {
		bg = c.Hex() // one spelling per colour
	}
	// One field per line, in a fixed order, values quoted: no two
	// different settings encode alike.
	var b strings.Builder
	line := func(name, value string) {
		b.WriteString(name)
		b.WriteByte('=')
		b.WriteString(strconv.Quote(value))
		b.WriteByte('\n')
	}
	line("renderer", strconv.Itoa(RendererVersion))
	line("libvips", vips.Version)
	line("max_pix", strconv.Itoa(s.MaxPix[0])+"x"+strconv.Itoa(s.MaxPix[1]))
	line("default_pix", strconv.Itoa(s.DefaultPix[0])+"x"+strconv.Itoa(s.DefaultPix[1]))
	line("jpeg_quality", strconv.Itoa(s.JpegQuality))
	line("res_mode", s.ResMode)
	line("bkg_color", bg)
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:16])
}
