package front

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

func dial(t *testing.T, addr string) (net.Conn, *bufio.Reader) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(20 * time.Second))
	return c, bufio.NewReader(c)
}

func readReply(t *testing.T, br *bufio.Reader, method string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.ReadResponse(br, &http.Request{Method: method})
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// One connection goes from the loop to a goroutine and back: fast, long
// way, fast, HEAD, long way, each sent once the previous reply is in (each
// arrives on the loop), then all pipelined in one write (the goroutine
// that answers the first long-way request answers what is buffered behind
// it, and gives the connection back once idle).
func TestLoopFastAndLongWayOnOneConnection(t *testing.T) {
	ts := start(t, loopMode)
	c, br := dial(t, ts.addr)
	fast := "GET /is/image/fast HTTP/1.1\r\nHost: x\r\n\r\n"
	head := "HEAD /is/image/fast HTTP/1.1\r\nHost: x\r\n\r\n"
	long := "GET /is/image/pieces HTTP/1.1\r\nHost: x\r\n\r\n"
	reqs := []struct{ raw, method, body string }{
		{fast, "GET", "fast body"}, {long, "GET", "<html><body>pieces</body></html>"}, {fast, "GET", "fast body"},
		{head, "HEAD", ""}, {long, "GET", "<html><body>pieces</body></html>"},
	}
	check := func(round string, i int) {
		t.Helper()
		resp, b := readReply(t, br, reqs[i].method)
		if resp.StatusCode != 200 || string(b) != reqs[i].body || resp.Header.Get("Date") == "" {
			t.Errorf("%s, reply %d: %s %q Date %q, want 200 %q with a Date", round, i+1, resp.Status, b, resp.Header.Get("Date"), reqs[i].body)
		}
	}
	for i, r := range reqs {
		if _, err := io.WriteString(c, r.raw); err != nil {
			t.Fatal(err)
		}
		check("one at a time", i)
	}
	if n, f := ts.front.served.Load(), ts.front.fastServed.Load(); n != 5 || f != 3 {
		t.Errorf("one at a time: served %d, on the fast path %d; want 5 and 3", n, f)
	}
	var all string
	for _, r := range reqs {
		all += r.raw
	}
	if _, err := io.WriteString(c, all); err != nil {
		t.Fatal(err)
	}
	for i := range reqs {
		check("pipelined", i)
	}
	if n, f := ts.front.served.Load(), ts.front.fastServed.Load(); n != 10 || f != 4 {
		t.Errorf("after the pipelined ones: served %d, on the fast path %d; want 10 and 4", n, f)
	}
	// Idle again, the connection is the loop's.
	io.WriteString(c, fast)
	check("after", 0)
	if f := ts.front.fastServed.Load(); f != 5 {
		t.Errorf("after the connection went idle: %d on the fast path, want 5", f)
	}
	if n := ts.front.handoffs.Load(); n != 0 {
		t.Errorf("handed %d connections to the server, want 0", n)
	}
}

// A reply larger than the socket takes at once, to a client that does not
// read yet, neither stalls the loop for other clients nor loses a byte.
func TestLoopSlowReader(t *testing.T) {
	ts := start(t, loopMode)
	slow, slowBR := dial(t, ts.addr)
	if _, err := io.WriteString(slow, "GET /is/image/big HTTP/1.1\r\nHost: x\r\n\r\nGET /is/image/fast HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	// Another client is answered while the first one's reply waits.
	for range 3 {
		r := exchange(t, ts.addr, "GET /is/image/fast HTTP/1.1\r\nHost: x\r\n\r\n", "GET")[0]
		if b, _ := io.ReadAll(r.Body); string(b) != "fast body" {
			t.Fatalf("other client: %q", b)
		}
	}
	resp, b := readReply(t, slowBR, "GET")
	if resp.StatusCode != 200 || !bytes.Equal(b, newFastMux().big) {
		t.Fatalf("big reply: %s, %d bytes, want %d", resp.Status, len(b), len(newFastMux().big))
	}
	if _, b := readReply(t, slowBR, "GET"); string(b) != "fast body" {
		t.Errorf("the request after the big reply: %q", b)
	}
	if n := ts.front.unfinished.Load(); n != 1 {
		t.Errorf("replies finished by a goroutine: %d, want 1 (the big one)", n)
	}
}

// A connection the loop holds is closed once idle past IdleTimeout.
func TestLoopIdleTimeout(t *testing.T) {
	ts := start(t, loopMode, func(s *http.Server) { s.IdleTimeout = 50 * time.Millisecond })
	c, br := dial(t, ts.addr)
	io.WriteString(c, "GET /is/image/fast HTTP/1.1\r\nHost: x\r\n\r\n")
	readReply(t, br, "GET")
	if _, err := br.ReadByte(); err != io.EOF {
		t.Fatalf("idle connection: read %v, want EOF", err)
	}
}

// A panic in the fast path is logged and the request goes the long way.
func TestLoopFastPathPanics(t *testing.T) {
	logged := &lockedBuffer{}
	ts := start(t, loopMode, func(s *http.Server) { s.ErrorLog = log.New(logged, "", 0) })
	c, br := dial(t, ts.addr)
	for _, target := range []string{"/is/image/panic", "/is/image/fast"} {
		io.WriteString(c, "GET "+target+" HTTP/1.1\r\nHost: x\r\n\r\n")
		if resp, b := readReply(t, br, "GET"); resp.StatusCode != 200 || string(b) != "fast body" {
			t.Errorf("%s: %s %q", target, resp.Status, b)
		}
	}
	if !strings.Contains(logged.String(), "fast path panics") {
		t.Errorf("log: %q, want the panic", logged.String())
	}
	if f := ts.front.fastServed.Load(); f != 1 {
		t.Errorf("on the fast path: %d, want 1 (the request after the panic)", f)
	}
}

// Shutdown waits for a request being answered the long way, closes the
// loop's idle connections, and Serve returns.
func TestLoopShutdownWhileBusy(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	ts := start(t, loopMode, func(s *http.Server) {
		inner := s.Handler.(*fastMux)
		mux := http.NewServeMux()
		mux.HandleFunc("/is/image/wait", func(w http.ResponseWriter, r *http.Request) {
			close(entered)
			<-release
			w.Write([]byte("done"))
		})
		mux.Handle("/", inner)
		s.Handler = &fastMux{Handler: mux, small: inner.small, big: inner.big}
	})
	idle, idleBR := dial(t, ts.addr)
	io.WriteString(idle, "GET /is/image/fast HTTP/1.1\r\nHost: x\r\n\r\n")
	readReply(t, idleBR, "GET")
	busy, busyBR := dial(t, ts.addr)
	io.WriteString(busy, "GET /is/image/wait HTTP/1.1\r\nHost: x\r\n\r\n")
	<-entered
	shut := make(chan error, 1)
	go func() { shut <- ts.srv.Shutdown(context.Background()) }()
	if _, err := idleBR.ReadByte(); err != io.EOF {
		t.Errorf("idle connection on the loop after shutdown: read %v, want EOF", err)
	}
	close(release)
	if resp, b := readReply(t, busyBR, "GET"); string(b) != "done" {
		t.Errorf("busy request: %s %q", resp.Status, b)
	}
	if err := <-shut; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if err := <-ts.done; !errors.Is(err, http.ErrServerClosed) {
		t.Errorf("Serve = %v, want http.ErrServerClosed", err)
	}
	ts.done <- nil // for the cleanup
}

// lockedBuffer is a log's buffer, written on the server's threads and
// read by the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// A client that pipelines requests without pause, reading its replies,
// does not hold the loop: another client is answered meanwhile.
func TestLoopTakesTurns(t *testing.T) {
	ts := start(t, loopMode)
	greedy, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer greedy.Close()
	batch := []byte(strings.Repeat("HEAD /is/image/fast HTTP/1.1\r\nHost: x\r\n\r\n", 256))
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			if _, err := greedy.Write(batch); err != nil {
				return // closed at the end of the test
			}
		}
	})
	wg.Go(func() { io.Copy(io.Discard, greedy) })
	// The greedy client is being answered before the other one asks.
	for ts.front.fastServed.Load() < 10_000 {
		runtime.Gosched()
	}
	for range 3 {
		r := exchange(t, ts.addr, "GET /is/image/fast HTTP/1.1\r\nHost: x\r\n\r\n", "GET")[0]
		if b, _ := io.ReadAll(r.Body); string(b) != "fast body" {
			t.Fatalf("the other client: %q", b)
		}
	}
	greedy.Close()
	wg.Wait()
}

// A reply to a client that does not read (one the loop left to a
// goroutine, or one the front's Writer sends) does not hold a shutdown
// past a stall: Serve returns and the connection is closed.
func TestFrontShutdownWithAnUnreadReply(t *testing.T) {
	fronts(t, func(t *testing.T, m mode) {
		ts := start(t, m, func(s *http.Server) { s.IdleTimeout = 100 * time.Millisecond })
		c, _ := dial(t, ts.addr)
		io.WriteString(c, "GET /is/image/big HTTP/1.1\r\nHost: x\r\n\r\n")
		for m == loopMode && ts.front.unfinished.Load() == 0 || ts.front.served.Load() == 0 {
			runtime.Gosched() // the reply is on its way
		}
		if err := ts.srv.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
		if err := <-ts.done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("Serve = %v, want http.ErrServerClosed", err)
		}
		ts.done <- nil // for the cleanup
		// Unread, the reply never ends: the connection is closed under it.
		if n, err := io.Copy(io.Discard, c); err == nil && n >= int64(len(newFastMux().big)) {
			t.Errorf("read %d bytes, %v: the whole reply, want it cut", n, err)
		}
	})
}
