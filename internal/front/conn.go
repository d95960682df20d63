package front

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"runtime"
	"sync/atomic"
	"time"
)

// readBuffer bounds the request head the front reads itself; a larger one
// goes to the http.Server (MaxHeaderBytes applies there).
const readBuffer = 4 << 10

// conn is one client connection while the front serves it.
type conn struct {
	s      *Server
	nc     net.Conn
	br     *bufio.Reader
	remote string
	idle   atomic.Bool // waiting for the next request
	raw    *rawIO      // nil: nc's own Read and Write

	head []byte      // the reply's head, reused
	body []byte      // a reply body written in pieces, reused
	keys []string    // header names being sorted, reused
	bufs net.Buffers // head and body for one writev

	base context.Context // the requests' base context, made once

	// The hit loop's (loop_linux.go): when the connection went idle, when
	// the current head began to arrive, and the part of a reply the
	// socket did not take, for the goroutine the loop gives the
	// connection to.
	since, headSince time.Time
	pending          [][]byte
	queued           bool // in the loop's ready list (the loop's thread only)
}

func (c *conn) serve() { c.run(nil) }

// run serves the connection on this goroutine: first the rest of a reply
// the hit loop left, then req when the loop read it, then the requests
// that follow, until the connection closes, is handed to the http.Server,
// or goes idle with a hit loop to give it to.
func (c *conn) run(req *http.Request) {
	handed, looped := false, false
	defer func() {
		if looped {
			return // the loop's now
		}
		if !handed {
			c.nc.Close()
		}
		c.s.forget(c)
	}()
	if c.base == nil {
		c.base = c.s.baseContext(c.nc)
	}
	if len(c.pending) > 0 && c.finishPending() != nil {
		return
	}
	for {
		if req == nil {
			if c.s.loop != nil && c.raw != nil && c.br.Buffered() == 0 && !c.s.isClosing() {
				if looped = c.toLoop(); looped {
					return
				}
			}
			if !c.awaitRequest() {
				return
			}
			head, ok, err := c.peekHead()
			if err != nil {
				return // the client left, or its head did not arrive in ReadHeaderTimeout
			}
			if !ok || !Qualifies(head, c.s.prefixes) {
				c.s.handoff(c)
				handed = true
				return
			}
			if req, err = http.ReadRequest(c.br); err != nil {
				c.nc.Write([]byte("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request"))
				return
			}
			c.s.served.Add(1) // before the reply leaves: tests count on it
		}
		if !c.serveRequest(c.base, req) {
			return
		}
		req = nil
	}
}

// toLoop gives c, idle with nothing buffered, to the hit loop, and reports
// whether the caller is done with it: the loop took it, or the loop
// stopped after c had left Go's netpoller (c is then closed and
// forgotten). false: c is still the caller's, as it was.
func (c *conn) toLoop() bool {
	if c.s.loop.add(c) {
		return true
	}
	if c.raw.detached() {
		c.raw.closeDetached() // the loop stopped between the two
		c.s.forget(c)
		return true
	}
	return false
}

// finishPending writes the rest of a reply the hit loop left (writeAll).
func (c *conn) finishPending() error {
	defer func() { c.pending = nil }()
	_, err := c.writeAll(c.pending...)
	return err
}

// maxSendStall bounds how long a reply may wait for the client to take a
// byte, as nginx's send_timeout (60 s) does.
const maxSendStall = 60 * time.Second

// writeAll writes bufs (at most two) whole through the raw I/O: within
// WriteTimeout when the server has one (its deadline is set per request),
// else for as long as the client keeps taking bytes. A write that takes
// none for the server's IdleTimeout (at most a minute) is dropped, and once
// the server shuts down a stalled write is not given another window: a
// client that stopped reading holds neither a connection nor Shutdown.
func (c *conn) writeAll(bufs ...[]byte) (int, error) {
	if c.s.srv.WriteTimeout > 0 {
		return c.raw.writeBuffers(bufs...)
	}
	defer c.nc.SetWriteDeadline(time.Time{})
	var own [2][]byte
	rest := append(own[:0], bufs...) // advanced here, not in the caller's slice
	total := 0
	for {
		c.nc.SetWriteDeadline(time.Now().Add(min(first(c.s.srv.IdleTimeout, maxSendStall), maxSendStall)))
		n, err := c.raw.writeBuffers(rest...)
		total += n
		rest = advance(rest, n)
		if err == nil || len(rest) == 0 {
			return total, err
		}
		if n == 0 || !errors.Is(err, os.ErrDeadlineExceeded) || c.s.isClosing() {
			return total, err
		}
	}
}

// advance drops the first n bytes of bufs.
func advance(bufs [][]byte, n int) [][]byte {
	for n > 0 && len(bufs) > 0 {
		k := min(n, len(bufs[0]))
		bufs[0], n = bufs[0][k:], n-k
		if len(bufs[0]) == 0 {
			bufs = bufs[1:]
		}
	}
	return bufs
}

// awaitRequest waits for the first byte of a request, for IdleTimeout,
// and then gives the head ReadHeaderTimeout, as http.Server does. It
// reports false when the connection should close.
func (c *conn) awaitRequest() bool {
	srv := c.s.srv
	c.idle.Store(true)
	// The deadline is set before the closing check: a shutdown that comes
	// after the check sets its own (past) deadline after this one.
	c.nc.SetReadDeadline(deadline(first(srv.IdleTimeout, srv.ReadTimeout)))
	if c.s.isClosing() {
		return false
	}
	_, err := c.br.Peek(1)
	c.idle.Store(false)
	if err != nil || c.s.isClosing() {
		return false
	}
	c.nc.SetReadDeadline(deadline(first(srv.ReadHeaderTimeout, srv.ReadTimeout)))
	return true
}

// wakeIfIdle ends a wait for the next request (shutdown).
func (c *conn) wakeIfIdle() {
	if c.idle.Load() {
		c.nc.SetReadDeadline(time.Unix(1, 0))
	}
}

// peekHead returns the request head (the request line and the header
// lines up to the empty line) without consuming it, or false when it does
// not fit in the read buffer, or the error that ended the wait for it.
func (c *conn) peekHead() ([]byte, bool, error) {
	for {
		buf, _ := c.br.Peek(c.br.Buffered())
		if n := headLen(buf); n > 0 {
			return buf[:n], true, nil
		}
		if len(buf) >= readBuffer {
			return nil, false, nil
		}
		if _, err := c.br.Peek(len(buf) + 1); err != nil {
			return nil, false, err
		}
	}
}

// headLen is the length of the head at the start of b, through the first
// empty line (CRLF or a bare LF, as net/http accepts), or 0 when b holds
// no empty line yet.
func headLen(b []byte) int {
	off := 0
	for {
		i := bytes.IndexByte(b[off:], '\n')
		if i < 0 {
			return 0
		}
		line := b[off : off+i]
		off += i + 1
		if len(line) == 0 || (len(line) == 1 && line[0] == '\r') {
			return off
		}
	}
}

// serveRequest runs the handler for req and sends its reply, and reports
// whether the connection may serve another request.
func (c *conn) serveRequest(base context.Context, req *http.Request) (keep bool) {
	srv := c.s.srv
	// As http.Server does: the Host header lives in req.Host.
	delete(req.Header, "Host")
	req.RemoteAddr = c.remote
	ctx, cancel := context.WithCancel(base)
	defer cancel()
	req = req.WithContext(ctx)
	if srv.WriteTimeout > 0 {
		c.nc.SetWriteDeadline(time.Now().Add(srv.WriteTimeout))
	}
	w := &Writer{c: c, req: req, h: http.Header{}, cl: -1}
	defer func() {
		if err := recover(); err != nil {
			keep = false
			if err == http.ErrAbortHandler {
				return
			}
			buf := make([]byte, 64<<10)
			buf = buf[:runtime.Stack(buf, false)]
			c.logf("http: panic serving %v: %v\n%s", c.remote, err, buf)
		}
	}()
	h := srv.Handler
	if h == nil {
		h = http.DefaultServeMux
	}
	h.ServeHTTP(w, req)
	if err := w.finish(); err != nil {
		return false
	}
	return !w.closeAfter
}

func (c *conn) logf(format string, args ...any) { c.s.logf(format, args...) }

// Qualifies reports whether the front answers the request whose head
// (request line and header lines through the empty line) is head: a GET
// or HEAD in HTTP/1.1 for a path under one of prefixes, with one Host,
// without a body, an Expect, an Upgrade or a Connection other than
// keep-alive, and without control characters or folded lines. Anything
// else is the http.Server's to answer, with all its rules.
func Qualifies(head []byte, prefixes []string) bool {
	line, rest, ok := bytes.Cut(head, []byte("\n"))
	if !ok {
		return false
	}
	method, line, _ := bytes.Cut(bytes.TrimSuffix(line, []byte("\r")), []byte(" "))
	target, proto, _ := bytes.Cut(line, []byte(" "))
	if string(method) != http.MethodGet && string(method) != http.MethodHead || string(proto) != "HTTP/1.1" || !underAny(target, prefixes) {
		return false
	}
	for _, b := range target {
		if b <= ' ' || b >= 0x7f {
			return false
		}
	}
	hosts := 0
	for len(rest) > 0 {
		line, rest, _ = bytes.Cut(rest, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			return false
		}
		for _, b := range line {
			if (b < ' ' && b != '\t') || b == 0x7f {
				return false
			}
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok || !ValidFieldName(string(name)) {
			// A name that is no token ("Content-Length\t", "Range ") would
			// not be read as the header it looks like here, while a proxy
			// in front may: http.Server refuses it.
			return false
		}
		value = bytes.Trim(value, " \t")
		switch {
		case bytes.EqualFold(name, []byte("Host")):
			hosts++
			if !plainHost(value) {
				return false
			}
		case bytes.EqualFold(name, []byte("Content-Length")):
			if string(value) != "0" {
				return false
			}
		case bytes.EqualFold(name, []byte("Connection")):
			if !bytes.EqualFold(value, []byte("keep-alive")) {
				return false
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")), bytes.EqualFold(name, []byte("Expect")),
			bytes.EqualFold(name, []byte("Upgrade")), bytes.EqualFold(name, []byte("HTTP2-Settings")):
			return false
		}
	}
	return hosts == 1
}

func underAny(target []byte, prefixes []string) bool {
	for _, p := range prefixes {
		if bytes.HasPrefix(target, []byte(p)) {
			return true
		}
	}
	return false
}

// plainHost accepts the host names and addresses clients send (letters,
// digits, '.', '-', '_', ':', brackets); anything else is left to
// http.Server's own check.
func plainHost(v []byte) bool {
	if len(v) == 0 {
		return false
	}
	for _, b := range v {
		switch {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		case b == '.', b == '-', b == '_', b == ':', b == '[', b == ']':
		default:
			return false
		}
	}
	return true
}

func first(ds ...time.Duration) time.Duration {
	for _, d := range ds {
		if d > 0 {
			return d
		}
	}
	return 0
}

// deadline is now+d, or none for 0.
func deadline(d time.Duration) time.Time {
	if d <= 0 {
		return time.Time{}
	}
	return time.Now().Add(d)
}
