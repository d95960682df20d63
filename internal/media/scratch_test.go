package media

import (
	"bytes"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestProbeWithScratch: probing into a caller's scratch space answers what
// Probe answers for every allowed file, whatever the scratch held before,
// and reads a file's head without allocating it.
func TestProbeWithScratch(t *testing.T) {
	scratch := make([]byte, ScratchSize)
	for _, tc := range allowedCases(t) {
		for i := range scratch {
			scratch[i] = 0xA5 // left over from the caller's copy
		}
		want, werr := probeBytes(tc.data, tc.ext)
		got, err := ProbeWith(bytes.NewReader(tc.data), int64(len(tc.data)), tc.ext, DefaultLimits(), scratch)
		if (err == nil) != (werr == nil) {
			t.Fatalf("%s: ProbeWith error %v, Probe error %v", tc.name, err, werr)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: ProbeWith differs from Probe (-Probe +ProbeWith):\n%s", tc.name, diff)
		}
	}
	// A scratch space too small is not used.
	jpg := encodeJPEG(t, 16, 16)
	if _, err := ProbeWith(bytes.NewReader(jpg), int64(len(jpg)), "jpg", DefaultLimits(), make([]byte, 100)); err != nil {
		t.Fatal(err)
	}

	// A 1 MB file: its 64 KB head goes into the scratch space.
	big := append(encodeJPEG(t, 64, 64), make([]byte, 1<<20)...)
	alloc := func(scratch []byte) uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for range 20 {
			if _, err := ProbeWith(bytes.NewReader(big), int64(len(big)), "jpg", DefaultLimits(), scratch); err != nil {
				t.Fatal(err)
			}
		}
		runtime.ReadMemStats(&after)
		return (after.TotalAlloc - before.TotalAlloc) / 20
	}
	own, lent := alloc(nil), alloc(scratch)
	t.Logf("bytes allocated per probe: %d without scratch, %d with", own, lent)
	if lent > 8<<10 || own < headSize {
		t.Errorf("a probe allocated %d bytes with scratch space (want at most 8 KB) and %d without (the 64 KB head)", lent, own)
	}
}
