package media

import (
	"bytes"
	"encoding/binary"
	"math"
	"testing"

	vitrine "github.com/vitrine/vitrine"
)

// jpegClaiming is a JPEG header (SOI, then a baseline SOF) claiming w×h:
// a few bytes standing for a pixel flood.
func jpegClaiming(w, h uint16) []byte {
	sof := []byte{8, 0, 0, 0, 0, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1}
	binary.BigEndian.PutUint16(sof[1:], h)
	binary.BigEndian.PutUint16(sof[3:], w)
	return append([]byte{0xFF, 0xD8}, jpegSegment(0xC0, sof)...)
}

func TestProbeLimits(t *testing.T) {
	t.Parallel()
	idat := pngChunk("IDAT", nil)
	tests := []struct {
		name string
		data []byte
		lim  Limits
		code string // "" for success
		msg  string // exact message when set
	}{
		{"png 50000×50000", pngHeader(50000, 50000, idat), DefaultLimits(), vitrine.ETOOLARGE,
			"image is 50000×50000 (2500 megapixels); the limit is 100 megapixels"},
		{"png 16384 wide", encodePNG(t, gray(16384, 1)), DefaultLimits(), vitrine.ETOOLARGE,
			"image is 16384×1; the limit is 16383 pixels a side"},
		{"png 16383 wide", encodePNG(t, gray(16383, 1)), DefaultLimits(), "", ""},
		{"jpeg just over 100 MP", jpegClaiming(10001, 10000), DefaultLimits(), vitrine.ETOOLARGE,
			"image is 10001×10000 (100.1 megapixels); the limit is 100 megapixels"},
		{"jpeg exactly 100 MP", jpegClaiming(10000, 10000), DefaultLimits(), "", ""},
		{"jpeg 65535 high", jpegClaiming(1, 65535), DefaultLimits(), vitrine.ETOOLARGE,
			"image is 1×65535; the limit is 16383 pixels a side"},
		{"gif 10000 frames", gifBomb(10_000), DefaultLimits(), vitrine.ETOOLARGE,
			"animation has more than 1000 frames; the limit is 1000"},
		{"gif 1000 frames", gifBomb(1000), DefaultLimits(), "", ""},
		{"gif frame larger than screen", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00,\x00\x00\x00\x00\xFF\xFF\xFF\xFF\x00\x02\x00;"),
			DefaultLimits(), vitrine.ETOOLARGE, "image is 65535×65535 (4294.9 megapixels); the limit is 100 megapixels"},
		{"apng 1001 frames", withAfterIHDR(encodePNG(t, gray(2, 2)), actl(1001)), DefaultLimits(), vitrine.ETOOLARGE,
			"animation has 1001 frames; the limit is 1000"},
		{"apng 1000 frames", withAfterIHDR(encodePNG(t, gray(2, 2)), actl(1000)), DefaultLimits(), "", ""},
		{"webp 1001 frames", webpAnimated(2, 2, 1001), DefaultLimits(), vitrine.ETOOLARGE,
			"animation has more than 1000 frames; the limit is 1000"},
		{"webp frame larger than canvas", riff("WEBP", vp8x(0x02, 100, 100),
			riffChunk("ANMF", append(append(make([]byte, 6), le24b(19999)...), append(le24b(19999), 0, 0, 0, 0)...))),
			DefaultLimits(), vitrine.ETOOLARGE, "image is 20000×20000 (400 megapixels); the limit is 100 megapixels"},
		{"webp canvas 20000²", riff("WEBP", vp8x(0, 20000, 20000)), DefaultLimits(), vitrine.ETOOLARGE, ""},
		{"webp 16383 lossless", riff("WEBP", vp8lChunk(16383, 2)), DefaultLimits(), "", ""},
		{"tiff 2⁴⁰ a side", bigTIFF(1<<40, 1<<40), DefaultLimits(), vitrine.ETOOLARGE, ""},
		{"tiff 70000 wide", tiffBE(70000, 1), DefaultLimits(), vitrine.ETOOLARGE, ""},
		{"avif 70000²", avif(1, [][]byte{ispe(70000, 70000)}, map[uint16][]byte{1: {1}}), DefaultLimits(), vitrine.ETOOLARGE, ""},
		{"avif huge secondary", avif(1, [][]byte{ispe(64, 64), ispe(40000, 40000)}, map[uint16][]byte{1: {1}, 2: {2}}), DefaultLimits(), vitrine.ETOOLARGE, ""},
		{"custom pixels", encodePNG(t, gray(40, 30)), Limits{MaxPixels: 1000}, vitrine.ETOOLARGE,
			"image is 40×30 (0.0012 megapixels); the limit is 0.001 megapixels"},
		{"custom side", encodePNG(t, gray(40, 30)), Limits{MaxSide: 39}, vitrine.ETOOLARGE,
			"image is 40×30; the limit is 39 pixels a side"},
		{"custom frames", encodeGIF(t, 2, 2, 3), Limits{MaxFrames: 2}, vitrine.ETOOLARGE,
			"animation has more than 2 frames; the limit is 2"},
		{"zero limits are the defaults", pngHeader(50000, 50000, idat), Limits{}, vitrine.ETOOLARGE, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			info, err := Probe(bytes.NewReader(tc.data), int64(len(tc.data)), "", tc.lim)
			if code := vitrine.ErrorCode(err); code != tc.code {
				t.Fatalf("Probe(%q) = %+v, %v; want code %q", tc.name, info, err, tc.code)
			}
			if tc.msg != "" && vitrine.ErrorMessage(err) != tc.msg {
				t.Errorf("Probe(%q) message = %q, want %q", tc.name, vitrine.ErrorMessage(err), tc.msg)
			}
		})
	}
}

func TestMegapixels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		px       uint64
		up, down string
	}{
		{100_000_000, "100", "100"},
		{100_000_001, "100.1", "100"},
		{2_500_000_000, "2500", "2500"},
		{1200, "0.0012", "0.0012"},
		{4_294_836_225, "4294.9", "4294.8"},
	}
	for _, tc := range tests {
		up, down := megapixels(tc.px, math.Ceil), megapixels(tc.px, math.Floor)
		if up != tc.up || down != tc.down {
			t.Errorf("megapixels(%d) = %q, %q; want %q, %q", tc.px, up, down, tc.up, tc.down)
		}
	}
}
