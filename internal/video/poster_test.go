package video

import (
	"bytes"
	"context"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/testenv"
)

// newPoster returns a Poster, skipping the test without ffmpeg, or
// failing it under `make test` (VITRINE_TEST_STRICT), which installs it.
func newPoster(t *testing.T) *Poster {
	t.Helper()
	p, err := New(Config{})
	if err != nil {
		testenv.Missing(t, "%v", err)
	}
	return p
}

// makeVideo encodes a test video with ffmpeg: a second of blank (black or
// white) frames, then a second of colour bars, unless bars is false.
func makeVideo(t *testing.T, dir, name, muxer, codec, blank string, bars bool) string {
	t.Helper()
	out := filepath.Join(dir, name)
	args := []string{"-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "color=" + blank + ":s=64x48:d=1:r=10"}
	if bars {
		args = append(args, "-f", "lavfi", "-i", "testsrc=s=64x48:d=1:r=10", "-filter_complex", "[0][1]concat=n=2:v=1")
	}
	args = append(args, "-c:v", codec, "-f", muxer, out)
	if b, err := exec.Command("ffmpeg", args...).CombinedOutput(); err != nil {
		t.Fatalf("make %s: %v: %s", name, err, b)
	}
	return out
}

// meanLuma decodes a JPEG and returns its mean luma, 0..255.
func meanLuma(t *testing.T, b []byte) float64 {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("poster is not a JPEG: %v", err)
	}
	var sum, n float64
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			sum += (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(b)) / 257
			n++
		}
	}
	return sum / n
}

func TestExtractSkipsBlankFrames(t *testing.T) {
	t.Parallel()
	p := newPoster(t)
	dir := t.TempDir()
	tests := []struct {
		file, format, muxer, codec, blank string
	}{
		{"black.mp4", "mp4", "mp4", "mpeg4", "black"},
		{"white.mov", "mov", "mov", "mpeg4", "white"},
		{"black.webm", "webm", "webm", "libvpx", "black"},
		{"white.mkv", "mkv", "matroska", "mpeg4", "white"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			path := makeVideo(t, dir, tt.file, tt.muxer, tt.codec, tt.blank, true)
			jpg, err := p.Extract(context.Background(), path, tt.format)
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			// Colour bars average well away from both black and white.
			if l := meanLuma(t, jpg); l < 60 || l > 200 {
				t.Errorf("poster mean luma %.0f: a blank frame was chosen", l)
			}
		})
	}
}

func TestExtractAllBlank(t *testing.T) {
	t.Parallel()
	p := newPoster(t)
	path := makeVideo(t, t.TempDir(), "night.mp4", "mp4", "mpeg4", "black", false)
	jpg, err := p.Extract(context.Background(), path, "mp4")
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	if l := meanLuma(t, jpg); l > 30 {
		t.Errorf("all-black video: poster luma %.0f, want the (black) first frame", l)
	}
}

func TestExtractErrors(t *testing.T) {
	t.Parallel()
	p := newPoster(t)
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.mp4")
	os.WriteFile(junk, append(box("ftyp", []byte("isom\x00\x00\x00\x00isom")), box("mdat", []byte("not video"))...), 0o600)
	if _, err := p.Extract(context.Background(), junk, "mp4"); vitrine.ErrorCode(err) != vitrine.EINVALID {
		t.Errorf("undecodable: err = %v, want invalid", err)
	}
	if _, err := p.Extract(context.Background(), junk, "avi"); vitrine.ErrorCode(err) != vitrine.EUNSUPPORTED {
		t.Errorf("avi: err = %v, want unsupported", err)
	}
	// The time limit holds.
	slow := &Poster{cfg: p.cfg}
	slow.cfg.Timeout = 1 // ns: expired before ffmpeg starts
	path := makeVideo(t, dir, "a.mp4", "mp4", "mpeg4", "black", true)
	if _, err := slow.Extract(context.Background(), path, "mp4"); vitrine.ErrorCode(err) != vitrine.EUNAVAILABLE {
		t.Errorf("timeout: err = %v, want unavailable", err)
	}
	// So does the memory limit: 16 MiB of address space cannot start ffmpeg.
	small := &Poster{cfg: p.cfg}
	small.cfg.MemoryBytes = 16 << 20
	if _, err := small.Extract(context.Background(), path, "mp4"); err == nil {
		t.Error("ffmpeg ran in 16 MiB of address space: the limit is not applied")
	}
}
