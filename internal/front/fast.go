package front

import (
	"bytes"
	"net/http"
)

// FastHandler is a handler that can answer some requests at once, from
// memory and without blocking, on the front's hit loop (EnableHitLoop).
// ServeFast either appends the reply to rep and returns true, or leaves
// rep alone and returns false; the request then goes to the handler's
// ServeHTTP on a goroutine, as without the loop. It runs on the loop's one
// thread, so it must be short: no I/O, no waiting on locks held for long.
type FastHandler interface {
	ServeFast(r *FastRequest, rep *FastReply) bool
}

// FastRequest is a request head the hit loop read without net/http: a GET
// or HEAD in HTTP/1.1 under one of the front's prefixes that Qualifies
// (one Host, no body, no folded lines or control characters). Its bytes
// belong to the connection's buffer: they are valid during ServeFast only.
type FastRequest struct {
	method string
	target []byte
	fields []byte // the header lines, through the empty line
}

// NewFastRequest is the FastRequest the hit loop would give a handler for
// head (a request line and header lines through the empty line), or false
// when the loop would not offer it (it does not Qualify under prefixes):
// for a FastHandler's tests.
func NewFastRequest(head []byte, prefixes ...string) (*FastRequest, bool) {
	if !Qualifies(head, prefixes) {
		return nil, false
	}
	r := parseFast(head)
	return &r, true
}

// parseFast splits a head that Qualifies into a FastRequest.
func parseFast(head []byte) FastRequest {
	line, fields, _ := bytes.Cut(head, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	method, line, _ := bytes.Cut(line, []byte(" "))
	target, _, _ := bytes.Cut(line, []byte(" "))
	m := http.MethodGet
	if string(method) == http.MethodHead {
		m = http.MethodHead
	}
	return FastRequest{method: m, target: target, fields: fields}
}

// Method is GET or HEAD.
func (r *FastRequest) Method() string { return r.method }

// Target is the request target as sent: the escaped path, then '?' and
// the raw query when there is one.
func (r *FastRequest) Target() []byte { return r.target }

// Header calls fn with the value (spaces around it trimmed) of each field
// named name (any case), in order, until fn returns false.
func (r *FastRequest) Header(name string, fn func(value []byte) bool) {
	rest := r.fields
	for len(rest) > 0 {
		var line []byte
		line, rest, _ = bytes.Cut(rest, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			return
		}
		k, v, _ := bytes.Cut(line, []byte(":"))
		if len(k) == len(name) && bytes.EqualFold(k, []byte(name)) && !fn(bytes.Trim(v, " \t")) {
			return
		}
	}
}

// Has reports whether the request has a field named name (any case).
func (r *FastRequest) Has(name string) bool {
	found := false
	r.Header(name, func([]byte) bool { found = true; return false })
	return found
}

// FastReply is what a FastHandler answers: Head, the status line and the
// header fields, each line ending in CRLF (the front adds Date and the
// empty line), and Body, sent after it unless the request is a HEAD. Head
// starts as a buffer of the connection's to append to; Body is sent as it
// is, without a copy, and must not change afterwards.
type FastReply struct {
	Head []byte
	Body []byte
}
