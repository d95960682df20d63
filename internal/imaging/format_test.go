package imaging

import (
	"bytes"
	"encoding/binary"
	"image/color"
	"strings"
	"testing"

	"github.com/davidbyttow/govips/v2/vips"
	"github.com/vitrine/vitrine"
)

// The fmt= cases follow Adobe's Image Serving reference, r-is-http-fmt.md
// ("fmt=format[,pixelType[,compression]]" and its table of valid
// combinations); each case names the line it follows.
func TestParseFmt(t *testing.T) {
	t.Parallel()
	tests := []keyCase{
		{"format list: png8-alpha, 8-bit lossless PNG with alpha channel", "fmt=png8-alpha", "fmt=png8-alpha"},
		{"format list: tif-alpha, TIFF with alpha channel", "fmt=tif-alpha", "fmt=tif-alpha"},
		{"format list: jpg, lossy JPG", "fmt=jpg", ""},
		{"table jpeg, jpg, pjpeg: rgb, gray, cmyk (gray example fmt=jpeg,gray)", "fmt=jpeg,gray&qlt=60&wid=200", "wid=200&fmt=jpeg,gray&qlt=60,0"},
		{"table jpeg, jpg, pjpeg: cmyk", "fmt=jpg,cmyk", "fmt=jpeg,cmyk"},
		{"table jpeg, jpg, pjpeg: pjpeg gray", "fmt=pjpg,GRAY", "fmt=pjpeg,gray"},
		{"table png, png-alpha: rgb, gray", "fmt=png,gray", "fmt=png,gray"},
		{"table png, png-alpha: png-alpha gray", "fmt=png-alpha,gray", "fmt=png-alpha,gray"},
		{"table gif, gif-alpha: rgb, gray", "fmt=gif,gray", "fmt=gif,gray"},
		{"table tif, tif-alpha: rgb, gray, cmyk (example fmt=tif,cmyk)", "fmt=tif,cmyk&wid=300", "wid=300&fmt=tif,cmyk"},
		{"table tif: gray", "fmt=tif,gray", "fmt=tif,gray"},
		{"pixelType rgb: Return RGB image data (the default)", "fmt=png,rgb", "fmt=png"},
		{"example fmt=tif,,jpeg&qlt=95", "fmt=tif,,jpeg&qlt=95&wid=300", "wid=300&fmt=tif,,jpeg&qlt=95,0"},
		{"table tif: compression none|lzw|zip|jpeg, lzw", "fmt=tif,,lzw", "fmt=tif"},
		{"table tif: zip", "fmt=tif,,zip", "fmt=tif,,zip"},
		{"table tif: none", "fmt=tif,,none", "fmt=tif,,none"},
		{"table tif: gray with zip", "fmt=TIF,Gray,ZIP", "fmt=tif,gray,zip"},
		{"table tif-alpha: lzw", "fmt=tif-alpha,,lzw", "fmt=tif-alpha"},
		{"example fmt=webp-alpha,,lossless", "wid=300&fmt=webp-alpha,,lossless", "wid=300&fmt=webp-alpha,,lossless"},
		{"table webp: compression lossy, lossless", "fmt=webp,,lossless", "fmt=webp,,lossless"},
		{"table webp: lossy", "fmt=webp,rgb,lossy", "fmt=webp"},
		{"table avif: compression lossy, lossless", "fmt=avif,,lossless", "fmt=avif,,lossless"},
		{"r-is-http-fmt.md: jpeg2000 (libvips jp2ksave)", "fmt=jpeg2000", "fmt=jpeg2000"},
		{"notes §1.4: jp2 takes lossy and lossless", "fmt=jpeg2000-alpha,,lossless", "fmt=jpeg2000-alpha,,lossless"},
		{"Default: fmt=jpeg,rgb,none", "fmt=jpeg,rgb,none", ""},
		{"last fmt wins", "fmt=tif,cmyk,zip&fmt=png", "fmt=png"},
	}
	checkKeys(t, tests)
}

func TestParseFmtRefused(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, query, want string }{
		{"table png8, png8-alpha: rgb only", "fmt=png8,gray", "pixel type gray is not available with png8 (rgb)"},
		{"table webp: rgb only", "fmt=webp,cmyk", "not available with webp"},
		{"table avif: rgb only", "fmt=avif-alpha,gray", "not available with avif-alpha"},
		{"table png: rgb, gray (no cmyk)", "fmt=png,cmyk", "(rgb, gray)"},
		{"pixelType: rgb | gray | cmyk", "fmt=tif,lab", `pixel type "lab" is not rgb, gray or cmyk`},
		{"table tif: 'tiff-alpha' does not support jpeg compression", "fmt=tif-alpha,,jpeg", "(none, lzw, zip)"},
		{"compression is permitted only if tif, …, webp", "fmt=jpeg,,lzw", "jpeg takes no compression"},
		{"compression is permitted only if tif, …: png", "fmt=png,,zip", "png takes no compression"},
		{"table webp: compression (lossy, lossless)", "fmt=webp,,lzw", `compression "lzw" is not available with webp`},
		{"fmt=format[,pixelType[,compression]]: three values at most", "fmt=tif,rgb,lzw,x", "want 1 to 3"},
		{"format list: no bmp", "fmt=bmp", `format "bmp" is not supported`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(tt.query, nil)
			if vitrine.ErrorCode(err) != vitrine.EINVALID || !strings.Contains(vitrine.ErrorMessage(err), tt.want) {
				t.Errorf("Parse(%q) error %v, want EINVALID containing %q", tt.query, err, tt.want)
			}
		})
	}
}

// TestRenderFormatVariants renders each pixel type and compression and
// reads the bytes back: with libvips for bands and colour space, from the
// file's own headers for the compression.
func TestRenderFormatVariants(t *testing.T) {
	t.Parallel()
	needVips(t)
	r := newTestRenderer(t)
	holed := quadrants(64, 48) // a transparent red quarter
	for y := range 24 {
		for x := range 32 {
			holed.SetNRGBA(x, y, color.NRGBA{})
		}
	}
	src := encodePNG(t, holed)
	tests := []struct {
		name, query string
		bands       int
		space       vips.Interpretation
		check       func(t *testing.T, body []byte)
	}{
		{"jpeg,gray", "fmt=jpeg,gray", 1, vips.InterpretationBW, nil},
		{"pjpeg,gray", "fmt=pjpeg,gray", 1, vips.InterpretationBW, nil},
		{"jpeg,cmyk", "fmt=jpeg,cmyk", 4, vips.InterpretationCMYK, nil},
		{"png,gray", "fmt=png,gray", 1, vips.InterpretationBW, nil},
		{"png-alpha,gray", "fmt=png-alpha,gray", 2, vips.InterpretationBW, nil},
		{"gif,gray", "fmt=gif,gray", 0, 0, func(t *testing.T, body []byte) {
			img := decoded(t, body)
			if c := at(t, img, 50, 40); c.R != c.G || c.G != c.B {
				t.Errorf("gif,gray pixel %v is not gray", c)
			}
		}},
		{"tif,gray", "fmt=tif,gray", 1, vips.InterpretationBW, nil},
		{"tif,cmyk", "fmt=tif,cmyk", 4, vips.InterpretationCMYK, tiffCompressionIs(5)},
		{"tif-alpha,cmyk", "fmt=tif-alpha,cmyk", 5, vips.InterpretationCMYK, nil},
		{"tif default lzw", "fmt=tif", 3, vips.InterpretationSRGB, tiffCompressionIs(5)},
		{"tif,,lzw", "fmt=tif,,lzw", 3, vips.InterpretationSRGB, tiffCompressionIs(5)},
		{"tif,,none", "fmt=tif,,none", 3, vips.InterpretationSRGB, tiffCompressionIs(1)},
		{"tif,,zip", "fmt=tif,,zip", 3, vips.InterpretationSRGB, tiffCompressionIs(8)},
		{"tif,,jpeg", "fmt=tif,,jpeg&qlt=95", 3, vips.InterpretationSRGB, tiffCompressionIs(7)},
		{"tif-alpha,,lzw", "fmt=tif-alpha,,lzw", 4, vips.InterpretationSRGB, tiffCompressionIs(5)},
		{"png8-alpha", "fmt=png8-alpha", 4, vips.InterpretationSRGB, func(t *testing.T, body []byte) {
			if body[25] != 3 || !bytes.Contains(body, []byte("tRNS")) {
				t.Errorf("png8-alpha: colour type %d, tRNS %v; want a palette (3) with transparency", body[25], bytes.Contains(body, []byte("tRNS")))
			}
			if a := at(t, decoded(t, body), 5, 5).A; a != 0 {
				t.Errorf("png8-alpha: alpha in the transparent quarter = %d, want 0", a)
			}
		}},
		{"png8", "fmt=png8", 3, vips.InterpretationSRGB, func(t *testing.T, body []byte) {
			if body[25] != 3 || bytes.Contains(body, []byte("tRNS")) {
				t.Errorf("png8: colour type %d, tRNS %v; want an opaque palette", body[25], bytes.Contains(body, []byte("tRNS")))
			}
		}},
		{"webp lossy", "fmt=webp", 3, vips.InterpretationSRGB, webpChunk("VP8 ")},
		{"webp,,lossless", "fmt=webp,,lossless", 3, vips.InterpretationSRGB, webpLossless(false)},
		{"webp-alpha,,lossless", "fmt=webp-alpha,,lossless", 4, vips.InterpretationSRGB, webpLossless(true)},
	}
	if avifOK {
		tests = append(tests, struct {
			name, query string
			bands       int
			space       vips.Interpretation
			check       func(t *testing.T, body []byte)
		}{"avif,,lossless", "fmt=avif,,lossless", 3, vips.InterpretationSRGB, func(t *testing.T, body []byte) {
			checkPoints(t, decoded(t, body), 2, probePoint{5, 5, color.NRGBA{255, 255, 255, 255}}, probePoint{40, 5, green}, probePoint{40, 40, yellow})
			if lossy := renderQuery(t, r, src, "fmt=avif"); len(lossy.Body) >= len(body) {
				t.Errorf("avif,,lossless is %d bytes, lossy %d: lossless should be larger", len(body), len(lossy.Body))
			}
		}})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := renderQuery(t, r, src, tt.query)
			if tt.bands > 0 {
				img := loadRaw(t, out.Body)
				if img.Bands() != tt.bands || img.Interpretation() != tt.space {
					t.Errorf("%s: %d bands, %v; want %d, %v", tt.query, img.Bands(), img.Interpretation(), tt.bands, tt.space)
				}
			}
			if tt.check != nil {
				tt.check(t, out.Body)
			}
		})
	}
}

// loadRaw opens an encoded reply as it is, without conversion.
func loadRaw(t testing.TB, body []byte) *vips.ImageRef {
	t.Helper()
	img, err := vips.NewImageFromBuffer(body)
	if err != nil {
		t.Fatalf("decode reply: %v", err)
	}
	t.Cleanup(img.Close)
	return img
}

// tiffCompressionIs checks the TIFF Compression tag (259) of the first
// IFD: 1 none, 5 LZW, 7 JPEG, 8 Deflate.
func tiffCompressionIs(want uint16) func(t *testing.T, body []byte) {
	return func(t *testing.T, body []byte) {
		t.Helper()
		var bo binary.ByteOrder = binary.LittleEndian
		if bytes.HasPrefix(body, []byte("MM")) {
			bo = binary.BigEndian
		}
		ifd := int(bo.Uint32(body[4:8]))
		n := int(bo.Uint16(body[ifd:]))
		for i := range n {
			e := body[ifd+2+12*i:]
			if bo.Uint16(e) == 259 {
				if got := bo.Uint16(e[8:]); got != want {
					t.Errorf("TIFF compression %d, want %d", got, want)
				}
				return
			}
		}
		t.Errorf("TIFF has no compression tag")
	}
}

// webpChunk checks the WebP bitstream chunk: "VP8 " lossy, "VP8L" lossless.
func webpChunk(want string) func(t *testing.T, body []byte) {
	return func(t *testing.T, body []byte) {
		t.Helper()
		if !bytes.Contains(body[12:], []byte(want)) {
			t.Errorf("WebP without a %q chunk", want)
		}
	}
}

// webpLossless checks a VP8L bitstream and that the pixels came back
// exactly, the transparent quarter included when alpha is kept.
func webpLossless(alpha bool) func(t *testing.T, body []byte) {
	return func(t *testing.T, body []byte) {
		t.Helper()
		webpChunk("VP8L")(t, body)
		img := decoded(t, body)
		want := color.NRGBA{255, 255, 255, 255} // transparent quarter flattened on the white default
		if alpha {
			want = color.NRGBA{}
		}
		checkPoints(t, img, 0, probePoint{5, 5, want}, probePoint{40, 5, green}, probePoint{5, 40, blue}, probePoint{40, 40, yellow})
	}
}
