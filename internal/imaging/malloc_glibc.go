//go:build linux && cgo

package imaging

/*
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
static int vtr_arena_max(int n) { return mallopt(M_ARENA_MAX, n); }
static int vtr_mmap_threshold(int n) { return mallopt(M_MMAP_THRESHOLD, n); }
static int vtr_trim_threshold(int n) { return mallopt(M_TRIM_THRESHOLD, n); }
static int vtr_trim(void) { return malloc_trim(0); }
static void vtr_heap(size_t *arena, size_t *mapped) {
	struct mallinfo2 m = mallinfo2();
	*arena = m.arena;
	*mapped = m.hblkhd;
}
#else
static int vtr_arena_max(int n) { return 0; }
static int vtr_mmap_threshold(int n) { return 0; }
static int vtr_trim_threshold(int n) { return 0; }
static int vtr_trim(void) { return 0; }
static void vtr_heap(size_t *arena, size_t *mapped) { *arena = 0; *mapped = 0; }
#endif
*/
import "C"

// limitArenas caps glibc's malloc arenas, as MALLOC_ARENA_MAX does, for
// threads that have not yet picked one: libvips' threads would otherwise
// each get an arena (up to 8 per core) that keeps its freed pages.
// Called before libvips starts its threads.
func limitArenas(n int) { C.vtr_arena_max(C.int(n)) }

// fixMmapThreshold makes glibc serve every allocation of n bytes or more
// with its own mapping, returned to the system when freed, as
// MALLOC_MMAP_THRESHOLD_ does. Left alone, glibc raises the threshold to
// the size of the largest mapped block freed so far (up to 32 MB): after
// the first decoded image is freed, later image buffers come from the
// arenas, whose free pages stay resident and fragment.
func fixMmapThreshold(n int) { C.vtr_mmap_threshold(C.int(n)) }

// fixTrimThreshold lets glibc keep up to n free bytes at the top of an
// arena instead of giving them back at once, as MALLOC_TRIM_THRESHOLD_
// does. A fixed mmap threshold also fixes this one, at 128 KB: every
// render then gave back its buffers and faulted them in again (600 page
// faults per PNG render from a pyramid instead of 74). The periodic
// trimHeap still returns what stays.
func fixTrimThreshold(n int) { C.vtr_trim_threshold(C.int(n)) }

// trimHeap returns the C heap's free pages to the system, as imgproxy
// does on a timer: glibc keeps what libvips freed, so RSS would stay at
// its peak for good.
func trimHeap() { C.vtr_trim() }

// cHeap reports the bytes glibc's arenas hold (in use or free) and the
// bytes of the blocks it mapped on their own.
func cHeap() (arena, mapped int64) {
	var a, m C.size_t
	C.vtr_heap(&a, &m)
	return int64(a), int64(m)
}
