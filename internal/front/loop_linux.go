package front

import (
	"errors"
	"net/http"
	"runtime"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// loop is the hit loop: one goroutine on a locked OS thread owns the idle
// connections in its own epoll set, reads their requests without
// parking, answers those the FastHandler answers, and gives any other
// request (or a reply the socket did not take whole) to a goroutine,
// which gives the connection back once it is idle. A request answered
// here wakes no goroutine: on two cores shared with other work this is
// what kept the tail at nginx's (docs/design/edge.md).
//
// A connection is owned by the loop or by a goroutine, never both; add
// is a goroutine's last act on it.
type loop struct {
	s    *Server
	fast FastHandler
	ep   int
	wake int // an eventfd in the set: shutdown

	mu     sync.Mutex
	conns  map[int]*conn // by fd, owned by the loop
	closed bool

	// ready are connections that had their turn (perTurn requests) with
	// whole requests still in their read buffer, which epoll does not
	// report again: served after the next epoll_wait, which then does not
	// wait. The loop's thread only.
	ready []readyConn
}

type readyConn struct {
	fd int
	c  *conn
}

// perTurn is how many requests of one connection the loop answers before
// it serves the others: a client that pipelines without pause does not
// hold the loop.
const perTurn = 16

// sweepEvery is how often the loop closes connections idle past
// IdleTimeout or with a head unfinished past ReadHeaderTimeout.
const sweepEvery = time.Second

func newLoop(s *Server, fast FastHandler) (*loop, error) {
	ep, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, err
	}
	wake, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		unix.Close(ep)
		return nil, err
	}
	if err := unix.EpollCtl(ep, unix.EPOLL_CTL_ADD, wake, &unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(wake)}); err != nil {
		unix.Close(ep)
		unix.Close(wake)
		return nil, err
	}
	return &loop{s: s, fast: fast, ep: ep, wake: wake, conns: map[int]*conn{}}, nil
}

// add gives c, idle with nothing buffered, to the loop; false once the
// loop has stopped (the caller then closes c).
//
// The connection leaves Go's netpoller while the loop has it (its
// descriptor is detached): a request arriving on it must wake the loop's
// thread only, not also an idle P's thread blocked in the netpoller.
// When add fails, the caller still owns c (detached or not) and ends it
// with closeConn.
func (l *loop) add(c *conn) bool {
	l.mu.Lock()
	closed := l.closed
	l.mu.Unlock()
	if closed {
		return false
	}
	fd, err := c.raw.detach(c.nc)
	if err != nil {
		return false
	}
	c.since, c.headSince = time.Now(), time.Time{}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return false
	}
	l.conns[fd] = c
	if err := unix.EpollCtl(l.ep, unix.EPOLL_CTL_ADD, fd, &unix.EpollEvent{Events: unix.EPOLLIN | unix.EPOLLRDHUP, Fd: int32(fd)}); err != nil {
		delete(l.conns, fd)
		return false
	}
	return true
}

// release takes c out of the loop's set and back into Go's netpoller;
// the caller owns it from then on. It reports false when c could not be
// put back, and has then ended it.
func (l *loop) release(fd int, c *conn) bool {
	c.queued = false
	l.mu.Lock()
	delete(l.conns, fd)
	l.mu.Unlock()
	unix.EpollCtl(l.ep, unix.EPOLL_CTL_DEL, fd, nil)
	nc, err := c.raw.attach()
	if err != nil {
		l.s.forget(c)
		return false
	}
	c.nc = nc
	return true
}

// end closes c, which the loop owns, for good.
func (l *loop) end(fd int, c *conn) {
	c.queued = false
	l.mu.Lock()
	delete(l.conns, fd)
	l.mu.Unlock()
	unix.EpollCtl(l.ep, unix.EPOLL_CTL_DEL, fd, nil)
	c.raw.closeDetached()
	l.s.forget(c)
}

// stop makes run close the connections it owns and return.
func (l *loop) stop() {
	var one [8]byte
	one[0] = 1
	unix.Write(l.wake, one[:])
}

func (l *loop) run() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	events := make([]unix.EpollEvent, 256)
	next := time.Now().Add(sweepEvery)
	var ready []readyConn
	for {
		wait := int(sweepEvery / time.Millisecond)
		if len(l.ready) > 0 {
			wait = 0
		}
		n, err := unix.EpollWait(l.ep, events, wait)
		if err != nil && !errors.Is(err, syscall.EINTR) {
			l.s.logf("front: epoll_wait: %v", err)
		}
		for _, ev := range events[:max(n, 0)] {
			fd := int(ev.Fd)
			if fd == l.wake {
				l.shutdown()
				return
			}
			l.mu.Lock()
			c := l.conns[fd]
			l.mu.Unlock()
			if c != nil && !c.queued { // a queued one is served below
				l.serve(fd, c)
			}
		}
		ready, l.ready = l.ready, ready[:0]
		for _, r := range ready {
			l.mu.Lock()
			c := l.conns[r.fd]
			l.mu.Unlock()
			if c == r.c { // still the loop's, the same connection
				c.queued = false
				l.serve(r.fd, c)
			}
		}
		clear(ready) // no dead connection kept reachable
		if now := time.Now(); now.After(next) {
			l.sweep(now)
			next = now.Add(sweepEvery)
		}
	}
}

// serve answers what c's socket holds: each whole request the fast path
// answers, until the socket has nothing more; anything else goes to a
// goroutine with the connection.
func (l *loop) serve(fd int, c *conn) {
	for answered := 0; ; answered++ {
		if answered == perTurn {
			if c.br.Buffered() > 0 && !c.queued {
				c.queued = true
				l.ready = append(l.ready, readyConn{fd, c})
			}
			return // the rest of the socket's bytes: epoll says so again
		}
		head, ok, err := c.peekHead()
		switch {
		case errors.Is(err, syscall.EAGAIN):
			if c.br.Buffered() > 0 && c.headSince.IsZero() {
				c.headSince = time.Now()
			}
			return // the rest of the head, or the next request, later
		case err != nil:
			l.end(fd, c) // the client left
			return
		case !ok || !Qualifies(head, l.s.prefixes):
			if !l.release(fd, c) {
				return
			}
			go func() { // the http.Server's Accept may not be waiting yet
				l.s.handoff(c)
				l.s.forget(c)
			}()
			return
		}
		req := parseFast(head)
		rep := FastReply{Head: c.head[:0]}
		if !l.serveFast(c, &req, &rep) {
			// Declined: the handler's ServeHTTP answers, on a goroutine.
			r, err := http.ReadRequest(c.br)
			if err != nil {
				c.raw.writeBuffers([]byte("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request"))
				l.end(fd, c)
				return
			}
			l.s.served.Add(1)
			if l.release(fd, c) {
				go c.run(r)
			}
			return
		}
		c.br.Discard(len(head))
		l.s.served.Add(1)
		l.s.fastServed.Add(1)
		rep.Head = append(rep.Head, "Date: "...)
		rep.Head = l.s.dates.append(rep.Head)
		c.head = append(rep.Head, "\r\n\r\n"...)
		if req.method == http.MethodHead {
			rep.Body = nil
		}
		n, err := c.raw.writeBuffers(c.head, rep.Body)
		switch {
		case errors.Is(err, syscall.EAGAIN):
			// The socket did not take the whole reply: a goroutine
			// finishes it (conn.finishPending) and goes on.
			c.pending = pendingRest(c.head, rep.Body, n)
			l.s.unfinished.Add(1)
			if l.release(fd, c) {
				go c.run(nil)
			}
			return
		case err != nil:
			l.end(fd, c)
			return
		}
		c.since, c.headSince = time.Now(), time.Time{}
	}
}

// serveFast asks the fast path for a reply to r; a panic in it is
// recovered and logged, and the request declined.
func (l *loop) serveFast(c *conn, r *FastRequest, rep *FastReply) (ok bool) {
	defer func() {
		if err := recover(); err != nil {
			buf := make([]byte, 64<<10)
			buf = buf[:runtime.Stack(buf, false)]
			l.s.logf("front: panic in the fast path for %v: %v\n%s", c.remote, err, buf)
			ok = false
		}
	}()
	return l.fast.ServeFast(r, rep)
}

// pendingRest is what is left of head then body after n bytes were
// written: the head's rest copied (its buffer is the connection's), the
// body's shared (a FastReply's body does not change).
func pendingRest(head, body []byte, n int) [][]byte {
	if n < len(head) {
		return [][]byte{append([]byte(nil), head[n:]...), body}
	}
	return [][]byte{body[n-len(head):]}
}

// sweep closes the connections idle past IdleTimeout, or whose head has
// been arriving for longer than ReadHeaderTimeout.
func (l *loop) sweep(now time.Time) {
	srv := l.s.srv
	idle, header := first(srv.IdleTimeout, srv.ReadTimeout), first(srv.ReadHeaderTimeout, srv.ReadTimeout)
	var late []int
	l.mu.Lock()
	for fd, c := range l.conns {
		switch {
		case !c.headSince.IsZero() && header > 0 && now.Sub(c.headSince) > header,
			c.headSince.IsZero() && idle > 0 && now.Sub(c.since) > idle:
			late = append(late, fd)
		}
	}
	l.mu.Unlock()
	for _, fd := range late {
		l.mu.Lock()
		c := l.conns[fd]
		l.mu.Unlock()
		if c != nil {
			l.end(fd, c)
		}
	}
}

// shutdown closes the connections the loop owns (idle ones: a busy one
// is a goroutine's, which sees the server closing) and the loop's files.
func (l *loop) shutdown() {
	l.mu.Lock()
	l.closed = true
	conns := l.conns
	l.conns = map[int]*conn{}
	l.mu.Unlock()
	for fd, c := range conns {
		unix.EpollCtl(l.ep, unix.EPOLL_CTL_DEL, fd, nil)
		c.raw.closeDetached()
		l.s.forget(c)
	}
	unix.Close(l.ep)
	unix.Close(l.wake)
}
