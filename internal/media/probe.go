package media

import (
	"io"
	"strings"

	vitrine "github.com/vitrine/vitrine"
)

// prober reads the header of one format from s and returns its Info.
type prober func(s *source, lim Limits) (Info, error)

// Probe identifies the file in r, which holds size bytes, from its content
// and, for images, reads its dimensions and frame count from the header.
//
// ext is the lower-case extension of the uploaded file name. It is used only
// to choose among css, js, json and txt when the bytes are plain UTF-8 text
// with no stronger signature: binary content is never typed by name.
//
// Errors are *vitrine.Error: EINVALID for an empty file or a truncated or
// corrupt header, EUNSUPPORTED for a type outside the allow-list, ETOOLARGE
// for an image or animation above lim. A failing r yields its own error.
func Probe(r io.ReaderAt, size int64, ext string, lim Limits) (Info, error) {
	return ProbeWith(r, size, ext, lim, nil)
}

// ScratchSize is the scratch space ProbeWith can use: the head and the
// window of any probe.
const ScratchSize = headSize + windowSize

// ProbeWith is Probe reading into scratch when it holds at least
// ScratchSize bytes (a caller's copy buffer it is done with), instead of
// allocating up to 96 KB for every file; nothing in the Info refers to it.
func ProbeWith(r io.ReaderAt, size int64, ext string, lim Limits, scratch []byte) (Info, error) {
	if size <= 0 {
		return Info{}, errEmpty()
	}
	s, err := newSource(r, size, scratch)
	if err != nil {
		return Info{}, err
	}
	if s.size == 0 {
		return Info{}, errEmpty()
	}
	lim = lim.withDefaults()
	if p := sniff(s); p != nil {
		return p(s, lim)
	}
	return probeText(s, strings.ToLower(strings.TrimPrefix(ext, ".")))
}

func errEmpty() error { return vitrine.Errorf(vitrine.EINVALID, "file is empty") }

// fixed is the prober of formats whose signature says all Vitrine needs.
func fixed(info Info) prober {
	return func(*source, Limits) (Info, error) { return info, nil }
}

// refuse is the prober of recognised formats outside the allow-list.
func refuse(mime string) prober {
	return func(*source, Limits) (Info, error) { return Info{}, notAllowed(mime) }
}
