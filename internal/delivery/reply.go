package delivery

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/vitrine/vitrine"
)

// writeBody answers a GET or HEAD with bytes held in memory. The common
// request, without a range or a precondition, is written in one call:
// http.ServeContent would wrap the body in a reader and copy it through
// a 32 KB buffer on every hit. Ranges and preconditions (206, 304, 412)
// go through http.ServeContent, which knows their rules.
func writeBody(w http.ResponseWriter, r *http.Request, modtime time.Time, body []byte) {
	if conditional(r) {
		http.ServeContent(w, r, "", modtime, bytes.NewReader(body))
		return
	}
	hs := newHeaderSet(w.Header(), 3)
	if !isZeroTime(modtime) {
		hs.set("Last-Modified", modtime.UTC().Format(http.TimeFormat))
	}
	hs.set("Accept-Ranges", "bytes")
	hs.set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// writeHit is writeBody for a rendition: Last-Modified comes formatted
// (lastMod, shared read-only, nil without a time) and the other headers
// go into hs, which the caller has sized for two more.
func writeHit(w http.ResponseWriter, r *http.Request, hs *headerSet, modtime time.Time, lastMod []string, body []byte) {
	if conditional(r) {
		http.ServeContent(w, r, "", modtime, bytes.NewReader(body))
		return
	}
	if lastMod != nil {
		w.Header()["Last-Modified"] = lastMod
	}
	hs.set("Accept-Ranges", "bytes")
	hs.set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// writeFile is writeBody for a stored file. The copy goes to the server's
// ReadFrom, which sends a local file with sendfile.
func writeFile(w http.ResponseWriter, r *http.Request, modtime time.Time, b vitrine.Blob) {
	if conditional(r) {
		http.ServeContent(w, r, "", modtime, b)
		return
	}
	hdr := w.Header()
	if !isZeroTime(modtime) {
		hdr.Set("Last-Modified", modtime.UTC().Format(http.TimeFormat))
	}
	hdr.Set("Accept-Ranges", "bytes")
	hdr.Set("Content-Length", strconv.FormatInt(b.Size(), 10))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		io.CopyN(w, b, b.Size())
	}
}

// noneMatch reports whether an If-None-Match field (its lines) matches
// etag, so that the answer is 304: "*", or an entity-tag of its list equal
// to etag under the weak comparison (RFC 9110 13.1.2: W/ ignored), as
// browsers and caches send it.
func noneMatch(field []string, etag string) bool {
	etag = strings.TrimPrefix(etag, "W/")
	for _, line := range field {
		for tag := range strings.SplitSeq(line, ",") {
			tag = strings.TrimSpace(tag)
			if tag == "*" || (tag != "" && strings.TrimPrefix(tag, "W/") == etag) {
				return true
			}
		}
	}
	return false
}

// conditional reports whether a request needs http.ServeContent: a range,
// or a precondition to check against the reply's validators.
func conditional(r *http.Request) bool {
	h := r.Header
	return h["Range"] != nil || h["If-None-Match"] != nil || h["If-Modified-Since"] != nil ||
		h["If-Match"] != nil || h["If-Unmodified-Since"] != nil
}

// isZeroTime is http.ServeContent's test for "no modification time".
func isZeroTime(t time.Time) bool { return t.IsZero() || t.Equal(time.Unix(0, 0)) }

// headerSet sets header values out of one allocation instead of one per
// header: each value is its own clipped one-element slice, so a later Add
// to one header reallocates rather than writing into its neighbour. Keys
// must be in canonical form.
type headerSet struct {
	h    http.Header
	vals []string
}

func newHeaderSet(h http.Header, n int) headerSet {
	return headerSet{h: h, vals: make([]string, 0, n)}
}

func (s *headerSet) set(key, value string) {
	if len(s.vals) == cap(s.vals) {
		s.h.Set(key, value)
		return
	}
	s.vals = append(s.vals, value)
	i := len(s.vals) - 1
	s.h[key] = s.vals[i : i+1 : i+1]
}
