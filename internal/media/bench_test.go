package media

import (
	"testing"

	vitrine "github.com/vitrine/vitrine"
)

// BenchmarkRefuse measures how fast hostile uploads are refused: a tiny PNG
// claiming 50000×50000 pixels and a GIF of 10,000 frames. `make bench`
// reports the time per refusal (the bound is 100 ms).
func BenchmarkRefuse(b *testing.B) {
	cases := map[string]struct {
		data []byte
		ext  string
	}{
		"png-flood-50000x50000": {pngHeader(50000, 50000, pngChunk("IDAT", nil)), "png"},
		"gif-10000-frames":      {gifBomb(10_000), "gif"},
	}
	for name, tc := range cases {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				_, err := Probe(bytesReader(tc.data), int64(len(tc.data)), tc.ext, DefaultLimits())
				if vitrine.ErrorCode(err) != vitrine.ETOOLARGE {
					b.Fatalf("Probe = %v, want too_large", err)
				}
			}
		})
	}
}
