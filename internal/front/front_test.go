package front

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// handler answers the shapes of reply the delivery handlers write.
func handler() http.Handler {
	body := bytes.Repeat([]byte("0123456789abcdef"), 5000) // 80 KB
	mod := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	mux := http.NewServeMux()
	mux.HandleFunc("/is/image/whole", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.Header()["X-Multi"] = []string{"a", "b\r\nInjected: yes"}
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			w.Write(body)
		}
		w.Header().Set("X-Late", "ignored") // after WriteHeader: not sent
	})
	mux.HandleFunc("/is/image/pieces", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<html><body>")
		fmt.Fprint(w, "pieces</body></html>")
	})
	mux.HandleFunc("/is/image/content", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		http.ServeContent(w, r, "", mod, bytes.NewReader(body))
	})
	mux.HandleFunc("/is/image/error", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no such image", http.StatusForbidden)
	})
	mux.HandleFunc("/is/image/close", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		w.Write([]byte("bye"))
	})
	mux.HandleFunc("/is/image/empty", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%s %s %q", r.Method, r.URL.Path, b)
	})
	return mux
}

// fastMux is handler() with a fast path for the hit loop: /is/image/fast
// and /is/image/big (a reply larger than a socket's buffers) are answered
// there, /is/image/panic panics there, anything else is declined.
type fastMux struct {
	http.Handler
	small, big []byte
}

func newFastMux() *fastMux {
	return &fastMux{Handler: handler(), small: []byte("fast body"), big: bytes.Repeat([]byte("0123456789abcdef"), 1<<20)} // 16 MB
}

func (m *fastMux) ServeFast(r *FastRequest, rep *FastReply) bool {
	var body []byte
	switch string(r.Target()) {
	case "/is/image/fast":
		body = m.small
	case "/is/image/big":
		body = m.big
	case "/is/image/panic":
		panic("fast path panics")
	default:
		return false
	}
	rep.Head = append(rep.Head, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "...)
	rep.Head = append(rep.Head, fmt.Sprint(len(body))...)
	rep.Head = append(rep.Head, "\r\n"...)
	rep.Body = body
	return true
}

// ServeHTTP answers the fast path's targets the long way too, the same.
func (m *fastMux) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/is/image/fast", "/is/image/big", "/is/image/panic":
		body := m.small
		if r.URL.Path == "/is/image/big" {
			body = m.big
		}
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.Write(body)
		return
	}
	m.Handler.ServeHTTP(w, r)
}

// mode is how a test server serves: net/http alone, through the front,
// or through the front with its hit loop.
type mode int

const (
	plainMode mode = iota
	frontMode
	loopMode
)

// fronts runs f with the front, and with the front and its hit loop.
func fronts(t *testing.T, f func(t *testing.T, m mode)) {
	t.Run("front", func(t *testing.T) { f(t, frontMode) })
	t.Run("loop", func(t *testing.T) { f(t, loopMode) })
}

type testServer struct {
	addr  string
	front *Server
	srv   *http.Server
	done  chan error
}

// start serves newFastMux() on a real listener as m says.
func start(t *testing.T, m mode, configure ...func(*http.Server)) *testServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{addr: ln.Addr().String(), srv: &http.Server{Handler: newFastMux(), Protocols: new(http.Protocols)}, done: make(chan error, 1)}
	ts.srv.Protocols.SetHTTP1(true)
	ts.srv.Protocols.SetUnencryptedHTTP2(true)
	for _, f := range configure {
		f(ts.srv)
	}
	if m != plainMode {
		ts.front = New(ts.srv, ln, "/is/image/")
		if m == loopMode {
			if err := ts.front.EnableHitLoop(); err != nil {
				t.Fatal(err)
			}
		}
		go func() { ts.done <- ts.front.Serve() }()
	} else {
		go func() { ts.done <- ts.srv.Serve(ln) }()
	}
	t.Cleanup(func() {
		ts.srv.Shutdown(context.Background())
		<-ts.done
	})
	return ts
}

// exchange writes raw requests on one connection and reads as many
// replies.
func exchange(t *testing.T, addr string, raw string, methods ...string) []*http.Response {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, raw); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	var out []*http.Response
	for _, m := range methods {
		resp, err := http.ReadResponse(br, &http.Request{Method: m})
		if err != nil {
			t.Fatalf("reply %d: %v", len(out)+1, err)
		}
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatalf("reply %d body: %v", len(out)+1, err)
		}
		resp.Body = io.NopCloser(bytes.NewReader(b))
		out = append(out, resp)
	}
	return out
}

func describe(r *http.Response) string {
	h := r.Header.Clone()
	h.Del("Date")
	b, _ := io.ReadAll(r.Body)
	var sb strings.Builder
	h.Write(&sb)
	return fmt.Sprintf("%s close=%v len=%d\n%s%q", r.Status, r.Close, r.ContentLength, sb.String(), b)
}

func TestFrontAnswersAsNetHTTP(t *testing.T) {
	fronts(t, func(t *testing.T, m mode) {
		plain, front := start(t, plainMode), start(t, m)
		cases := []struct {
			name, req, method string
		}{
			{"whole body", "GET /is/image/whole HTTP/1.1\r\nHost: x\r\n\r\n", "GET"},
			{"HEAD", "HEAD /is/image/whole HTTP/1.1\r\nHost: x\r\n\r\n", "HEAD"},
			{"pieces, sniffed type", "GET /is/image/pieces HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n", "GET"},
			{"not modified", "GET /is/image/content HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"v1\"\r\n\r\n", "GET"},
			{"range", "GET /is/image/content HTTP/1.1\r\nHost: x\r\nRange: bytes=10-19\r\n\r\n", "GET"},
			{"full content", "GET /is/image/content HTTP/1.1\r\nHost: x\r\n\r\n", "GET"},
			{"error", "GET /is/image/error HTTP/1.1\r\nHost: x\r\n\r\n", "GET"},
			{"handler closes", "GET /is/image/close HTTP/1.1\r\nHost: x\r\n\r\n", "GET"},
			{"no content", "GET /is/image/empty HTTP/1.1\r\nHost: x\r\n\r\n", "GET"},
			{"bare LF", "GET /is/image/whole HTTP/1.1\nHost: x\n\n", "GET"},
			{"fast path", "GET /is/image/fast HTTP/1.1\r\nHost: x\r\n\r\n", "GET"},
			{"fast path, HEAD", "HEAD /is/image/fast HTTP/1.1\r\nHost: x\r\n\r\n", "HEAD"},
			{"fast path, bare LF", "GET /is/image/fast HTTP/1.1\nHost: x\n\n", "GET"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before, fastBefore := front.front.served.Load(), front.front.fastServed.Load()
				want := describe(exchange(t, plain.addr, tc.req, tc.method)[0])
				got := describe(exchange(t, front.addr, tc.req, tc.method)[0])
				if got != want {
					t.Errorf("through the front:\n%s\nnet/http:\n%s", got, want)
				}
				if front.front.served.Load() != before+1 {
					t.Errorf("served by the front: %d requests, want 1", front.front.served.Load()-before)
				}
				wantFast := int64(0)
				if m == loopMode && strings.Contains(tc.req, "/fast ") {
					wantFast = 1
				}
				if n := front.front.fastServed.Load() - fastBefore; n != wantFast {
					t.Errorf("answered on the hit loop's fast path: %d, want %d", n, wantFast)
				}
			})
		}
	})
}

func TestFrontHandsOverTheConnection(t *testing.T) {
	fronts(t, func(t *testing.T, m mode) {
		ts := start(t, m)
		// A hit, then a request with a body, then a hit again: the front
		// answers the first and hands the connection over with the bytes it
		// read, and the server answers the rest.
		raw := "GET /is/image/pieces HTTP/1.1\r\nHost: x\r\n\r\n" +
			"POST /api/x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello" +
			"GET /is/image/pieces HTTP/1.1\r\nHost: x\r\n\r\n"
		got := exchange(t, ts.addr, raw, "GET", "POST", "GET")
		for i, want := range []string{"<html><body>pieces</body></html>", `POST /api/x "hello"`, "<html><body>pieces</body></html>"} {
			b, _ := io.ReadAll(got[i].Body)
			if got[i].StatusCode != 200 || string(b) != want {
				t.Errorf("reply %d: %s %q, want 200 %q", i+1, got[i].Status, b, want)
			}
		}
		if n := ts.front.served.Load(); n != 1 {
			t.Errorf("served by the front: %d, want 1", n)
		}
	})
}

func TestFrontPipelined(t *testing.T) {
	fronts(t, func(t *testing.T, m mode) {
		ts := start(t, m)
		one := "GET /is/image/pieces HTTP/1.1\r\nHost: x\r\n\r\n"
		got := exchange(t, ts.addr, one+one+one, "GET", "GET", "GET")
		for i, r := range got {
			if b, _ := io.ReadAll(r.Body); string(b) != "<html><body>pieces</body></html>" {
				t.Errorf("reply %d: %q", i+1, b)
			}
		}
		if n := ts.front.served.Load(); n != 3 {
			t.Errorf("served by the front: %d, want 3", n)
		}
	})
}

func TestFrontLeavesOthersToTheServer(t *testing.T) {
	fronts(t, func(t *testing.T, m mode) {
		ts := start(t, m)
		for _, req := range []string{
			"GET /other HTTP/1.1\r\nHost: x\r\n\r\n",
			"GET /is/image/pieces HTTP/1.0\r\nHost: x\r\n\r\n",
			"GET /is/image/pieces HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
		} {
			r := exchange(t, ts.addr, req, "GET")[0]
			if r.StatusCode != 200 {
				t.Errorf("%q: %s", req, r.Status)
			}
		}
		// HTTP/2 with prior knowledge reaches the server through the front.
		c := &http.Client{Transport: &http.Transport{Protocols: new(http.Protocols)}}
		c.Transport.(*http.Transport).Protocols.SetUnencryptedHTTP2(true)
		resp, err := c.Get("http://" + ts.addr + "/is/image/pieces")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.ProtoMajor != 2 || string(b) != "<html><body>pieces</body></html>" {
			t.Errorf("h2c: %s %q", resp.Proto, b)
		}
		if n := ts.front.served.Load(); n != 0 {
			t.Errorf("served by the front: %d, want 0", n)
		}
	})
}

func TestFrontShutdownEndsIdleConnections(t *testing.T) {
	fronts(t, func(t *testing.T, m mode) {
		ts := start(t, m)
		c, err := net.Dial("tcp", ts.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, "GET /is/image/pieces HTTP/1.1\r\nHost: x\r\n\r\n")
		br := bufio.NewReader(c)
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		io.ReadAll(resp.Body)
		// The connection now waits for its next request.
		if err := ts.srv.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
		if err := <-ts.done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("Serve = %v, want http.ErrServerClosed", err)
		}
		ts.done <- nil // for the cleanup
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		if _, err := br.ReadByte(); err != io.EOF {
			t.Errorf("idle connection after shutdown: read %v, want EOF", err)
		}
	})
}

func TestFrontClosesAnUnfinishedHead(t *testing.T) {
	fronts(t, func(t *testing.T, m mode) {
		ts := start(t, m, func(s *http.Server) { s.ReadHeaderTimeout = 100 * time.Millisecond })
		c, err := net.Dial("tcp", ts.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, "GET /is/image/pieces HTTP/1.1\r\nHost: x\r\n") // no empty line: the head never ends
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		if n, err := c.Read(make([]byte, 1)); err != io.EOF {
			t.Fatalf("read %d, %v; want the connection closed", n, err)
		}
		// Closed by the front when the head's time ran out, not handed to the
		// server for another ReadHeaderTimeout.
		if n := ts.front.handoffs.Load(); n != 0 {
			t.Errorf("handed %d connections to the server, want 0", n)
		}
	})
}

func TestQualifies(t *testing.T) {
	pre := []string{"/is/image/"}
	cases := []struct {
		head string
		want bool
	}{
		{"GET /is/image/a/b?wid=10 HTTP/1.1\r\nHost: x\r\n\r\n", true},
		{"HEAD /is/image/a HTTP/1.1\r\nHost: x:8080\r\nUser-Agent: y\r\n\r\n", true},
		{"GET /is/image/a HTTP/1.1\nHost: x\nConnection: Keep-Alive\n\n", true},
		{"GET /is/image/a HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", true},
		{"GET /is/content/a HTTP/1.1\r\nHost: x\r\n\r\n", false},
		{"POST /is/image/a HTTP/1.1\r\nHost: x\r\n\r\n", false},
		{"GET /is/image/a HTTP/1.0\r\nHost: x\r\n\r\n", false},
		{"GET /is/image/a HTTP/1.1\r\n\r\n", false},
		{"GET /is/image/a HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", false},
		{"GET /is/image/a HTTP/1.1\r\nHost: x/y\r\n\r\n", false},
		{"GET /is/image/a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n", false},
		{"GET /is/image/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", false},
		{"GET /is/image/a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", false},
		{"GET /is/image/a HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\n\r\n", false},
		{"GET /is/image/a HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n", false},
		{"GET /is/image/a HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n", false},
		{"GET /is/image/a HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n folded\r\n\r\n", false},
		{"GET /is/image/a HTTP/1.1\r\nHost: x\r\nX-A: \x01\r\n\r\n", false},
		{"GET /is/image/a\x7f HTTP/1.1\r\nHost: x\r\n\r\n", false},
		{"GET /is/image/a HTTP/1.1\r\nHost: x\r\nno colon\r\n\r\n", false},
		{"GET /is/image/a HTTP/1.1\r\nHost: x\r\nContent-Length\t: 40\r\n\r\n", false},
		{"GET /is/image/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n", false},
		{"GET /is/image/a HTTP/1.1\r\nHost: x\r\nRange\x80: bytes=0-1\r\n\r\n", false},
		{"GET /is/image/a HTTP/1.1\r\nHost: x\r\n: empty name\r\n\r\n", false},
		{"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", false},
	}
	for _, tc := range cases {
		if got := Qualifies([]byte(tc.head), pre); got != tc.want {
			t.Errorf("Qualifies(%q) = %v, want %v", tc.head, got, tc.want)
		}
	}
}

// A header name that is no token is not read as the framing header it
// looks like: http.Server refuses the request, and the bytes after the
// head are never answered as a request of their own.
func TestFrontRefusesMalformedNames(t *testing.T) {
	fronts(t, func(t *testing.T, m mode) {
		ts := start(t, m)
		smuggled := "GET /is/image/fast HTTP/1.1\r\nHost: x\r\n\r\n"
		raw := fmt.Sprintf("GET /is/image/fast HTTP/1.1\r\nHost: x\r\nContent-Length\t: %d\r\n\r\n%s", len(smuggled), smuggled)
		c, err := net.Dial("tcp", ts.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		io.WriteString(c, raw)
		br := bufio.NewReader(c)
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("status %s, want 400", resp.Status)
		}
		if resp, err := http.ReadResponse(br, nil); err == nil {
			t.Errorf("a second reply (%s): the body was answered as a request", resp.Status)
		}
	})
}
