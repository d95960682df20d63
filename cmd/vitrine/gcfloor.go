package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// gcFloorBytes is the smallest heap goal the edge runs with. A hit
// allocates a few KB; with a live heap of 4 MB and GOGC=100 that was a
// collection every 3 MB, 15-25 a second under load, each with
// stop-the-world phases of 0.3-1.3 ms on this 2-core machine that land
// in the reply latency tail. With the floor, a small heap is collected
// about eight times less often, and a heap whose live part is above half
// the floor is collected as GOGC=100 would (no memory is added there).
//
// serve runs without it since its hits went to the front loop (a few KB
// allocated per hit, no per-hit 32 KB buffers): four alternated
// bench-peers runs gave the same origin hit rate and CPU per hit with and
// without it (1.02-1.26× nginx), and the peak RSS of the cold rows was
// 202-204 MB without it against 264-267 MB with it, the floor's heap
// sitting beside libvips' buffers.
const gcFloorBytes = 32 << 20

// gcFloor raises GOGC after each collection so that the next goal is at
// least floor bytes: goal = max(2 × live, floor).
type gcFloor struct {
	floor uint64
	prev  int

	mu      sync.Mutex
	stopped bool
	sample  []metrics.Sample
}

// startGCFloor keeps the heap goal at least floor until the returned stop
// is called, unless GOGC is set in the environment (the operator's own
// choice). It re-arms itself from a finalizer, which the runtime runs
// after each collection.
func startGCFloor(floor uint64) (stop func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	f := &gcFloor{floor: floor, prev: debug.SetGCPercent(100), sample: []metrics.Sample{
		{Name: "/gc/heap/live:bytes"}, {Name: "/gc/scan/stack:bytes"}, {Name: "/gc/scan/globals:bytes"}}}
	f.adjust()
	f.arm()
	return f.stop
}

func (f *gcFloor) arm() {
	s := new([16]byte) // not a tiny allocation: it gets its own finalizer
	runtime.SetFinalizer(s, func(*[16]byte) {
		if f.adjust() {
			f.arm()
		}
	})
}

// adjust sets GOGC for the live heap measured at the last collection and
// reports whether the floor is still running.
func (f *gcFloor) adjust() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stopped {
		return false
	}
	metrics.Read(f.sample)
	// The runtime scales GOGC by the live heap plus the stacks and globals.
	var roots uint64
	for _, s := range f.sample {
		if s.Value.Kind() == metrics.KindUint64 {
			roots += s.Value.Uint64()
		}
	}
	debug.SetGCPercent(gcPercentFor(roots, f.floor))
	return true
}

func (f *gcFloor) stop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.stopped {
		f.stopped = true
		debug.SetGCPercent(f.prev)
	}
}

// heapMinimum is the runtime's smallest heap goal at GOGC=100; it scales
// with GOGC (4 MB × GOGC/100), so GOGC=10,000 alone would put every goal
// at 400 MB or more.
const heapMinimum = 4 << 20

// gcPercentFor is the GOGC that puts the next heap goal at about
// max(2 × live, floor), live counting the stacks and globals as the
// runtime does. It is capped where the runtime's scaled heap minimum
// reaches the floor (800 for 32 MB), and at 10,000.
func gcPercentFor(live, floor uint64) int {
	if live == 0 || live*2 >= floor {
		return 100
	}
	return int(max(100, min(floor*100/live-100, floor*100/heapMinimum, 10_000)))
}
