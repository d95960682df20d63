package front

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// maxBuffered is how much of a body without a Content-Length the front
// holds to compute one; past it the reply is delimited by closing the
// connection (HTTP/1.1 allows it for responses).
const maxBuffered = 4 << 20

// Writer is the http.ResponseWriter of a request the front answers. It
// behaves as net/http's does for what handlers of cached bodies use:
// headers are taken at WriteHeader (later changes are ignored), Date and
// a sniffed Content-Type are added when missing, 304, 204 and 1xx replies
// carry no body nor Content-Length, a HEAD reply no body, writes past
// Content-Length fail with http.ErrContentLength. The differences: a body
// written in one call with a Content-Length set leaves with the headers
// in one writev; a body without a Content-Length is sent with one
// computed at the end rather than chunked; 1xx replies from the handler
// are dropped; it has no Flush, Hijack or ReadFrom (http.ResponseController
// answers http.ErrNotSupported), and the request's context ends when the
// handler returns, not when the client goes away.
type Writer struct {
	c   *conn
	req *http.Request
	h   http.Header

	status      int
	wroteHeader bool
	cl          int64 // the declared Content-Length, -1 without
	hasDate     bool
	hasType     bool
	closeHeader bool // the handler's header says Connection: close
	sent        bool // the head is on the wire
	written     int64
	closeAfter  bool
	err         error
}

// Header implements http.ResponseWriter.
func (w *Writer) Header() http.Header { return w.h }

// WriteHeader implements http.ResponseWriter. It writes the head's status
// line and header lines into the connection's buffer; the reply leaves
// with its body.
func (w *Writer) WriteHeader(code int) {
	if w.wroteHeader {
		return
	}
	if code < 100 || code > 999 {
		panic("invalid WriteHeader code " + strconv.Itoa(code))
	}
	if code < 200 {
		return // informational replies are not sent from here
	}
	w.wroteHeader, w.status = true, code
	if v := w.h.Get("Content-Length"); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
			w.cl = n
		} else {
			w.c.logf("http: invalid Content-Length of %q", v)
			w.h.Del("Content-Length")
		}
	}
	c := w.c
	c.head, c.keys = AppendHead(c.head[:0], code, w.h, c.keys)
	_, w.hasDate = w.h["Date"]
	_, w.hasType = w.h["Content-Type"]
	w.hasType = w.hasType && !skipHeader("Content-Type", code)
	for _, v := range w.h["Connection"] {
		if strings.EqualFold(strings.TrimSpace(v), "close") {
			w.closeAfter, w.closeHeader = true, true
		}
	}
}

// AppendHead appends the status line for code and h's header lines as the
// Writer sends them: sorted by name, without what net/http never sends
// for code (skipHeader) and without names that are no token. keys is
// scratch space for the names (nil: made), returned for reuse.
func AppendHead(dst []byte, code int, h http.Header, keys []string) ([]byte, []string) {
	dst = statusLine(dst, code)
	keys = keys[:0]
	for k := range h {
		if !skipHeader(k, code) && ValidFieldName(k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			dst = appendField(dst, k, v)
		}
	}
	return dst, keys
}

// Write implements http.ResponseWriter.
func (w *Writer) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if w.err != nil {
		return 0, w.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	if !bodyAllowed(w.status) {
		return 0, http.ErrBodyNotAllowed
	}
	if w.cl >= 0 && w.written+int64(len(p)) > w.cl {
		return 0, http.ErrContentLength
	}
	w.written += int64(len(p))
	if w.req.Method == http.MethodHead {
		return len(p), nil
	}
	c := w.c
	switch {
	case w.sent:
		return w.send(nil, p)
	case w.cl == int64(len(p)):
		// The whole body in one call: it goes out with the head.
		return w.send(w.endHead(), p)
	}
	c.body = append(c.body, p...)
	switch {
	case w.cl >= 0 && len(c.body) > maxBuffered:
		if _, err := w.send(w.endHead(), c.body); err != nil {
			return 0, err
		}
		c.body = c.body[:0]
	case w.cl < 0 && len(c.body) > maxBuffered:
		w.closeAfter = true
		if _, err := w.send(w.endHead(), c.body); err != nil {
			return 0, err
		}
		c.body = c.body[:0]
	}
	return len(p), nil
}

// finish sends what the handler left: the head, and the body held back.
func (w *Writer) finish() error {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if w.err != nil {
		return w.err
	}
	c := w.c
	defer func() {
		if cap(c.body) > 64<<10 {
			c.body = nil // one large reply does not pin its buffer
		}
		c.body = c.body[:0]
	}()
	if w.sent {
		if w.cl >= 0 && w.written < w.cl && w.req.Method != http.MethodHead {
			w.closeAfter = true // the client waits for bytes that never come
		}
		return nil
	}
	if bodyAllowed(w.status) {
		if w.cl < 0 && (w.req.Method != http.MethodHead || w.written > 0) {
			w.cl = w.written
			c.head = appendField(c.head, "Content-Length", strconv.FormatInt(w.written, 10))
		}
		if !w.hasType && len(c.body) > 0 {
			c.head = appendField(c.head, "Content-Type", http.DetectContentType(c.body))
		}
		if w.cl > w.written && w.req.Method != http.MethodHead {
			w.closeAfter = true
		}
	}
	_, err := w.send(w.endHead(), c.body)
	return err
}

// endHead completes the head with what net/http adds.
func (w *Writer) endHead() []byte {
	c := w.c
	if !w.hasDate {
		c.head = append(c.head, "Date: "...)
		c.head = c.s.dates.append(c.head)
		c.head = append(c.head, "\r\n"...)
	}
	if w.closeAfter && !w.closeHeader {
		c.head = append(c.head, "Connection: close\r\n"...)
	}
	return append(c.head, "\r\n"...)
}

// send writes head (nil once sent) and body in one call.
func (w *Writer) send(head, body []byte) (int, error) {
	c := w.c
	var err error
	switch {
	case c.raw != nil:
		_, err = c.writeAll(head, body)
	case head == nil:
		_, err = c.nc.Write(body)
	case len(body) == 0:
		_, err = c.nc.Write(head)
	default:
		c.bufs = append(c.bufs[:0], head, body)
		_, err = c.bufs.WriteTo(c.nc)
	}
	w.sent = true
	if err != nil {
		w.err, w.closeAfter = err, true
		return 0, err
	}
	return len(body), nil
}

// skipHeader drops what net/http never sends from the handler's map:
// framing it decides itself, and the headers a status forbids.
func skipHeader(k string, code int) bool {
	switch k {
	case "Transfer-Encoding", "Trailer":
		return true
	case "Content-Length":
		return !bodyAllowed(code)
	case "Content-Type":
		return code == http.StatusNotModified
	}
	return false
}

func bodyAllowed(code int) bool {
	return code >= 200 && code != http.StatusNoContent && code != http.StatusNotModified
}

// appendField appends one header line, with line breaks in the value
// turned into spaces and the value trimmed, as net/http writes it.
func appendField(dst []byte, k, v string) []byte {
	dst = append(dst, k...)
	dst = append(dst, ": "...)
	v = strings.Trim(v, " \t")
	for i := 0; i < len(v); i++ {
		if b := v[i]; b == '\r' || b == '\n' {
			dst = append(dst, ' ')
		} else {
			dst = append(dst, b)
		}
	}
	return append(dst, "\r\n"...)
}

// ValidFieldName reports whether k is an HTTP token; net/http skips header
// names that are not.
func ValidFieldName(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		b := k[i]
		switch {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", b) >= 0:
		default:
			return false
		}
	}
	return true
}

func statusLine(dst []byte, code int) []byte {
	dst = append(dst, "HTTP/1.1 "...)
	dst = strconv.AppendInt(dst, int64(code), 10)
	dst = append(dst, ' ')
	if text := http.StatusText(code); text != "" {
		dst = append(dst, text...)
	} else {
		dst = append(dst, "status code "...)
		dst = strconv.AppendInt(dst, int64(code), 10)
	}
	return append(dst, "\r\n"...)
}

// dateCache formats the Date header once a second.
type dateCache struct{ p atomic.Pointer[dateValue] }

type dateValue struct {
	sec int64
	b   []byte
}

func (d *dateCache) append(dst []byte) []byte {
	now := time.Now()
	v := d.p.Load()
	if v == nil || v.sec != now.Unix() {
		v = &dateValue{sec: now.Unix(), b: now.UTC().AppendFormat(nil, http.TimeFormat)}
		d.p.Store(v)
	}
	return append(dst, v.b...)
}
