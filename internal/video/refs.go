// Package video makes poster thumbnails of uploaded videos with ffmpeg,
// and refuses videos that refer to data outside themselves.
//
// ffmpeg is a large decoder surface, so it runs as a separate process with
// a forced demuxer (never a probe that could pick HLS or concat), a
// protocol allow-list of local files only, no stdin, no environment, and
// time, CPU, address-space and file-size limits (prlimit). Before it runs,
// CheckReferences refuses QuickTime/MP4 files whose data references point
// anywhere but the file itself, so nothing is read or fetched on a file's
// say-so even if a demuxer option changed.
package video

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/vitrine/vitrine"
)

// maxBoxes bounds the boxes CheckReferences walks.
const maxBoxes = 100_000

// containers are the ISO-BMFF/QuickTime boxes on the path from the file to
// a track's data references: movie, track, media, media information, data
// information. Others (user data, metadata, fragments) hold no reference
// ffmpeg follows and are skipped unread, so their odd layouts in real
// files never cause a refusal.
var containers = map[string]bool{"moov": true, "trak": true, "mdia": true, "minf": true, "dinf": true}

// refused are boxes Vitrine does not serve at all: QuickTime reference
// movies (rmra/rmda/rdrf point at other movies by URL or alias) and a
// compressed movie header (cmov), whose data references cannot be checked
// without inflating it.
var refused = map[string]string{
	"rmra": "a QuickTime reference movie",
	"rmda": "a QuickTime reference movie",
	"rdrf": "a QuickTime reference movie",
	"cmov": "a compressed movie header",
}

// CheckReferences refuses a video that refers to data outside itself: an
// MP4 or QuickTime data reference ('url ', 'urn ', 'alis', 'rsrc', …) that
// is not flagged self-contained, a reference movie, or a compressed movie
// header. format is the media package's format name; Matroska and WebM
// have no external references that ffmpeg follows and pass. The file is
// only read through r, never opened by name, and nothing is fetched.
func CheckReferences(r io.ReaderAt, size int64, format string) error {
	switch format {
	case "mp4", "mov":
	case "webm", "mkv":
		return nil
	default:
		return vitrine.Errorf(vitrine.EUNSUPPORTED, "video format %q is not MP4, MOV, WebM or MKV", format)
	}
	w := &walker{r: r}
	return w.walk(0, size, 0)
}

type walker struct {
	r     io.ReaderAt
	boxes int
}

func (w *walker) walk(off, end int64, depth int) error {
	if depth > 16 {
		return corrupt("boxes nested deeper than 16")
	}
	for off+8 <= end {
		if w.boxes++; w.boxes > maxBoxes {
			return corrupt("more than %d boxes", maxBoxes)
		}
		typ, body, next, err := w.box(off, end)
		if err != nil {
			return err
		}
		if what, ok := refused[typ]; ok {
			return external("the file is %s", what)
		}
		switch {
		case typ == "dref":
			if err := w.dref(body, next); err != nil {
				return err
			}
		case containers[typ]:
			if err := w.walk(body, next, depth+1); err != nil {
				return err
			}
		}
		off = next
	}
	return nil
}

// box reads the header at off: the type, where the body starts and where
// the next box starts.
func (w *walker) box(off, end int64) (typ string, body, next int64, err error) {
	var h [16]byte
	if _, err := w.r.ReadAt(h[:8], off); err != nil {
		return "", 0, 0, truncated(err)
	}
	size := int64(binary.BigEndian.Uint32(h[:4]))
	typ, body = string(h[4:8]), off+8
	switch size {
	case 0:
		size = end - off
	case 1:
		if _, err := w.r.ReadAt(h[8:16], off+8); err != nil {
			return "", 0, 0, truncated(err)
		}
		large := binary.BigEndian.Uint64(h[8:16])
		if large > uint64(end-off) {
			return "", 0, 0, corrupt("box %q at %d overruns its parent", typ, off)
		}
		size, body = int64(large), off+16
	}
	if size < body-off || off+size > end {
		return "", 0, 0, corrupt("box %q at %d overruns its parent", typ, off)
	}
	return typ, body, off + size, nil
}

// dref checks a data reference box: a full box with an entry count, then
// entries that are full boxes themselves. Flag 1 means "the data is in this
// file"; any entry without it names data elsewhere.
func (w *walker) dref(off, end int64) error {
	var h [8]byte
	if _, err := w.r.ReadAt(h[:], off); err != nil {
		return truncated(err)
	}
	n := binary.BigEndian.Uint32(h[4:8])
	off += 8
	for i := uint32(0); i < n && off < end; i++ {
		if w.boxes++; w.boxes > maxBoxes {
			return corrupt("more than %d boxes", maxBoxes)
		}
		typ, body, next, err := w.box(off, end)
		if err != nil {
			return err
		}
		var vf [4]byte
		if body+4 > next {
			return corrupt("data reference %q without flags", typ)
		}
		if _, err := w.r.ReadAt(vf[:], body); err != nil {
			return truncated(err)
		}
		if flags := uint32(vf[1])<<16 | uint32(vf[2])<<8 | uint32(vf[3]); flags&1 == 0 {
			return external("a data reference (%q) points outside the file", typ)
		}
		off = next
	}
	return nil
}

func external(format string, args ...any) error {
	return vitrine.Errorf(vitrine.EUNSUPPORTED, "video refers to data outside itself (%s); upload a self-contained file", fmt.Sprintf(format, args...))
}

func corrupt(format string, args ...any) error {
	return vitrine.Errorf(vitrine.EINVALID, "video is corrupt: %s", fmt.Sprintf(format, args...))
}

func truncated(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return vitrine.Errorf(vitrine.EINVALID, "video is truncated")
	}
	return fmt.Errorf("read video: %w", err)
}
