package edge

import (
	"context"
	"sync"
)

// flight collapses concurrent origin fetches for one key into one: the
// first caller runs the fetch on its own goroutine, later callers wait for
// its outcome. Unlike x/sync/singleflight a waiter can give up when its
// client goes away, without a goroutine being left behind to deliver to it.
type flight struct {
	mu    sync.Mutex
	calls map[string]*call
	// onJoin, if set, is called when a request starts waiting on another's
	// fetch; tests use it to know every client has queued up.
	onJoin func(key string)
}

type call struct {
	done chan struct{}
	out  outcome
}

// do returns fn's outcome for key, running fn unless a call for key is in
// progress, and reports whether this caller ran it. A waiter whose ctx ends
// first gets ctx's error.
func (f *flight) do(ctx context.Context, key string, fn func() outcome) (outcome, bool, error) {
	f.mu.Lock()
	if f.calls == nil {
		f.calls = map[string]*call{}
	}
	if c, ok := f.calls[key]; ok {
		f.mu.Unlock()
		if f.onJoin != nil {
			f.onJoin(key)
		}
		select {
		case <-c.done:
			return c.out, false, nil
		case <-ctx.Done():
			return outcome{}, false, ctx.Err()
		}
	}
	c := &call{done: make(chan struct{}), out: outcome{err: errFetchPanicked}}
	f.calls[key] = c
	f.mu.Unlock()

	// Deferred so that waiters are released even if fn panics; they then
	// see errFetchPanicked.
	defer func() {
		f.mu.Lock()
		delete(f.calls, key)
		f.mu.Unlock()
		close(c.done)
	}()
	c.out = fn()
	return c.out, true, nil
}
