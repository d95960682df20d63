package imaging

/*
#cgo pkg-config: vips
#include <vips/vips.h>

// vtr_attention finds the attention point of in for a crop of w×h pixels
// with libvips' smartcrop (interesting=attention); the cropped image itself
// is dropped. govips's SmartCrop does the crop but keeps the point to
// itself, and the point is what the box rule needs.
static int vtr_attention(VipsImage *in, int w, int h, int *ax, int *ay) {
	VipsImage *out = NULL;
	if (vips_smartcrop(in, &out, w, h, "interesting", VIPS_INTERESTING_ATTENTION,
			"attention_x", ax, "attention_y", ay, NULL))
		return -1;
	g_object_unref(out);
	return 0;
}

// vtr_from_pixels wraps a copy of 8-bit interleaved pixels as an image.
static VipsImage *vtr_from_pixels(void *pix, size_t len, int w, int h, int bands) {
	return vips_image_new_from_memory_copy(pix, len, w, h, bands, VIPS_FORMAT_UCHAR);
}
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime"
	"unsafe"

	"github.com/davidbyttow/govips/v2/vips"
	"github.com/vitrine/vitrine"
)

// smartCropSide is the longer side of the reduced copy the attention
// point is searched on. libvips' attention itself works on a copy about
// 32 pixels wide, so more detail buys nothing but decode time.
const smartCropSide = 512

// SmartCrops computes the box of each crop of defs in an encoded image:
// libvips' attention-based smart crop runs on a reduced, upright copy
// (decoded as renditions are, with shrink-on-load),
// its attention point is scaled to the source, and vitrine.SmartCropBox
// places the largest box of the crop's aspect around it. Boxes are in
// upright source pixels, the coordinates crop= uses.
func SmartCrops(src []byte, defs []vitrine.CropDef) ([]vitrine.SmartCrop, error) {
	if err := startVips(); err != nil {
		return nil, err
	}
	if !sourceTypes[vips.DetermineImageType(src)] || len(src) == 0 {
		return nil, vitrine.Errorf(vitrine.EUNSUPPORTED, "the source is not a JPEG, PNG, GIF, WebP, TIFF, HEIF or AVIF image")
	}
	info, err := Probe(src)
	if err != nil {
		return nil, err
	}
	srcW, srcH := info.Upright()
	pix, sw, sh, bands, err := reduced(src, info.Source)
	if err != nil {
		return nil, fmt.Errorf("imaging: smart crop: reduce: %w", err)
	}
	small := C.vtr_from_pixels(unsafe.Pointer(&pix[0]), C.size_t(len(pix)), C.int(sw), C.int(sh), C.int(bands))
	runtime.KeepAlive(pix)
	if small == nil {
		return nil, fmt.Errorf("imaging: smart crop: %w", vipsError())
	}
	defer C.g_object_unref(C.gpointer(small))
	sx, sy := float64(srcW)/float64(sw), float64(srcH)/float64(sh)
	out := make([]vitrine.SmartCrop, len(defs))
	for i, d := range defs {
		b := vitrine.SmartCropBox(sw, sh, d.Width, d.Height, float64(sw)/2, float64(sh)/2)
		fx, fy := float64(sw)/2, float64(sh)/2
		if b.W < sw || b.H < sh {
			var ax, ay C.int
			if C.vtr_attention(small, C.int(b.W), C.int(b.H), &ax, &ay) != 0 {
				return nil, fmt.Errorf("imaging: smart crop %s: %w", d.Name, vipsError())
			}
			fx, fy = float64(ax), float64(ay)
		}
		out[i] = vitrine.SmartCrop{Name: d.Name, Width: d.Width, Height: d.Height, SourceWidth: srcW, SourceHeight: srcH,
			Box: vitrine.SmartCropBox(srcW, srcH, d.Width, d.Height, (fx+0.5)*sx, (fy+0.5)*sy)}
	}
	return out, nil
}

// reduced decodes an upright 8-bit sRGB copy of src at most smartCropSide
// pixels on its longer side with the rendition steps (shrink-on-load,
// EXIF orientation, colour conversion), and returns its pixels.
func reduced(src []byte, s Source) (pix []byte, w, h, bands int, err error) {
	req := newRequest()
	req.wid, req.hei, req.fit = smartCropSide, smartCropSide, FitConstrain
	p, err := NewPlan(req, s, Settings{})
	if err != nil {
		return nil, 0, 0, 0, err
	}
	st := &state{plan: p, src: src}
	defer func() {
		if st.img != nil {
			st.img.Close()
		}
	}()
	for _, s := range []step{{"load", load}, {"resize", resize}, {"colour", toSRGB}} {
		if err := s.run(st); err != nil {
			return nil, 0, 0, 0, fmt.Errorf("%s: %w", s.name, err)
		}
	}
	if st.img.BandFormat() != vips.BandFormatUchar {
		return nil, 0, 0, 0, fmt.Errorf("band format %v after the colour step", st.img.BandFormat())
	}
	pix, err = st.img.ToBytes()
	if err != nil {
		return nil, 0, 0, 0, err
	}
	w, h, bands = st.img.Width(), st.img.Height(), st.img.Bands()
	if len(pix) != w*h*bands || len(pix) == 0 {
		return nil, 0, 0, 0, fmt.Errorf("%d bytes for %dx%dx%d pixels", len(pix), w, h, bands)
	}
	return pix, w, h, bands, nil
}

// vipsError returns and clears libvips' error buffer.
func vipsError() error {
	msg := C.GoString(C.vips_error_buffer())
	C.vips_error_clear()
	return errors.New(msg)
}
