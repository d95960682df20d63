// Package front answers the common HTTP/1.1 request, a GET or HEAD without
// a body under a few path prefixes (cached image hits), on its own
// connection loop in front of an http.Server, and hands every other
// connection to that server.
//
// Why: on a 2-core machine net/http spent about 35 µs of CPU per 67 KB
// reply against nginx's 29 µs, and its p99 was 2 ms above nginx's, with
// the handler doing nothing. The difference is its per-request machinery
// (a goroutine for the background read, the response's chunk writer,
// headers then body in two write calls). Here a request is read with
// http.ReadRequest and served by the same http.Handler, and the reply's
// headers and body leave in one writev (21-25 µs per reply in the same
// test). Handlers cannot tell the difference except for what is listed on
// Writer.
//
// A connection stays here while its requests qualify (Qualifies). The
// first one that does not (another method, a body, HTTP/1.0, Connection
// other than keep-alive, Expect, Upgrade, an HTTP/2 preface, a header
// block larger than the read buffer) hands the connection, with the bytes
// already read, to the http.Server, which serves it from then on with all
// its rules (timeouts, HTTP/2 prior knowledge, request bodies).
//
// With EnableHitLoop (Linux), idle connections wait on one event loop on a
// thread of its own instead of a goroutine each, and the requests the
// handler's fast path answers from memory (FastHandler) are answered
// there without waking a goroutine; any other request takes the
// connection to a goroutine, as above, until it is idle again
// (loop_linux.go, docs/design/edge.md).
package front

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Server serves srv's handler on ln, answering qualifying requests itself.
type Server struct {
	srv      *http.Server
	ln       net.Listener
	prefixes []string
	handed   *handoffListener

	mu      sync.Mutex
	conns   map[*conn]struct{}
	closing bool
	wg      sync.WaitGroup // one per connection served here

	loop       *loop        // nil: no hit loop (EnableHitLoop)
	served     atomic.Int64 // requests the front took to answer (tests)
	fastServed atomic.Int64 // of which the hit loop's fast path answered (tests)
	unfinished atomic.Int64 // fast replies the socket did not take whole, left to a goroutine (tests)
	handoffs   atomic.Int64 // connections handed to the server (tests)
	dates      dateCache
}

// New prepares a front for srv on ln for request paths starting with one
// of prefixes. Serve runs it; srv.Shutdown stops it (New registers the
// front's own shutdown with srv). TLS is not handled here: a server with
// TLS serves its listener directly.
func New(srv *http.Server, ln net.Listener, prefixes ...string) *Server {
	s := &Server{srv: srv, ln: ln, prefixes: prefixes, conns: map[*conn]struct{}{},
		handed: newHandoffListener(ln.Addr())}
	srv.RegisterOnShutdown(s.shutdown)
	return s
}

// EnableHitLoop makes the front answer the requests srv's handler can
// answer at once (a FastHandler's ServeFast) on one loop over the idle
// connections, on a thread of its own, instead of a goroutine woken per
// request (loop_linux.go). Call it before Serve. It returns an error when
// the handler is no FastHandler or the system has no hit loop (not
// Linux); the front then works as without it.
func (s *Server) EnableHitLoop() error {
	fast, ok := s.srv.Handler.(FastHandler)
	if !ok {
		return errors.New("front: the handler has no fast path (ServeFast)")
	}
	l, err := newLoop(s, fast)
	if err != nil {
		return fmt.Errorf("front: hit loop: %w", err)
	}
	s.loop = l
	return nil
}

func (s *Server) logf(format string, args ...any) {
	if l := s.srv.ErrorLog; l != nil {
		l.Printf(format, args...)
		return
	}
	log.Printf(format, args...)
}

// Serve accepts connections until srv.Shutdown or Close, and returns
// http.ErrServerClosed then, after the requests the front was answering
// are done, like http.Server.Serve.
func (s *Server) Serve() error {
	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(s.handed) }()
	if s.loop != nil {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.loop.run()
		}()
	}
	err := s.accept()
	s.shutdown()
	s.wg.Wait()
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && serr != nil && err == nil {
		err = serr
	}
	if s.isClosing() {
		return http.ErrServerClosed
	}
	return err
}

func (s *Server) accept() error {
	var backoff time.Duration
	for {
		nc, err := s.ln.Accept()
		if err != nil {
			if s.isClosing() {
				return http.ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) {
				// Like http.Server: too many open files and the like pass.
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				time.Sleep(backoff)
				continue
			}
			return err
		}
		backoff = 0
		c := s.newConn(nc)
		if c == nil {
			nc.Close()
			return http.ErrServerClosed
		}
		if s.loop != nil && c.raw != nil {
			c.base = s.baseContext(nc)
			if c.toLoop() {
				continue
			}
		}
		go c.serve()
	}
}

// shutdown stops accepting, ends connections waiting for a request and
// lets busy ones end after their reply. It runs when srv.Shutdown or
// srv.Close is called.
func (s *Server) shutdown() {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return
	}
	s.closing = true
	conns := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	s.ln.Close()
	s.handed.Close()
	if s.loop != nil {
		s.loop.stop()
	}
	for _, c := range conns {
		c.wakeIfIdle()
	}
}

func (s *Server) isClosing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing
}

func (s *Server) newConn(nc net.Conn) *conn {
	c := &conn{s: s, nc: nc, remote: nc.RemoteAddr().String()}
	if c.raw = newRawIO(nc); c.raw != nil {
		c.br = bufio.NewReaderSize(c.raw, readBuffer)
	} else {
		c.br = bufio.NewReaderSize(nc, readBuffer)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return nil
	}
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	return c
}

func (s *Server) forget(c *conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	s.wg.Done()
}

// handoff gives nc to the http.Server, which reads br's buffered bytes
// first.
func (s *Server) handoff(c *conn) {
	s.handoffs.Add(1)
	var nc net.Conn = c.nc
	if c.br.Buffered() > 0 {
		nc = &replayConn{Conn: c.nc, br: c.br}
	}
	if !s.handed.give(nc) {
		nc.Close()
	}
}

// baseContext is the context of the requests on one connection, as
// http.Server makes it.
func (s *Server) baseContext(nc net.Conn) context.Context {
	ctx := context.Background()
	if s.srv.BaseContext != nil {
		ctx = s.srv.BaseContext(s.ln)
	}
	ctx = context.WithValue(ctx, http.ServerContextKey, s.srv)
	ctx = context.WithValue(ctx, http.LocalAddrContextKey, nc.LocalAddr())
	if s.srv.ConnContext != nil {
		ctx = s.srv.ConnContext(ctx, nc)
	}
	return ctx
}
