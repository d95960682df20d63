package imaging

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/davidbyttow/govips/v2/vips"
)

// Sources are generated at test time with the Go encoders (and libvips
// for CMYK), so nothing binary is committed. The quadrant image has one
// colour per quarter, which makes crops, flips, rotations and EXIF
// orientation visible by sampling four points.
var (
	red    = color.NRGBA{255, 0, 0, 255}
	green  = color.NRGBA{0, 255, 0, 255}
	blue   = color.NRGBA{0, 0, 255, 255}
	yellow = color.NRGBA{255, 255, 0, 255}
)

func needVips(t testing.TB) {
	t.Helper()
	if err := startVips(); err != nil {
		t.Fatalf("start libvips: %v", err)
	}
}

// quadrants draws a w×h image: red top-left, green top-right, blue
// bottom-left, yellow bottom-right.
func quadrants(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := red
			switch {
			case x >= w/2 && y < h/2:
				c = green
			case x < w/2 && y >= h/2:
				c = blue
			case x >= w/2 && y >= h/2:
				c = yellow
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// rotatedCCW returns img turned 90° counter-clockwise: stored with EXIF
// orientation 6 ("rotate 90° clockwise to display") it displays as img.
func rotatedCCW(img *image.NRGBA) *image.NRGBA {
	b := img.Bounds()
	out := image.NewNRGBA(image.Rect(0, 0, b.Dy(), b.Dx()))
	for sy := range b.Dx() {
		for sx := range b.Dy() {
			out.SetNRGBA(sx, sy, img.NRGBAAt(b.Dx()-1-sy, sx))
		}
	}
	return out
}

func encodeJPEG(t testing.TB, img image.Image, q int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Markers planted in test metadata; no reply may contain them.
const (
	secretMake = "VitrineCam"
	secretXMP  = "VitrineXMPSecret"
)

// withMetadata inserts, after SOI, an EXIF APP1 segment (Make, the given
// Orientation and a GPS IFD with a latitude reference) and an XMP APP1.
func withMetadata(jpg []byte, orientation uint16) []byte {
	le := binary.LittleEndian
	tiff := []byte("II*\x00\x08\x00\x00\x00")
	entry := func(b []byte, tag, typ uint16, count uint32, value []byte) []byte {
		b = le.AppendUint16(b, tag)
		b = le.AppendUint16(b, typ)
		b = le.AppendUint32(b, count)
		return append(b, value...)
	}
	u32 := func(v uint32) []byte { return le.AppendUint32(nil, v) }
	// IFD0 at 8: 3 entries, 42 bytes; Make data at 50; GPS IFD at 62.
	tiff = le.AppendUint16(tiff, 3)
	tiff = entry(tiff, 0x010F, 2, uint32(len(secretMake)+1), u32(50))
	tiff = entry(tiff, 0x0112, 3, 1, []byte{byte(orientation), byte(orientation >> 8), 0, 0})
	tiff = entry(tiff, 0x8825, 4, 1, u32(62))
	tiff = append(tiff, 0, 0, 0, 0)
	tiff = append(tiff, secretMake+"\x00\x00"...) // 11 bytes + 1 pad
	tiff = le.AppendUint16(tiff, 2)
	tiff = entry(tiff, 0x0000, 1, 4, []byte{2, 2, 0, 0})   // GPSVersionID
	tiff = entry(tiff, 0x0001, 2, 2, []byte{'N', 0, 0, 0}) // GPSLatitudeRef
	tiff = append(tiff, 0, 0, 0, 0)
	seg := func(payload []byte) []byte {
		n := len(payload) + 2
		return append([]byte{0xFF, 0xE1, byte(n >> 8), byte(n)}, payload...)
	}
	exif := seg(append([]byte("Exif\x00\x00"), tiff...))
	xmp := seg([]byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta xmlns:x='adobe:ns:meta/'>" + secretXMP + "</x:xmpmeta>"))
	out := append([]byte{}, jpg[:2]...)
	out = append(out, exif...)
	out = append(out, xmp...)
	return append(out, jpg[2:]...)
}

// cmykJPEG converts img to CMYK with libvips' built-in profile and saves it
// as a CMYK JPEG, with the profile embedded or not.
func cmykJPEG(t testing.TB, img image.Image, embedProfile bool) []byte {
	t.Helper()
	needVips(t)
	ref, err := vips.NewImageFromGoImage(img)
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	if err := ref.Flatten(&vips.Color{R: 255, G: 255, B: 255}); err != nil {
		t.Fatal(err)
	}
	if err := ref.TransformICCProfileWithFallback("cmyk", "srgb"); err != nil {
		t.Fatal(err)
	}
	if ref.Interpretation() != vips.InterpretationCMYK {
		t.Fatalf("transform gave interpretation %v, want CMYK", ref.Interpretation())
	}
	buf, _, err := ref.ExportJpeg(&vips.JpegExportParams{Quality: 95, StripMetadata: !embedProfile})
	if err != nil {
		t.Fatal(err)
	}
	return buf
}

// decoded opens an encoded reply as 8-bit sRGB for sampling.
func decoded(t testing.TB, body []byte) *vips.ImageRef {
	t.Helper()
	img, err := vips.NewImageFromBuffer(body)
	if err != nil {
		t.Fatalf("decode reply: %v", err)
	}
	t.Cleanup(img.Close)
	if img.Interpretation() != vips.InterpretationSRGB {
		if err := img.ToColorSpace(vips.InterpretationSRGB); err != nil {
			t.Fatal(err)
		}
	}
	return img
}

// at returns the pixel at x, y as RGBA (alpha 255 when there is none).
func at(t testing.TB, img *vips.ImageRef, x, y int) color.NRGBA {
	t.Helper()
	p, err := img.GetPoint(x, y)
	if err != nil {
		t.Fatalf("GetPoint(%d, %d): %v", x, y, err)
	}
	c := color.NRGBA{uint8(p[0]), uint8(p[1]), uint8(p[2]), 255}
	if len(p) == 4 {
		c.A = uint8(p[3])
	}
	return c
}

// near reports whether two colours differ by at most tol per channel.
func near(a, b color.NRGBA, tol int) bool {
	d := func(x, y uint8) int { return max(int(x)-int(y), int(y)-int(x)) }
	return d(a.R, b.R) <= tol && d(a.G, b.G) <= tol && d(a.B, b.B) <= tol && d(a.A, b.A) <= tol
}

// sniff names an encoded image's format from its magic bytes.
func sniff(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "jpeg"
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case bytes.HasPrefix(b, []byte("GIF8")):
		return "gif"
	case len(b) > 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return "webp"
	case len(b) > 12 && string(b[4:8]) == "ftyp" && (string(b[8:12]) == "avif" || string(b[8:12]) == "avis"):
		return "avif"
	case bytes.HasPrefix(b, []byte("II*\x00")) || bytes.HasPrefix(b, []byte("MM\x00*")):
		return "tif"
	case bytes.HasPrefix(b, []byte("\x00\x00\x00\x0CjP  \r\n\x87\n")):
		return "jpeg2000" // the JP2 file format's signature box (ISO/IEC 15444-1, I.5.1)
	}
	return "unknown"
}

// jpegFrame returns whether a JPEG is progressive and the luma sampling
// factors (2×2 means 4:2:0 chroma subsampling, 1×1 none).
func jpegFrame(t testing.TB, b []byte) (progressive bool, h, v int) {
	t.Helper()
	for i := 2; i+4 < len(b); {
		if b[i] != 0xFF {
			t.Fatalf("bad JPEG marker at %d", i)
		}
		m := b[i+1]
		n := int(b[i+2])<<8 | int(b[i+3])
		if m == 0xC0 || m == 0xC1 || m == 0xC2 {
			// length(2) precision(1) height(2) width(2) components(1) id(1) sampling(1)
			s := b[i+4+7]
			return m == 0xC2, int(s >> 4), int(s & 15)
		}
		i += 2 + n
	}
	t.Fatal("no SOF marker")
	return false, 0, 0
}

// ref turns a Go image into a libvips image, RGBA or, when opaque, RGB.
func ref(t testing.TB, img image.Image, opaque bool) *vips.ImageRef {
	t.Helper()
	needVips(t)
	r, err := vips.NewImageFromGoImage(img)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	if opaque {
		if err := r.ExtractBand(0, 3); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

// solid is a w×h image of one colour.
func solid(w, h int, c color.NRGBA) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return img
}

// probePoint is a pixel to check in a reply.
type probePoint struct {
	x, y int
	want color.NRGBA
}

// checkPoints samples img at each point.
func checkPoints(t testing.TB, img *vips.ImageRef, tol int, points ...probePoint) {
	t.Helper()
	for _, p := range points {
		if got := at(t, img, p.x, p.y); !near(got, p.want, tol) {
			t.Errorf("pixel (%d, %d) = %v, want %v ± %d", p.x, p.y, got, p.want, tol)
		}
	}
}

// keyCase is a query and the rendition cache key it parses to.
type keyCase struct{ name, query, key string }

// checkKeys parses each case's query, compares its cache key, and checks
// that the key parses back to itself.
func checkKeys(t *testing.T, tests []keyCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := Parse(tt.query, nil)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.query, err)
			}
			if got := r.CacheKey(); got != tt.key {
				t.Errorf("Parse(%q).CacheKey() = %q, want %q", tt.query, got, tt.key)
			}
			if r2, err := Parse(tt.key, nil); err != nil || r2.CacheKey() != tt.key {
				t.Errorf("the key %q does not parse back to itself: %v", tt.key, err)
			}
		})
	}
}
