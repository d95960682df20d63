package media

import (
	"bytes"
	"image"
	"testing"

	_ "golang.org/x/image/webp" // registers webp with image.DecodeConfig
)

// TestProbeMatchesDecodeConfig checks Probe's own header parsers against
// image.DecodeConfig (stdlib jpeg, png, gif; x/image webp, tiff) on the
// image fixtures those decoders understand.
func TestProbeMatchesDecodeConfig(t *testing.T) {
	t.Parallel()
	for _, tc := range allowedCases(t) {
		if tc.want.Type != "image" && tc.want.Format != "gif" {
			continue
		}
		switch tc.name {
		case "jpeg progressive", "bigtiff", "tiff big-endian":
			continue // headers only, or layouts the x/image decoders do not read
		}
		if tc.want.Format == "avif" {
			continue // no Go decoder
		}
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, format, err := image.DecodeConfig(bytes.NewReader(tc.data))
			if err != nil {
				t.Fatalf("image.DecodeConfig(%q) error = %v", tc.name, err)
			}
			info, err := probeBytes(tc.data, tc.ext)
			if err != nil {
				t.Fatalf("Probe(%q) error = %v", tc.name, err)
			}
			if info.Width != cfg.Width || info.Height != cfg.Height {
				t.Errorf("Probe(%q) = %d×%d, image.DecodeConfig (%s) = %d×%d", tc.name, info.Width, info.Height, format, cfg.Width, cfg.Height)
			}
		})
	}
}
