package vitrine

import "testing"

func TestWantsPyramid(t *testing.T) {
	tests := []struct {
		format string
		w, h   int
		want   bool
	}{
		{"png", 2000, 1500, true},
		{"webp", 2400, 1600, true},
		{"tiff", 4000, 3000, true},
		{"avif", 2000, 1001, true},
		{"png", 1200, 800, false},  // the ingest benchmark's files
		{"png", 2000, 1000, false}, // exactly the threshold
		{"jpeg", 2400, 1600, true},
		{"jpeg", 1200, 800, false}, // the ingest benchmark's files
		{"gif", 3000, 3000, false},
		{"svg", 3000, 3000, false},
		{"png", 100000, 100000, true}, // no int overflow
	}
	for _, tc := range tests {
		if got := WantsPyramid(tc.format, tc.w, tc.h); got != tc.want {
			t.Errorf("WantsPyramid(%q, %d, %d) = %v, want %v", tc.format, tc.w, tc.h, got, tc.want)
		}
	}
}
