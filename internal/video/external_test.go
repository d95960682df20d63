package video

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/vitrine/vitrine"
)

// sentinel is a local listener and a local file that count every
// connection and every open: a video that refers outside itself must
// cause neither.
type sentinel struct {
	url   string // http://127.0.0.1:port/…
	file  string // a readable file, watched with inotify
	conns atomic.Int32
	watch int
}

func newSentinel(t *testing.T) *sentinel {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &sentinel{url: "http://" + ln.Addr().String() + "/evil.mp4"}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.conns.Add(1)
			c.Close()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	s.file = filepath.Join(t.TempDir(), "secret.mp4")
	if err := os.WriteFile(s.file, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	if s.watch, err = syscall.InotifyInit1(syscall.IN_NONBLOCK | syscall.IN_CLOEXEC); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(s.watch) })
	if _, err := syscall.InotifyAddWatch(s.watch, s.file, syscall.IN_OPEN|syscall.IN_ACCESS); err != nil {
		t.Fatal(err)
	}
	return s
}

// check fails the test if anything connected to the listener or opened
// the file.
func (s *sentinel) check(t *testing.T) {
	t.Helper()
	if n := s.conns.Load(); n != 0 {
		t.Errorf("%d connection(s) made to the listener", n)
	}
	buf := make([]byte, 4096)
	if n, err := syscall.Read(s.watch, buf); !errors.Is(err, syscall.EAGAIN) {
		t.Errorf("the watched file was opened or read (inotify read %d bytes, err %v)", n, err)
	}
}

func TestExternalReferencesNeverFollowed(t *testing.T) {
	t.Parallel()
	p := newPoster(t)
	s := newSentinel(t)
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	mov := write("ref.mov", movie(dref(
		fullBox("url ", 0, []byte(s.url+"\x00")),
		fullBox("url ", 0, []byte("file://"+s.file+"\x00")),
		fullBox("alis", 0, []byte(s.file)),
	)))
	playlists := map[string]string{
		"hls.mp4":    "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n" + s.url + "\n#EXTINF:10,\n" + s.file + "\n#EXT-X-ENDLIST\n",
		"concat.mkv": "ffconcat version 1.0\nfile '" + s.url + "'\nfile '" + s.file + "'\n",
	}

	// Extract refuses the reference movie before ffmpeg runs.
	if _, err := p.Extract(context.Background(), mov, "mov"); vitrine.ErrorCode(err) != vitrine.EUNSUPPORTED {
		t.Errorf("reference movie: err = %v, want unsupported", err)
	}
	// And ffmpeg itself, as Vitrine runs it, follows none of them: the
	// check is not the only guard.
	if _, err := p.run(context.Background(), mov, "mov", ""); err == nil {
		t.Error("ffmpeg made a poster of a movie with no media of its own")
	}
	for name, text := range playlists {
		path := write(name, []byte(text))
		for _, demuxer := range []string{"mov", "matroska"} {
			if out, err := p.run(context.Background(), path, demuxer, ""); err == nil && len(out) > 0 {
				t.Errorf("%s read as %s gave a poster", name, demuxer)
			}
		}
	}
	s.check(t)

	// The sentinel itself works: an open and a connection are seen.
	if b, err := os.ReadFile(s.file); err != nil || len(b) == 0 {
		t.Fatal(err)
	}
	buf := make([]byte, 4096)
	if _, err := syscall.Read(s.watch, buf); err != nil {
		t.Errorf("inotify missed an open: %v", err)
	}
}
