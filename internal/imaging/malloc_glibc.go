//go:build linux && cgo

package imaging

/*
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
static int vtr_arena_max(int n) { return mallopt(M_ARENA_MAX, n); }
static int vtr_trim(void) { return malloc_trim(0); }
#else
static int vtr_arena_max(int n) { return 0; }
static int vtr_trim(void) { return 0; }
#endif
*/
import "C"

// limitArenas caps glibc's malloc arenas, as MALLOC_ARENA_MAX does, for
// threads that have not yet picked one: libvips' threads would otherwise
// each get an arena (up to 8 per core) that keeps its freed pages.
// Called before libvips starts its threads.
func limitArenas(n int) { C.vtr_arena_max(C.int(n)) }

// trimHeap returns the C heap's free pages to the system, as imgproxy
// does on a timer: glibc keeps what libvips freed, so RSS would stay at
// its peak for good.
func trimHeap() { C.vtr_trim() }
