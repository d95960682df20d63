package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
)

func TestGCPercentFor(t *testing.T) {
	cases := []struct {
		live, floor uint64
		want        int
	}{
		{4 << 20, 32 << 20, 700},
		{8 << 20, 32 << 20, 300},
		{16 << 20, 32 << 20, 100},
		{200 << 20, 32 << 20, 100},
		{1 << 10, 32 << 20, 800}, // the runtime's heap minimum, 4 MB × 8, is the floor
		{1 << 20, 32 << 20, 800},
		{1 << 10, 1 << 40, 10_000},
		{1 << 20, 8 << 20, 200}, // the heap minimum's cap, 4 MB × 2, is the floor
		{0, 32 << 20, 100},
	}
	for _, tc := range cases {
		if got := gcPercentFor(tc.live, tc.floor); got != tc.want {
			t.Errorf("gcPercentFor(%d, %d) = %d, want %d", tc.live, tc.floor, got, tc.want)
		}
	}
}

func TestGCFloorSetsAndRestoresGOGC(t *testing.T) {
	t.Setenv("GOGC", "")
	gogc := func() uint64 {
		s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
		metrics.Read(s)
		return s[0].Value.Uint64()
	}
	old := debug.SetGCPercent(100)
	defer debug.SetGCPercent(old)
	runtime.GC() // the live heap is known after a collection
	// A floor far above this test binary's live heap.
	stop := startGCFloor(1 << 40)
	if got := gogc(); got != 10_000 {
		t.Errorf("GOGC with the floor = %d, want 10000", got)
	}
	stop()
	if got := gogc(); got != 100 {
		t.Errorf("GOGC after stop = %d, want 100", got)
	}
}
