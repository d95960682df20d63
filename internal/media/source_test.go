package media

import (
	"bytes"
	"errors"
	"io"
	"testing"

	vitrine "github.com/vitrine/vitrine"
)

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

// sparseFile is a ReaderAt of any size whose content is data followed by
// zeros, counting the bytes read: a multi-gigabyte upload in a few bytes.
type sparseFile struct {
	data []byte
	size int64
	read int64
}

func (f *sparseFile) ReadAt(p []byte, off int64) (int, error) {
	if off >= f.size {
		return 0, io.EOF
	}
	n := min(int64(len(p)), f.size-off)
	for i := range p[:n] {
		p[i] = 0
	}
	if off < int64(len(f.data)) {
		copy(p[:n], f.data[off:])
	}
	f.read += n
	if n < int64(len(p)) {
		return int(n), io.EOF
	}
	return int(n), nil
}

// TestProbeReadsBounded checks Probe reads a bounded part of huge files:
// the head, and for walks a few windows, never the whole file.
func TestProbeReadsBounded(t *testing.T) {
	t.Parallel()
	jpg := encodeJPEG(t, 8, 8)
	tests := []struct {
		name    string
		data    []byte
		want    string // format
		maxRead int64
	}{
		{"mp4 of 8 GB", append(ftyp("isom", "isom"), isoBox("mdat")...), "mp4", headSize},
		{"zip of 8 GB", encodeZip(t, map[string]string{"a": "b"}), "zip", headSize},
		// An 8 GB JPEG whose frame header sits behind 300 KB of APP
		// segments: one window read per segment beyond the head.
		{"jpeg behind APP segments", withSegments(jpg,
			bigAPP(0xE1, "Exif", 60000), bigAPP(0xE1, "Exif", 60000), bigAPP(0xE1, "Exif", 60000),
			bigAPP(0xE1, "Exif", 60000), bigAPP(0xE1, "Exif", 60000)), "jpeg", headSize + 5*windowSize},
		{"avif with mdat first", append(append(ftyp("avif", "mif1"), isoBox("mdat", make([]byte, 200_000))...),
			avif(1, [][]byte{ispe(10, 10)}, map[uint16][]byte{1: {1}})[len(ftyp("avif", "avif", "mif1", "miaf")):]...), "avif", headSize + 2*windowSize},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := &sparseFile{data: tc.data, size: 8 << 30}
			info, err := Probe(f, f.size, "", DefaultLimits())
			if err != nil || info.Format != tc.want {
				t.Fatalf("Probe(%q) = %+v, %v; want format %s", tc.name, info, err, tc.want)
			}
			if f.read > tc.maxRead {
				t.Errorf("Probe(%q) read %d bytes, want at most %d", tc.name, f.read, tc.maxRead)
			}
		})
	}
}

// failingReader fails every read, like a broken disk or network.
type failingReader struct{ err error }

func (r failingReader) ReadAt([]byte, int64) (int, error) { return 0, r.err }

// TestProbeReadError checks a failing reader is reported as itself, an
// internal error, not blamed on the user's file.
func TestProbeReadError(t *testing.T) {
	t.Parallel()
	broken := errors.New("disk on fire")
	_, err := Probe(failingReader{broken}, 100, "jpg", DefaultLimits())
	if !errors.Is(err, broken) || vitrine.ErrorCode(err) != vitrine.EINTERNAL {
		t.Errorf("Probe(failing reader) error = %v, want %v (code %s)", err, broken, vitrine.EINTERNAL)
	}
}

// TestProbeShortReader checks a reader shorter than the size it was given:
// the bytes count, so a cut header is a truncated header.
func TestProbeShortReader(t *testing.T) {
	t.Parallel()
	png := encodePNG(t, gray(4, 4))
	tests := []struct {
		name string
		data []byte
		size int64
		code string
	}{
		{"cut png", png[:20], 1000, vitrine.EINVALID},
		{"nothing", nil, 1000, vitrine.EINVALID},
		{"negative size", png, -1, vitrine.EINVALID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			info, err := Probe(bytes.NewReader(tc.data), tc.size, "png", DefaultLimits())
			if code := vitrine.ErrorCode(err); code != tc.code {
				t.Errorf("Probe(%q) = %+v, %v; want code %s", tc.name, info, err, tc.code)
			}
		})
	}
}
