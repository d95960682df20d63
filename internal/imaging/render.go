package imaging

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vitrine/vitrine"
)

// Config sizes a Renderer. Zero fields take the defaults of
// DefaultConfig.
type Config struct {
	// Workers is how many renders run at once. libvips runs each render
	// on one thread, so one worker per core keeps the cores busy.
	Workers int
	// Queue is how many renders may wait for a worker. When it is full,
	// Render fails at once with EUNAVAILABLE instead of piling up memory.
	Queue int
	// Timeout bounds one render, waiting included.
	Timeout time.Duration
}

// DefaultConfig returns the defaults: a worker per core, a queue of 16
// per worker, 10 s per render (reference notes §3.2).
func DefaultConfig() Config {
	n := runtime.NumCPU()
	return Config{Workers: n, Queue: 16 * n, Timeout: 10 * time.Second}
}

// withDefaults fills zero fields.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.Workers == 0 {
		c.Workers = d.Workers
	}
	if c.Queue == 0 {
		c.Queue = d.Queue
	}
	if c.Timeout == 0 {
		c.Timeout = d.Timeout
	}
	return c
}

// Validate checks a config after defaults are filled in.
func (c Config) Validate() error {
	switch {
	case c.Workers < 1 || c.Workers > 1024:
		return vitrine.Errorf(vitrine.EINVALID, "imaging: workers must be between 1 and 1024")
	case c.Queue < 1 || c.Queue > 1<<16:
		return vitrine.Errorf(vitrine.EINVALID, "imaging: queue must be between 1 and 65536")
	case c.Timeout < 0:
		return vitrine.Errorf(vitrine.EINVALID, "imaging: timeout must not be negative")
	}
	return nil
}

// Renderer renders plans on a fixed pool of workers fed by a bounded queue.
// Its goroutines are its own: New starts them, Close stops them.
type Renderer struct {
	cfg       Config
	jobs      *fairQueue   // per-company turns (fairqueue.go)
	rendered  atomic.Int64 // renders since the C heap was last trimmed
	quit      chan struct{}
	wg        sync.WaitGroup
	closeOnce sync.Once

	// beforeJob, when set (by tests only), runs in the worker before each
	// job: it lets a test hold workers busy deterministically.
	beforeJob func()
}

// job is one render waiting for or held by a worker.
type job struct {
	ctx    context.Context
	src    []byte
	layers map[string][]byte // the bytes of the layers' src= images, by id
	plan   *Plan
	// pyramid, when set, is the path of the original's pyramid to read
	// instead of src (RenderPyramid).
	pyramid string
	done    chan result // buffered: the worker never blocks on a caller that left
}

type result struct {
	out *Output
	err error
}

// New starts libvips (once per process) and the workers.
func New(cfg Config) (*Renderer, error) {
	return newRenderer(cfg, nil)
}

func newRenderer(cfg Config, beforeJob func()) (*Renderer, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := startVips(); err != nil {
		return nil, err
	}
	r := &Renderer{
		cfg:       cfg,
		jobs:      newFairQueue(cfg.Queue, cfg.Workers),
		quit:      make(chan struct{}),
		beforeJob: beforeJob,
	}
	r.wg.Add(cfg.Workers + 1)
	for range cfg.Workers {
		go r.work()
	}
	go r.trim(trimEvery)
	return r, nil
}

// trimEvery is how often a Renderer that rendered since returns the C
// heap's free pages to the system.
const trimEvery = 10 * time.Second

// trim gives back what libvips freed, every interval after renders ran,
// until the renderer closes. Idle servers are not woken.
func (r *Renderer) trim(interval time.Duration) {
	defer r.wg.Done()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-r.quit:
			return
		case <-t.C:
			if r.rendered.Swap(0) > 0 {
				trimHeap()
			}
		}
	}
}

// Close stops the workers once their current render is done and waits for
// them. Renders still queued, and later calls, fail with EUNAVAILABLE.
// libvips itself stays up for the rest of the process (see startVips).
func (r *Renderer) Close() error {
	r.closeOnce.Do(func() { close(r.quit) })
	r.wg.Wait()
	return nil
}

func (r *Renderer) work() {
	defer r.wg.Done()
	for {
		j := r.jobs.pop(r.quit)
		if j == nil {
			return
		}
		j.done <- r.run(j)
		r.rendered.Add(1)
		r.jobs.done(j)
	}
}

// run renders one job unless its caller already gave up or the renderer
// is closing. A panic in a render becomes that render's error instead of
// taking the process down.
func (r *Renderer) run(j *job) (res result) {
	defer func() {
		if v := recover(); v != nil {
			res = result{err: fmt.Errorf("imaging: render panicked: %v", v)}
		}
	}()
	if r.beforeJob != nil {
		r.beforeJob()
	}
	select {
	case <-r.quit:
		return result{err: vitrine.Errorf(vitrine.EUNAVAILABLE, "renderer is shut down")}
	default:
	}
	if err := j.ctx.Err(); err != nil {
		return result{err: unavailable(err)}
	}
	var out *Output
	var err error
	if j.pyramid != "" {
		out, err = renderPyramid(j.ctx, j.pyramid, j.plan)
	} else {
		out, err = renderSource(j.ctx, j.src, j.layers, j.plan)
	}
	if err != nil && j.ctx.Err() != nil {
		err = unavailable(j.ctx.Err())
	}
	return result{out: out, err: err}
}

// Render renders src per the plan. It fails at once with EUNAVAILABLE when
// the queue is full, and with EUNAVAILABLE when ctx ends or the timeout
// passes first (the HTTP layer answers 503 with Retry-After). A render
// that timed out keeps its worker until libvips finishes the step it is
// in: libvips work cannot be interrupted from Go.
func (r *Renderer) Render(ctx context.Context, src []byte, p *Plan) (*Output, error) {
	return r.RenderComposite(ctx, src, nil, p)
}

// RenderComposite is Render for a plan with layers (NewCompositePlan):
// layers holds the bytes of every id of the request's LayerSources.
func (r *Renderer) RenderComposite(ctx context.Context, src []byte, layers map[string][]byte, p *Plan) (*Output, error) {
	return r.render(ctx, &job{src: src, layers: layers, plan: p})
}

// RenderPyramid is Render from the original's pyramid (BuildPyramid),
// stored at path, instead of the original: the same geometry, from the
// smallest level that holds the pixels the plan needs, reading only the
// tiles it touches. A plan with layers is rendered from the original
// (RenderComposite).
func (r *Renderer) RenderPyramid(ctx context.Context, path string, p *Plan) (*Output, error) {
	if p != nil && len(p.Layers) > 0 {
		return nil, vitrine.Errorf(vitrine.EINTERNAL, "imaging: RenderPyramid takes no layers")
	}
	return r.render(ctx, &job{pyramid: path, plan: p})
}

func (r *Renderer) render(ctx context.Context, j *job) (*Output, error) {
	p := j.plan
	if p == nil || p.req == nil {
		return nil, vitrine.Errorf(vitrine.EINTERNAL, "imaging: Render needs a plan made by NewPlan")
	}
	ctx, cancel := context.WithTimeout(ctx, r.cfg.Timeout)
	defer cancel()
	if err := ctx.Err(); err != nil {
		return nil, unavailable(err)
	}
	j.ctx, j.done = ctx, make(chan result, 1)
	if err := r.submit(j); err != nil {
		return nil, err
	}
	return r.wait(ctx, j)
}

// submit queues a job without blocking.
func (r *Renderer) submit(j *job) error {
	select {
	case <-r.quit:
		return vitrine.Errorf(vitrine.EUNAVAILABLE, "renderer is shut down")
	default:
	}
	if !r.jobs.push(j) {
		return vitrine.Errorf(vitrine.EUNAVAILABLE, "too many images being rendered; retry later")
	}
	return nil
}

// wait returns the job's result, or gives up when ctx ends or the renderer
// closes.
func (r *Renderer) wait(ctx context.Context, j *job) (*Output, error) {
	select {
	case res := <-j.done:
		return res.out, res.err
	case <-ctx.Done():
		return nil, unavailable(ctx.Err())
	case <-r.quit:
		return nil, vitrine.Errorf(vitrine.EUNAVAILABLE, "renderer is shut down")
	}
}

func unavailable(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return vitrine.Errorf(vitrine.EUNAVAILABLE, "rendering took too long; retry later")
	}
	return vitrine.Errorf(vitrine.EUNAVAILABLE, "rendering was cancelled")
}

// renderSource checks the plan against the real header, re-planning (and
// so re-checking the limits) if the caller planned with a stale one, then
// renders.
func renderSource(ctx context.Context, src []byte, layers map[string][]byte, p *Plan) (*Output, error) {
	info, err := Probe(src)
	if err != nil {
		return nil, err
	}
	if p, err = p.forSource(info.Source); err != nil {
		return nil, err
	}
	return renderLayers(ctx, src, layers, p)
}
