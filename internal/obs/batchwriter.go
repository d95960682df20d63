package obs

import (
	"io"
	"sync"
	"time"
)

// BatchWriter gathers writes (access-log lines) and hands them to w in
// batches from one goroutine: under load, a write call carries the lines
// of many requests instead of each request paying for its own, and a
// request never waits on a slow log destination unless the backlog
// passes highWater. Each Write reaches w whole and in order; a batch is
// written linger after its first line, so an idle server's line appears
// at once to a reader. Close writes what is left and stops the goroutine.
type BatchWriter struct {
	w      io.Writer
	linger time.Duration

	writeMu sync.Mutex // held while writing to w: batches go out in order

	mu     sync.Mutex
	buf    []byte
	spare  []byte
	closed bool

	wake chan struct{} // one pending signal: buf went from empty to not
	stop chan struct{}
	done chan struct{}
}

// highWater is the backlog past which a Write flushes itself, so memory
// stays bounded when w is slower than the requests.
const highWater = 256 << 10

// NewBatchWriter starts a BatchWriter over w; its goroutine runs until
// Close.
func NewBatchWriter(w io.Writer, linger time.Duration) *BatchWriter {
	b := &BatchWriter{w: w, linger: linger, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go b.run()
	return b
}

// Write queues p (slog hands over one whole record per call).
func (b *BatchWriter) Write(p []byte) (int, error) {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		b.writeMu.Lock()
		defer b.writeMu.Unlock()
		return b.w.Write(p)
	}
	first := len(b.buf) == 0
	b.buf = append(b.buf, p...)
	full := len(b.buf) >= highWater
	b.mu.Unlock()
	switch {
	case full:
		b.flush()
	case first:
		select {
		case b.wake <- struct{}{}:
		default:
		}
	}
	return len(p), nil
}

// flush writes what is queued.
func (b *BatchWriter) flush() {
	b.writeMu.Lock()
	defer b.writeMu.Unlock()
	b.mu.Lock()
	batch := b.buf
	b.buf = b.spare[:0]
	b.mu.Unlock()
	if len(batch) == 0 {
		return
	}
	b.w.Write(batch) // a log line that cannot be written has nowhere to go
	b.mu.Lock()
	if cap(batch) <= highWater*2 {
		b.spare = batch[:0]
	} else {
		b.spare = nil
	}
	b.mu.Unlock()
}

func (b *BatchWriter) run() {
	defer close(b.done)
	t := time.NewTimer(b.linger)
	t.Stop()
	for {
		select {
		case <-b.stop:
			return
		case <-b.wake:
		}
		t.Reset(b.linger)
		select {
		case <-b.stop:
			return
		case <-t.C:
		}
		b.flush()
	}
}

// Close writes the queued lines and stops the goroutine; later writes go
// straight to w.
func (b *BatchWriter) Close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	b.mu.Unlock()
	close(b.stop)
	<-b.done
	b.flush()
	return nil
}
