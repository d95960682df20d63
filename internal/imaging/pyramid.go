package imaging

import (
	"context"
	"fmt"
	"os"
	"syscall"

	"github.com/davidbyttow/govips/v2/vips"
)

// pyramidTile is the side of a pyramid's tiles: a crop decodes only the
// tiles it touches.
const pyramidTile = 256

// BuildPyramid writes src to the file dst as a pyramid: a tiled TIFF
// whose pages are the upright image at full size, then halved again and
// again (libvips averages 2×2 blocks) down to one tile. Deflate with the
// horizontal predictor keeps every pixel, alpha, 16-bit samples and the
// ICC profile exactly; it decodes a level in a tenth of the time of LZW on
// photos (measured in docs/benchmarks.md). Renders read the smallest level
// that is still at least the size they need (RenderPyramid).
//
// libvips writes the file itself: saved to a buffer, the pyramid was held
// twice in C memory while its levels were gathered and once more in the
// Go heap, a transient 30–40 MB per build of a 2400×1600 original.
func BuildPyramid(src []byte, dst string) error {
	if err := startVips(); err != nil {
		return err
	}
	head, err := openSource(src, nil)
	if err != nil {
		return err
	}
	upright := head.Orientation() <= 1
	head.Close()
	// An upright source streams through the writer, top to bottom, instead
	// of being decoded whole into memory first.
	if err := savePyramid(src, upright, dst, pyramidTile); err != nil {
		return fmt.Errorf("imaging: pyramid: %w", err)
	}
	return nil
}

// pyramidLevel is the page to read for the plan: the largest k whose
// reduction 2^k is not more than the plan's, so no axis is decoded
// smaller than asked (the same rule as jpegShrink, without its cap of 8),
// and never past the last of the pyramid's pages.
func pyramidLevel(p *Plan, pages int) int {
	f := downscale(p)
	k := 0
	for k+1 < pages && float64(int(1)<<(k+1)) <= f {
		k++
	}
	return k
}

// loadPyramid is load for a pyramid source: it decodes the chosen level
// from the file (only the tiles the plan reads), whose size relative to
// the upright source is the load scale the crop and resize steps already
// map coordinates through.
func loadPyramid(st *state) error {
	p := st.plan
	params := vips.NewImportParams()
	params.Page.Set(pyramidLevel(p, st.pyramidPages))
	if sequential(p) {
		params.Access.Set(vips.AccessSequential)
	}
	img, err := vips.LoadImageFromBuffer(st.pyramid, params)
	if err != nil {
		return fmt.Errorf("imaging: pyramid: %w", err)
	}
	st.img = img
	// One image, not the first of a stack of pages: govips would turn and
	// flip each "page" of a multi-page image on its own.
	if err := img.SetPages(1); err != nil {
		return err
	}
	return setLoadScale(st)
}

// renderPyramid renders from the pyramid file at path: its first page is
// the upright original, so the plan is checked against that header. The
// file is mapped, not read: govips' file loader reads a whole file into
// the Go heap, where a pyramid several times the size of its original was
// allocated, cleared and scanned on every render; mapped, only the pages
// of the tiles the render touches are read, from the page cache.
func renderPyramid(ctx context.Context, path string, p *Plan) (*Output, error) {
	data, unmap, err := mapFile(path)
	if err != nil {
		return nil, fmt.Errorf("imaging: pyramid: %w", err)
	}
	defer unmap() // after renderState has closed every image made from data
	head, err := vips.LoadImageFromBuffer(data, nil)
	if err != nil {
		return nil, fmt.Errorf("imaging: pyramid: %w", err)
	}
	src, pages := Source{Width: head.Width(), Height: head.Height()}, head.Pages()
	head.Close()
	if p, err = p.forSource(src); err != nil {
		return nil, err
	}
	return renderState(ctx, &state{plan: p, pyramid: data, pyramidPages: pages})
}

// mapFile maps the file at path read-only; unmap releases it.
func mapFile(path string) (data []byte, unmap func(), err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close() // the mapping outlives the descriptor
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if fi.Size() == 0 || fi.Size() != int64(int(fi.Size())) {
		return nil, nil, fmt.Errorf("%s: cannot map %d bytes", path, fi.Size())
	}
	data, err = syscall.Mmap(int(f.Fd()), 0, int(fi.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, fmt.Errorf("mmap %s: %w", path, err)
	}
	return data, func() { syscall.Munmap(data) }, nil
}
