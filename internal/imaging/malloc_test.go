package imaging

import (
	"os"
	"runtime"
	"testing"

	"github.com/davidbyttow/govips/v2/vips"
)

// decodedPNG returns a w×h one-band PNG; decoded with random access,
// libvips holds its w×h bytes in one block until the image is closed.
func decodedPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img, err := vips.Black(w, h)
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	b, _, err := img.ExportPng(&vips.PngExportParams{Compression: 1})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// mappedWhileDecoded decodes src whole and reports by how much glibc's
// separately mapped blocks grew while the decoded image was held.
func mappedWhileDecoded(t *testing.T, src []byte) int64 {
	t.Helper()
	img, err := vips.LoadImageFromBuffer(src, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	_, before := cHeap()
	if _, err := img.Average(); err != nil { // decodes the whole image into memory
		t.Fatal(err)
	}
	_, after := cHeap()
	return after - before
}

// TestImageBuffersMapped: a decoded image's buffer is a block of its own,
// given back to the system when the image is freed, even after a larger
// one was freed (which moved glibc's own threshold above it). Not
// parallel: other tests' C allocations would blur the counts.
func TestImageBuffersMapped(t *testing.T) {
	needVips(t)
	if runtime.GOOS != "linux" || os.Getenv("MALLOC_MMAP_THRESHOLD_") != "" {
		t.Skip("glibc's mmap threshold is only set on Linux without MALLOC_MMAP_THRESHOLD_")
	}
	if arena, mapped := cHeap(); arena == 0 && mapped == 0 {
		t.Skip("no glibc malloc statistics")
	}
	big, small := decodedPNG(t, 4000, 2000), decodedPNG(t, 2000, 1500)
	mappedWhileDecoded(t, big) // freed: glibc alone would now keep blocks up to 8 MB in its arenas
	const want = 2000 * 1500
	if got := mappedWhileDecoded(t, small); got < want {
		t.Errorf("a %d-byte decoded image grew the mapped blocks by %d bytes: it came from the arenas", want, got)
	}
}
