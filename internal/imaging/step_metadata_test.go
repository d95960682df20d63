package imaging

import (
	"strings"
	"testing"
)

func TestStripAll(t *testing.T) {
	t.Parallel()
	needVips(t)
	tests := []struct {
		name string
		src  []byte
	}{
		{"exif gps xmp", withMetadata(encodeJPEG(t, quadrants(16, 16), 90), 1)},
		{"icc profile", cmykJPEG(t, quadrants(16, 16), true)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			img, err := openSource(tt.src, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer img.Close()
			if !hasMetadata(img.GetFields()) {
				t.Fatalf("source fields %v: no metadata to strip", img.GetFields())
			}
			if err := stripAll(&state{img: img}); err != nil {
				t.Fatal(err)
			}
			if fields := img.GetFields(); hasMetadata(fields) {
				t.Errorf("after stripAll, fields %v", fields)
			}
		})
	}
}

// hasMetadata reports whether libvips fields include EXIF, XMP, IPTC or ICC.
func hasMetadata(fields []string) bool {
	for _, f := range fields {
		if strings.HasPrefix(f, "exif-") || f == "xmp-data" || f == "iptc-data" || f == "icc-profile-data" {
			return true
		}
	}
	return false
}
