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

// vtr_reduced decodes a reduced, upright copy of an encoded image, at most
// size pixels on its longer side (shrink-on-load where the format has it),
// into memory: the thumbnail reads its source once, in order, and each
// smartcrop reads the copy again.
static int vtr_reduced(void *buf, size_t len, int size, VipsImage **out) {
	VipsImage *thumb = NULL;
	if (vips_thumbnail_buffer(buf, len, &thumb, size, "height", size, "size", VIPS_SIZE_DOWN, NULL))
		return -1;
	*out = vips_image_copy_memory(thumb);
	g_object_unref(thumb);
	return *out ? 0 : -1;
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
// libvips' attention-based smart crop runs on a reduced, upright copy,
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
	var small *C.VipsImage
	rc := C.vtr_reduced(unsafe.Pointer(&src[0]), C.size_t(len(src)), C.int(smartCropSide), &small)
	runtime.KeepAlive(src)
	if rc != 0 {
		return nil, fmt.Errorf("imaging: smart crop: reduce: %w", vipsError())
	}
	defer C.g_object_unref(C.gpointer(small))
	sw, sh := int(small.Xsize), int(small.Ysize)
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

// vipsError returns and clears libvips' error buffer.
func vipsError() error {
	msg := C.GoString(C.vips_error_buffer())
	C.vips_error_clear()
	return errors.New(msg)
}
