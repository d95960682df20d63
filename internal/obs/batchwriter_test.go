package obs

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// gateWriter records each write call; the first one blocks until release
// is closed, after telling entered.
type gateWriter struct {
	mu      sync.Mutex
	b       bytes.Buffer
	calls   int
	entered chan struct{}
	release chan struct{}
}

func (g *gateWriter) Write(p []byte) (int, error) {
	g.mu.Lock()
	g.calls++
	first := g.calls == 1
	g.mu.Unlock()
	if first && g.release != nil {
		close(g.entered)
		<-g.release
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.b.Write(p)
}

func (g *gateWriter) snapshot() (string, int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.b.String(), g.calls
}

// Lines written while the destination is busy go out together in one
// call, whole and in order.
func TestBatchWriterBatches(t *testing.T) {
	g := &gateWriter{entered: make(chan struct{}), release: make(chan struct{})}
	b := NewBatchWriter(g, time.Millisecond)
	var want strings.Builder
	line := func(i int) {
		s := fmt.Sprintf("line %d\n", i)
		want.WriteString(s)
		if n, err := b.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	line(0)
	<-g.entered // the first batch is being written
	for i := 1; i <= 100; i++ {
		line(i)
	}
	close(g.release)
	b.Close()
	got, calls := g.snapshot()
	if got != want.String() {
		t.Fatalf("written:\n%s\nwant:\n%s", got, want.String())
	}
	if calls != 2 {
		t.Fatalf("%d write calls for 101 lines, want 2 (one while busy, one batch)", calls)
	}
}

// A line reaches the destination without Close (an idle server's access
// log is not held back), and writes after Close go straight through.
func TestBatchWriterFlushesWithoutClose(t *testing.T) {
	g := &syncWriter{wrote: make(chan struct{}, 1)}
	b := NewBatchWriter(g, time.Millisecond)
	b.Write([]byte("one\n"))
	<-g.wrote
	b.Close()
	b.Write([]byte("two\n"))
	if got := g.String(); got != "one\ntwo\n" {
		t.Fatalf("written %q", got)
	}
}

// A backlog past highWater is written by the Write that passes it.
func TestBatchWriterHighWater(t *testing.T) {
	g := &gateWriter{entered: make(chan struct{}), release: make(chan struct{})}
	b := NewBatchWriter(g, time.Millisecond)
	defer b.Close()
	b.Write([]byte("first\n"))
	<-g.entered
	close(g.release)
	big := bytes.Repeat([]byte("x"), highWater)
	b.Write(big) // passes highWater: flushed before Write returns
	got, _ := g.snapshot()
	if !strings.HasSuffix(got, string(big)) {
		t.Fatalf("backlog of %d bytes still queued after Write returned", len(big))
	}
}

type syncWriter struct {
	mu    sync.Mutex
	b     bytes.Buffer
	wrote chan struct{}
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case s.wrote <- struct{}{}:
	default:
	}
	return s.b.Write(p)
}

func (s *syncWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
