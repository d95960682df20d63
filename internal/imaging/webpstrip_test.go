package imaging

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// riff builds a WebP file from chunks.
func riff(chunks ...[]byte) []byte {
	body := []byte("WEBP")
	for _, c := range chunks {
		body = append(body, c...)
	}
	return append(binary.LittleEndian.AppendUint32([]byte("RIFF"), uint32(len(body))), body...)
}

func chunk(fourcc string, payload []byte) []byte {
	c := binary.LittleEndian.AppendUint32([]byte(fourcc), uint32(len(payload)))
	c = append(c, payload...)
	if len(payload)%2 == 1 {
		c = append(c, 0)
	}
	return c
}

func TestStripWebP(t *testing.T) {
	t.Parallel()
	vp8x := func(flags byte) []byte { return chunk("VP8X", []byte{flags, 0, 0, 0, 9, 0, 0, 9, 0, 0}) }
	image := chunk("VP8 ", []byte("pixels"))
	alpha := chunk("ALPH", []byte("a"))
	tests := []struct {
		name    string
		in      []byte
		want    []byte
		wantErr bool
	}{
		{"simple format untouched", riff(image), riff(image), false},
		{"exif and xmp removed", riff(vp8x(0x0C), image, chunk("EXIF", []byte("Exif\x00\x00gps")), chunk("XMP ", []byte("<x/>"))), riff(vp8x(0), image), false},
		{"icc removed, alpha kept", riff(vp8x(0x30), chunk("ICCP", []byte("icc")), alpha, image), riff(vp8x(0x10), alpha, image), false},
		{"nothing to remove", riff(vp8x(0x10), alpha, image), riff(vp8x(0x10), alpha, image), false},
		{"not webp", []byte("RIFF\x04\x00\x00\x00WAVE"), nil, true},
		{"truncated", riff(vp8x(0x08), image, chunk("EXIF", []byte("Exif")))[:50], nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := stripWebP(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("stripWebP error %v, want error %v", err, tt.wantErr)
			}
			if !bytes.Equal(got, tt.want) {
				t.Errorf("stripWebP = %q, want %q", got, tt.want)
			}
		})
	}
}
