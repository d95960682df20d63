package media

import (
	"bytes"
	"image/gif"
	"runtime"
	"testing"

	vitrine "github.com/vitrine/vitrine"
)

// TestGIFBombFixture checks that the hand-built frame bomb is a GIF the
// standard decoder reads, so the limit tests exercise real files.
func TestGIFBombFixture(t *testing.T) {
	t.Parallel()
	g, err := gif.DecodeAll(bytes.NewReader(gifBomb(5)))
	if err != nil {
		t.Fatalf("gif.DecodeAll(gifBomb(5)) error = %v", err)
	}
	if len(g.Image) != 5 {
		t.Errorf("gif.DecodeAll(gifBomb(5)) has %d frames, want 5", len(g.Image))
	}
}

// probeCost returns the mean allocations and bytes allocated by one Probe
// of data with a frame limit high enough to walk every frame.
func probeCost(t *testing.T, data []byte) (allocs, bytes uint64) {
	t.Helper()
	lim := Limits{MaxFrames: 1 << 30}
	probe := func() {
		info, err := Probe(bytesReader(data), int64(len(data)), "gif", lim)
		if err != nil || info.Type != vitrine.TypeStatic {
			t.Fatalf("Probe(gif) = %+v, %v; want an animated GIF", info, err)
		}
	}
	probe() // warm up
	const runs = 20
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range runs {
		probe()
	}
	runtime.ReadMemStats(&after)
	return (after.Mallocs - before.Mallocs) / runs, (after.TotalAlloc - before.TotalAlloc) / runs
}

// TestGIFFrameWalkMemory checks that counting frames costs the same memory
// for 5,000 frames as for 50,000: the walk reads through a fixed window and
// keeps nothing per frame. Both files are larger than the head, so both pay
// for it and for the window.
//
// Not parallel on purpose: runtime.MemStats counts every goroutine, and a
// sequential top-level test runs while parallel tests are still paused.
func TestGIFFrameWalkMemory(t *testing.T) {
	small, large := gifBomb(5_000), gifBomb(50_000)
	if len(small) <= headSize {
		t.Fatalf("gifBomb(5000) is %d bytes; it must exceed the %d-byte head", len(small), headSize)
	}
	smallAllocs, smallBytes := probeCost(t, small)
	largeAllocs, largeBytes := probeCost(t, large)
	t.Logf("5,000 frames: %d allocs, %d bytes; 50,000 frames: %d allocs, %d bytes (file %d bytes)",
		smallAllocs, smallBytes, largeAllocs, largeBytes, len(large))
	if largeAllocs > smallAllocs+2 {
		t.Errorf("Probe of 50,000 frames made %d allocations, want at most %d (as for 5,000 frames + 2)", largeAllocs, smallAllocs+2)
	}
	if largeBytes > smallBytes+1024 {
		t.Errorf("Probe of 50,000 frames allocated %d bytes, want at most %d (as for 5,000 frames + 1 KB)", largeBytes, smallBytes+1024)
	}
	if limit := uint64(headSize + windowSize + 16<<10); largeBytes > limit {
		t.Errorf("Probe of a %d-byte GIF allocated %d bytes, want at most %d", len(large), largeBytes, limit)
	}
}

// TestGIFBombAllocs checks the refusal of a 10,000-frame GIF with the
// default limit allocates a small, fixed number of times.
func TestGIFBombAllocs(t *testing.T) {
	data := gifBomb(10_000)
	allocs := testing.AllocsPerRun(20, func() {
		_, err := Probe(bytesReader(data), int64(len(data)), "gif", DefaultLimits())
		if vitrine.ErrorCode(err) != vitrine.ETOOLARGE {
			t.Fatalf("Probe(gifBomb(10000)) error = %v, want %s", err, vitrine.ETOOLARGE)
		}
	})
	if allocs > 10 {
		t.Errorf("Probe(gifBomb(10000)) made %v allocations, want at most 10", allocs)
	}
}
