package delivery

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
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
	hdr := w.Header()
	if !isZeroTime(modtime) {
		hdr.Set("Last-Modified", modtime.UTC().Format(http.TimeFormat))
	}
	hdr.Set("Accept-Ranges", "bytes")
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
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

// conditional reports whether a request needs http.ServeContent: a range,
// or a precondition to check against the reply's validators.
func conditional(r *http.Request) bool {
	h := r.Header
	return h["Range"] != nil || h["If-None-Match"] != nil || h["If-Modified-Since"] != nil ||
		h["If-Match"] != nil || h["If-Unmodified-Since"] != nil
}

// isZeroTime is http.ServeContent's test for "no modification time".
func isZeroTime(t time.Time) bool { return t.IsZero() || t.Equal(time.Unix(0, 0)) }
