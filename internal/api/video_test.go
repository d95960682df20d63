package api_test

import (
	"bytes"
	"encoding/binary"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/vitrine/vitrine/internal/testenv"
)

// mp4 encodes a two-second test video with ffmpeg: black, then colour bars.
func mp4(t *testing.T) []byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "clip.mp4")
	cmd := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "color=black:s=64x48:d=1:r=10",
		"-f", "lavfi", "-i", "testsrc=s=64x48:d=1:r=10", "-filter_complex", "[0][1]concat=n=2:v=1", "-c:v", "mpeg4", "-f", "mp4", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v: %s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestVideoUploadPoster(t *testing.T) {
	t.Parallel()
	e, ok := newMediaEnv(t)
	if !ok {
		testenv.Missing(t, "ffmpeg is not installed (make test installs it)")
	}
	clip := mp4(t)
	code, out := e.upload(t, true, map[string][]byte{"clip.mp4": clip})
	if code != 201 {
		t.Fatalf("upload = %d %v", code, out)
	}
	code, out = e.do(t, "GET", "/api/v1/companies/acme/assets/clip", "", nil)
	d, _ := out["derived"].([]any)
	if code != 200 || len(d) != 1 || d[0].(map[string]any)["name"] != "clip-poster" {
		t.Fatalf("video detail = %d %v", code, out)
	}
	r, body := e.public(t, "/is/image/acme/clip-poster?wid=32")
	if r.StatusCode != 200 || r.Header.Get("Content-Type") != "image/jpeg" || len(body) == 0 {
		t.Errorf("poster = %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	r, body = e.public(t, "/is/content/acme/clip", "Range", "bytes=0-99")
	if r.StatusCode != 206 || !bytes.Equal(body, clip[:100]) || r.Header.Get("Content-Type") != "video/mp4" {
		t.Errorf("video range = %d %s, %d bytes", r.StatusCode, r.Header.Get("Content-Type"), len(body))
	}
	// Deleting the video deletes its poster.
	e.do(t, "DELETE", "/api/v1/companies/acme/assets/clip", "", nil)
	if r, _ := e.public(t, "/is/image/acme/clip-poster"); r.StatusCode != 403 {
		t.Errorf("poster after the video's deletion = %d, want 403", r.StatusCode)
	}
}

// box returns an ISO-BMFF box; flagged makes it a full box with flags.
func box(typ string, payload ...[]byte) []byte {
	body := bytes.Join(payload, nil)
	b := make([]byte, 8, 8+len(body))
	binary.BigEndian.PutUint32(b, uint32(8+len(body)))
	copy(b[4:], typ)
	return append(b, body...)
}

// referenceMovie is a QuickTime movie whose track's data is at url.
func referenceMovie(url string) []byte {
	entry := box("url ", []byte{0, 0, 0, 0}, []byte(url+"\x00")) // flags 0: not in this file
	dref := box("dref", []byte{0, 0, 0, 0, 0, 0, 0, 1}, entry)
	moov := box("moov", box("trak", box("mdia", box("minf", box("dinf", dref)))))
	return bytes.Join([][]byte{box("ftyp", []byte("qt  \x00\x00\x02\x00qt  ")), moov, box("mdat", []byte("x"))}, nil)
}

// TestVideoExternalReferenceRefused uploads videos and playlists that point
// at a local listener: each is refused, nothing is stored, and nothing
// ever connects.
func TestVideoExternalReferenceRefused(t *testing.T) {
	t.Parallel()
	e, _ := newMediaEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var conns atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			c.Close()
		}
	}()
	url := "http://" + ln.Addr().String() + "/clip.mp4"
	for name, data := range map[string][]byte{
		"ref.mov":      referenceMovie(url),
		"ref.mp4":      referenceMovie("file:///etc/passwd"),
		"list.m3u8":    []byte("#EXTM3U\n#EXTINF:10,\n" + url + "\n#EXT-X-ENDLIST\n"),
		"playlist.mp4": []byte("#EXTM3U\n#EXTINF:10,\n" + url + "\n#EXT-X-ENDLIST\n"),
		"concat.mkv":   []byte("ffconcat version 1.0\nfile '" + url + "'\n"),
	} {
		code, out := e.upload(t, true, map[string][]byte{name: data})
		if code != 415 {
			t.Errorf("upload %s = %d %v, want 415", name, code, out)
		}
	}
	if a, v, b := e.rows(t); a+v+b != 0 {
		t.Errorf("after refused uploads: %d assets, %d versions, %d blobs; want none", a, v, b)
	}
	if n := conns.Load(); n != 0 {
		t.Errorf("%d connection(s) to the listener", n)
	}
}

// TestVideoWithoutPosterWarns: a video ffmpeg cannot decode is kept, and
// its answer carries a warning saying it has no poster.
func TestVideoWithoutPosterWarns(t *testing.T) {
	t.Parallel()
	e, ok := newMediaEnv(t)
	if !ok {
		testenv.Missing(t, "ffmpeg is not installed (make test installs it)")
	}
	clip := mp4(t)
	// The boxes stay readable, the frames are garbage.
	broken := append([]byte(nil), clip...)
	for i := len(broken) / 2; i < len(broken); i++ {
		broken[i] = 0
	}
	code, out := e.upload(t, true, map[string][]byte{"broken.mp4": broken})
	assets, _ := out["assets"].([]any)
	if code != 201 || len(assets) != 1 {
		t.Fatalf("upload = %d %v", code, out)
	}
	if w, _ := assets[0].(map[string]any)["warning"].(string); !strings.Contains(w, "no poster thumbnail") {
		t.Errorf("upload of an undecodable video = %v, want a warning about its poster", out)
	}
}
