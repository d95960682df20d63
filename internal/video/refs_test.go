package video

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/vitrine/vitrine"
)

// box returns an ISO-BMFF box of type typ around the payloads.
func box(typ string, payload ...[]byte) []byte {
	body := bytes.Join(payload, nil)
	b := make([]byte, 8, 8+len(body))
	binary.BigEndian.PutUint32(b, uint32(8+len(body)))
	copy(b[4:], typ)
	return append(b, body...)
}

// fullBox is a box with version 0 and the given flags before its payload.
func fullBox(typ string, flags uint32, payload ...[]byte) []byte {
	vf := make([]byte, 4)
	binary.BigEndian.PutUint32(vf, flags&0xFFFFFF)
	return box(typ, append([][]byte{vf}, payload...)...)
}

// dref is a data reference box holding entries.
func dref(entries ...[]byte) []byte {
	n := make([]byte, 4)
	binary.BigEndian.PutUint32(n, uint32(len(entries)))
	return fullBox("dref", 0, append([][]byte{n}, entries...)...)
}

// movie is a QuickTime file whose one track has the given dref.
func movie(d []byte, extra ...[]byte) []byte {
	ftyp := box("ftyp", []byte("qt  \x00\x00\x02\x00qt  "))
	trak := box("trak", box("mdia", box("minf", box("dinf", d))))
	return bytes.Join([][]byte{ftyp, box("moov", append([][]byte{trak}, extra...)...), box("mdat", []byte("data"))}, nil)
}

func TestCheckReferences(t *testing.T) {
	t.Parallel()
	self := fullBox("url ", 1)
	tests := []struct {
		name   string
		file   []byte
		format string
		want   string // error code, "" for none
	}{
		{"self-contained", movie(dref(self)), "mov", ""},
		{"mp4 self-contained", movie(dref(self, self)), "mp4", ""},
		{"url to a server", movie(dref(fullBox("url ", 0, []byte("http://127.0.0.1:1/x.mov\x00")))), "mov", vitrine.EUNSUPPORTED},
		{"url after a good one", movie(dref(self, fullBox("url ", 0, []byte("file:///etc/passwd\x00")))), "mp4", vitrine.EUNSUPPORTED},
		{"alias", movie(dref(fullBox("alis", 0, []byte("Macintosh HD:secret.mov")))), "mov", vitrine.EUNSUPPORTED},
		{"urn", movie(dref(fullBox("urn ", 0, []byte("urn:x\x00")))), "mov", vitrine.EUNSUPPORTED},
		{"reference movie", movie(dref(self), box("rmra", box("rmda", box("rdrf", []byte("url http://x"))))), "mov", vitrine.EUNSUPPORTED},
		{"compressed header", movie(dref(self), box("cmov", []byte("zlib"))), "mov", vitrine.EUNSUPPORTED},
		{"truncated", movie(dref(self))[:40], "mov", vitrine.EINVALID},
		{"overrun", box("moov", []byte("\x00\x00\x00\x64trak")), "mp4", vitrine.EINVALID},
		{"odd bytes at the end", append(box("moov", box("trak", []byte("abc"))), 0), "mp4", ""},
		{"webm", []byte("\x1a\x45\xdf\xa3"), "webm", ""},
		{"not a video", []byte("#EXTM3U\n"), "m3u8", vitrine.EUNSUPPORTED},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := CheckReferences(bytes.NewReader(tt.file), int64(len(tt.file)), tt.format)
			if got := vitrine.ErrorCode(err); got != tt.want {
				t.Errorf("CheckReferences(%s) = %v, want code %q", tt.name, err, tt.want)
			}
		})
	}
}
