package imaging

import (
	"encoding/binary"
	"os"
	"testing"

	"github.com/davidbyttow/govips/v2/vips"
	"github.com/vitrine/vitrine"
)

// tinyBMP is a 1×1 24-bit BMP: libvips reads it only through ImageMagick,
// a loader it marks untrusted.
func tinyBMP() []byte {
	le := binary.LittleEndian
	b := []byte("BM")
	b = le.AppendUint32(b, 58)
	b = le.AppendUint32(b, 0)
	b = le.AppendUint32(b, 54)
	b = le.AppendUint32(b, 40) // BITMAPINFOHEADER
	b = le.AppendUint32(b, 1)  // width
	b = le.AppendUint32(b, 1)  // height
	b = le.AppendUint16(b, 1)  // planes
	b = le.AppendUint16(b, 24) // bits per pixel
	b = le.AppendUint32(b, 0)  // no compression
	b = le.AppendUint32(b, 4)
	b = append(b, make([]byte, 16)...)
	return append(b, 0, 0, 255, 0) // one red pixel, padded to 4 bytes
}

func TestUntrustedLoadersBlocked(t *testing.T) {
	t.Parallel()
	needVips(t)
	if got := os.Getenv("VIPS_BLOCK_UNTRUSTED"); got != "1" {
		t.Errorf("VIPS_BLOCK_UNTRUSTED = %q, want 1", got)
	}
	if img, err := vips.LoadImageFromBuffer(tinyBMP(), nil); err == nil {
		img.Close()
		t.Error("libvips loaded a BMP through ImageMagick: untrusted loaders are not blocked")
	}
	if _, err := Probe(tinyBMP()); vitrine.ErrorCode(err) != vitrine.EUNSUPPORTED {
		t.Errorf("Probe(BMP) error %v, want %s", err, vitrine.EUNSUPPORTED)
	}
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>`)
	if _, err := Probe(svg); vitrine.ErrorCode(err) != vitrine.EUNSUPPORTED {
		t.Errorf("Probe(SVG) error %v, want %s", err, vitrine.EUNSUPPORTED)
	}
}
