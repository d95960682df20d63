package imaging

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
)

// blockedRenderer returns a one-worker renderer whose worker, on each job,
// reports on started and then waits for release to be closed.
func blockedRenderer(t *testing.T, queue int) (r *Renderer, started chan struct{}, release chan struct{}) {
	t.Helper()
	started, release = make(chan struct{}, 8), make(chan struct{})
	r, err := newRenderer(Config{Workers: 1, Queue: queue, Timeout: time.Minute}, func() {
		started <- struct{}{}
		<-release
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r, started, release
}

// TestQueueFull holds the only worker busy, fills the one-slot queue, and
// checks the next render is refused at once with EUNAVAILABLE. No sleeps:
// the hook says when the worker holds a job.
func TestQueueFull(t *testing.T) {
	t.Parallel()
	needVips(t)
	src := encodeJPEG(t, quadrants(64, 48), 90)
	p := mustPlan(t, "wid=32", Source{Width: 64, Height: 48}, Settings{})
	r, started, release := blockedRenderer(t, 1)

	first := make(chan error, 1)
	go func() {
		_, err := r.Render(context.Background(), src, p)
		first <- err
	}()
	<-started // the worker took the first job off the queue and is blocked

	queued := &job{ctx: context.Background(), src: src, plan: p, done: make(chan result, 1)}
	if err := r.submit(queued); err != nil {
		t.Fatalf("submit into the empty queue: %v", err)
	}
	_, err := r.Render(context.Background(), src, p)
	if code := vitrine.ErrorCode(err); code != vitrine.EUNAVAILABLE {
		t.Fatalf("Render with a full queue: error %v (code %q), want %s", err, code, vitrine.EUNAVAILABLE)
	}

	close(release)
	if err := <-first; err != nil {
		t.Errorf("first render: %v", err)
	}
	if res := <-queued.done; res.err != nil || res.out == nil || res.out.Width != 32 {
		t.Errorf("queued render = %+v, %v; want a 32 px reply", res.out, res.err)
	}
}

// expiring is a context whose deadline passes when the test says so.
type expiring struct {
	context.Context
	done chan struct{}
}

func (e expiring) Done() <-chan struct{} { return e.done }

func (e expiring) Err() error {
	select {
	case <-e.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

// TestRenderDeadline checks that a render whose deadline passes, or whose
// caller leaves, while it waits in the queue fails with EUNAVAILABLE, and
// that the worker then skips it.
func TestRenderDeadline(t *testing.T) {
	t.Parallel()
	needVips(t)
	src := encodeJPEG(t, quadrants(64, 48), 90)
	p := mustPlan(t, "wid=32", Source{Width: 64, Height: 48}, Settings{})
	r, started, release := blockedRenderer(t, 4)

	go r.Render(context.Background(), src, p) //nolint:errcheck // only here to occupy the worker
	<-started

	expired, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel()
	if _, err := r.Render(expired, src, p); vitrine.ErrorCode(err) != vitrine.EUNAVAILABLE {
		t.Errorf("Render past its deadline: error %v, want %s", err, vitrine.EUNAVAILABLE)
	}

	late := expiring{Context: context.Background(), done: make(chan struct{})}
	timedOut := &job{ctx: late, src: src, plan: p, done: make(chan result, 1)}
	if err := r.submit(timedOut); err != nil {
		t.Fatal(err)
	}
	close(late.done) // the deadline passes while the job waits
	_, err := r.wait(late, timedOut)
	if vitrine.ErrorCode(err) != vitrine.EUNAVAILABLE || vitrine.ErrorMessage(err) != "rendering took too long; retry later" {
		t.Errorf("wait past the deadline: error %v, want %s (took too long)", err, vitrine.EUNAVAILABLE)
	}

	gone, leave := context.WithCancel(context.Background())
	left := &job{ctx: gone, src: src, plan: p, done: make(chan result, 1)}
	if err := r.submit(left); err != nil {
		t.Fatal(err)
	}
	leave()
	if _, err := r.wait(gone, left); vitrine.ErrorCode(err) != vitrine.EUNAVAILABLE {
		t.Errorf("wait after the caller left: error %v, want %s", err, vitrine.EUNAVAILABLE)
	}

	close(release)
	// The worker skips both abandoned jobs without rendering them.
	for _, j := range []*job{timedOut, left} {
		<-started
		if res := <-j.done; vitrine.ErrorCode(res.err) != vitrine.EUNAVAILABLE || res.out != nil {
			t.Errorf("abandoned job result = %+v, %v; want EUNAVAILABLE", res.out, res.err)
		}
	}
}

// TestRendererClose checks Close stops the workers (it returns only after
// they exit), fails waiting renders, and refuses new ones.
func TestRendererClose(t *testing.T) {
	t.Parallel()
	needVips(t)
	src := encodeJPEG(t, quadrants(64, 48), 90)
	p := mustPlan(t, "wid=32", Source{Width: 64, Height: 48}, Settings{})
	r, started, release := blockedRenderer(t, 4)

	go r.Render(context.Background(), src, p) //nolint:errcheck // occupies the worker
	<-started
	waiting := &job{ctx: context.Background(), src: src, plan: p, done: make(chan result, 1)}
	if err := r.submit(waiting); err != nil {
		t.Fatal(err)
	}
	closed := make(chan error, 1)
	go func() { closed <- r.Close() }()
	if _, err := r.wait(context.Background(), waiting); vitrine.ErrorCode(err) != vitrine.EUNAVAILABLE {
		t.Errorf("wait during Close: error %v, want %s", err, vitrine.EUNAVAILABLE)
	}
	close(release)
	if err := <-closed; err != nil {
		t.Errorf("Close: %v", err)
	}
	if _, err := r.Render(context.Background(), src, p); vitrine.ErrorCode(err) != vitrine.EUNAVAILABLE {
		t.Errorf("Render after Close: error %v, want %s", err, vitrine.EUNAVAILABLE)
	}
}

func TestConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"defaults", Config{}, true},
		{"explicit", Config{Workers: 2, Queue: 1, Timeout: time.Second}, true},
		{"negative workers", Config{Workers: -1}, false},
		{"negative queue", Config{Queue: -1}, false},
		{"negative timeout", Config{Timeout: -time.Second}, false},
		{"too many workers", Config{Workers: 5000}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := tt.cfg.withDefaults()
			if err := cfg.Validate(); (err == nil) != tt.ok {
				t.Errorf("Validate(%+v) = %v, want ok %v", cfg, err, tt.ok)
			}
			if tt.ok && (cfg.Workers < 1 || cfg.Queue < 1 || cfg.Timeout <= 0) {
				t.Errorf("withDefaults left zero fields: %+v", cfg)
			}
		})
	}
}

// TestRenderPanic checks a panicking render fails alone, as an error,
// and the worker keeps serving.
func TestRenderPanic(t *testing.T) {
	t.Parallel()
	needVips(t)
	src := encodeJPEG(t, quadrants(64, 48), 90)
	p := mustPlan(t, "wid=32", Source{Width: 64, Height: 48}, Settings{})
	var once sync.Once
	r, err := newRenderer(Config{Workers: 1, Queue: 1, Timeout: time.Minute}, func() {
		once.Do(func() { panic("boom") })
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	if _, err := r.Render(context.Background(), src, p); err == nil || vitrine.ErrorCode(err) != vitrine.EINTERNAL {
		t.Errorf("Render that panics: error %v, want an internal error", err)
	}
	if out, err := r.Render(context.Background(), src, p); err != nil || out.Width != 32 {
		t.Errorf("Render after the panic = %v, %v; want a 32 px reply", out, err)
	}
}
