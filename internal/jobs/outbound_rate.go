package jobs

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"
)

// ErrTooSlow is returned when a response arrives slower than the minimum
// rate.
var ErrTooSlow = errors.New("remote server sends too slowly")

// rateWatch cancels a request whose bytes fall behind grace + n/rate: a
// timer, moved on as bytes come, fires on a stalled body too (a check in
// Read alone would wait for the next byte).
type rateWatch struct {
	start time.Time
	grace time.Duration
	rate  int64

	cancel context.CancelCauseFunc

	mu sync.Mutex
	n  int64
	t  *time.Timer
}

func newRateWatch(grace time.Duration, rate int64, cancel context.CancelCauseFunc) *rateWatch {
	w := &rateWatch{start: time.Now(), grace: grace, rate: rate, cancel: cancel}
	w.t = time.AfterFunc(grace, func() { cancel(ErrTooSlow) })
	return w
}

func (w *rateWatch) add(n int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.n += int64(n)
	due := w.start.Add(w.grace + time.Duration(w.n)*time.Second/time.Duration(w.rate))
	w.t.Reset(time.Until(due))
}

// stop ends the watch and the request's context.
func (w *rateWatch) stop() {
	w.t.Stop()
	w.cancel(nil)
}

// rateBody feeds a body's progress to its watch, and reports ErrTooSlow
// for a read cut off by it.
type rateBody struct {
	rc  io.ReadCloser
	w   *rateWatch
	ctx context.Context
}

func (b *rateBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if n > 0 {
		b.w.add(n)
	}
	if err != nil && err != io.EOF && errors.Is(context.Cause(b.ctx), ErrTooSlow) {
		err = ErrTooSlow
	}
	return n, err
}

func (b *rateBody) Close() error {
	err := b.rc.Close()
	b.w.stop()
	return err
}
