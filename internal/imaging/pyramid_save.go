package imaging

/*
#cgo pkg-config: vips
#include <stdlib.h>
#include <vips/vips.h>

// vtr_save_pyramid decodes buf (sequentially when seq), turns it upright
// and writes it to path as a tiled, deflated pyramid TIFF: the options
// BuildPyramid documents.
static int vtr_save_pyramid(const void *buf, size_t len, int seq, const char *path, int tile) {
	VipsImage *in, *up;
	int r;
	in = vips_image_new_from_buffer(buf, len, "",
		"access", seq ? VIPS_ACCESS_SEQUENTIAL : VIPS_ACCESS_RANDOM, NULL);
	if (!in)
		return -1;
	r = vips_autorot(in, &up, NULL);
	g_object_unref(in);
	if (r)
		return -1;
	r = vips_tiffsave(up, path,
		"compression", VIPS_FOREIGN_TIFF_COMPRESSION_DEFLATE,
		"predictor", VIPS_FOREIGN_TIFF_PREDICTOR_HORIZONTAL,
		"pyramid", TRUE, "tile", TRUE, "tile_width", tile, "tile_height", tile, NULL);
	g_object_unref(up);
	return r;
}
*/
import "C"

import (
	"errors"
	"strings"
	"unsafe"
)

// savePyramid writes the pyramid of src to the file at path
// (vtr_save_pyramid). govips can save to a buffer only.
func savePyramid(src []byte, sequential bool, path string, tile int) error {
	if len(src) == 0 {
		return errors.New("empty source")
	}
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	seq := C.int(0)
	if sequential {
		seq = 1
	}
	// src is only read during the call (no libvips object made from it
	// outlives it: the operation cache is off).
	if C.vtr_save_pyramid(unsafe.Pointer(&src[0]), C.size_t(len(src)), seq, cpath, C.int(tile)) != 0 {
		msg := strings.TrimSpace(C.GoString(C.vips_error_buffer()))
		C.vips_error_clear()
		if msg == "" {
			msg = "libvips failed"
		}
		return errors.New(msg)
	}
	return nil
}
