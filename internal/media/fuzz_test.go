package media

import (
	"bytes"
	"errors"
	"testing"

	vitrine "github.com/vitrine/vitrine"
)

// FuzzProbe checks Probe never panics, never succeeds without a type, keeps
// images within the limits, and fails only with *vitrine.Error on an
// in-memory reader (which cannot fail).
func FuzzProbe(f *testing.F) {
	for _, tc := range allowedCases(f) {
		if len(tc.data) < 16<<10 { // big seeds make mutation and minimizing crawl
			f.Add(tc.data, tc.ext)
		}
	}
	f.Add(gifBomb(3), "gif")
	f.Add(webpAnimated(4, 4, 2), "webp")
	f.Add([]byte("<!DOCTYPE html><html>"), "txt")
	f.Add(pngHeader(50000, 50000, pngChunk("IDAT", nil)), "png")

	lim := Limits{MaxPixels: 1 << 20, MaxSide: 4096, MaxFrames: 50}
	f.Fuzz(func(t *testing.T, data []byte, ext string) {
		info, err := Probe(bytes.NewReader(data), int64(len(data)), ext, lim)
		if err != nil {
			var verr *vitrine.Error
			if !errors.As(err, &verr) {
				t.Fatalf("Probe error %v is not a *vitrine.Error", err)
			}
			if info != (Info{}) {
				t.Fatalf("Probe = %+v with error %v, want zero Info", info, err)
			}
			return
		}
		if info.Type == "" || info.Format == "" || info.MIME == "" || info.Ext == "" {
			t.Fatalf("Probe = %+v, nil; want a type, format, MIME and extension", info)
		}
		if info.Type == vitrine.TypeImage {
			if info.Width < 1 || info.Height < 1 || info.Frames < 1 {
				t.Fatalf("Probe = %+v, nil; want an image of at least 1×1 with a frame", info)
			}
			if int64(info.Width)*int64(info.Height) > lim.MaxPixels || info.Width > lim.MaxSide || info.Height > lim.MaxSide || info.Frames > lim.MaxFrames {
				t.Fatalf("Probe = %+v, nil; above limits %+v", info, lim)
			}
		}
	})
}
