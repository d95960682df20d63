package imaging

import (
	"fmt"
	"os"
	"sync"

	"github.com/davidbyttow/govips/v2/vips"
)

// libvips is process-global: govips.Startup may run once per process and
// cannot be restarted after Shutdown, and the settings below (operation
// cache, thread pool size, untrusted-loader block) apply to every caller.
// So the package starts it exactly once, on first need, and never shuts
// it down; this is the one piece of package-level mutable state, forced by
// the library. Renderers come and go on top of it.
var (
	vipsOnce sync.Once
	vipsErr  error
	// avifOK records whether this libvips can encode AVIF (heifsave with
	// an AV1 encoder through libheif); set once by startVips.
	avifOK bool
)

// mallocArenas is the glibc malloc arena cap startVips sets.
const mallocArenas = 2

// mallocMmapThreshold is the size from which glibc maps each allocation
// on its own (startVips): decoded images, whole-image buffers, loaders'
// frames. Smaller buffers (a render's regions and tiles) stay in the
// arenas, where reusing them costs no page faults.
const mallocMmapThreshold = 1 << 20

// mallocTrimThreshold is how much free memory at the top of an arena
// glibc keeps for the next render (startVips).
const mallocTrimThreshold = 8 << 20

// startVips starts libvips once with the settings an image server wants:
//   - VIPS_BLOCK_UNTRUSTED=1 before startup, so loaders libvips marks
//     untrusted (ImageMagick, matio, …) are never reached by uploaded bytes;
//   - no operation cache: renders never repeat exactly, the cache would
//     only pin memory (the edge caches replies);
//   - one libvips worker thread per operation: the Renderer runs one
//     render per core instead, which scales better on small machines (the
//     reference notes §3.2 and imagor make the same choice);
//   - two glibc malloc arenas unless MALLOC_ARENA_MAX says otherwise:
//     with one arena per thread, memory libvips frees stays mapped and a
//     server's RSS settles near 2× its working set (issue 17: 274 MB
//     peak against 164 MB with two arenas, at the same throughput);
//   - a fixed mmap threshold of 1 MB unless MALLOC_MMAP_THRESHOLD_ says
//     otherwise: glibc's moving threshold put every image buffer in the
//     arenas once the first was freed, and a server's C heap grew to
//     twice what libvips used (docs/benchmarks.md, "Memory"); and a
//     trim threshold of 8 MB unless MALLOC_TRIM_THRESHOLD_ says otherwise,
//     so a render's smaller buffers stay mapped for the next one.
func startVips() error {
	vipsOnce.Do(func() {
		if err := os.Setenv("VIPS_BLOCK_UNTRUSTED", "1"); err != nil {
			vipsErr = fmt.Errorf("imaging: set VIPS_BLOCK_UNTRUSTED: %w", err)
			return
		}
		if os.Getenv("MALLOC_ARENA_MAX") == "" {
			limitArenas(mallocArenas)
		}
		if os.Getenv("MALLOC_MMAP_THRESHOLD_") == "" {
			fixMmapThreshold(mallocMmapThreshold)
		}
		if os.Getenv("MALLOC_TRIM_THRESHOLD_") == "" {
			fixTrimThreshold(mallocTrimThreshold)
		}
		vips.LoggingSettings(nil, vips.LogLevelWarning)
		vipsErr = vips.Startup(&vips.Config{
			ConcurrencyLevel: 1,
			MaxCacheFiles:    0,
			MaxCacheMem:      0,
			MaxCacheSize:     0,
		})
		if vipsErr == nil {
			avifOK = probeAVIF()
		}
	})
	return vipsErr
}

// probeAVIF encodes a tiny image to find out whether AVIF output works:
// libheif may be built without an AV1 encoder.
func probeAVIF() bool {
	img, err := vips.Black(16, 16)
	if err != nil {
		return false
	}
	defer img.Close()
	if err := img.ToColorSpace(vips.InterpretationSRGB); err != nil {
		return false
	}
	buf, _, err := img.ExportAvif(&vips.AvifExportParams{Quality: 50, Bitdepth: 8, Effort: 0, StripMetadata: true})
	return err == nil && len(buf) > 0
}
