package imaging

import (
	"context"
	"sync"
)

type tenantKey struct{}

// WithTenant tags ctx with the company a render is for: the render pool
// shares its workers fairly between companies (fairQueue).
func WithTenant(ctx context.Context, companyID int64) context.Context {
	return context.WithValue(ctx, tenantKey{}, companyID)
}

func tenantOf(ctx context.Context) int64 {
	id, _ := ctx.Value(tenantKey{}).(int64)
	return id
}

// fairQueue is the render pool's queue: one FIFO per company, served in
// turn, and a company that already holds half of the workers (at least
// one) gets no more while another company's render waits. A company alone
// may use every worker. Its size bound is over all companies, as the
// channel it replaces had.
type fairQueue struct {
	size, limit int

	mu      sync.Mutex
	waiting map[int64][]*job
	order   []int64 // companies with waiting jobs, in turn order
	running map[int64]int
	n       int           // jobs waiting
	wake    chan struct{} // closed and replaced when something changes
}

func newFairQueue(size, workers int) *fairQueue {
	return &fairQueue{size: size, limit: max(1, workers/2), waiting: map[int64][]*job{},
		running: map[int64]int{}, wake: make(chan struct{})}
}

// push queues j without blocking; false when the queue is full.
func (q *fairQueue) push(j *job) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.n >= q.size {
		return false
	}
	c := tenantOf(j.ctx)
	if len(q.waiting[c]) == 0 {
		q.order = append(q.order, c)
	}
	q.waiting[c] = append(q.waiting[c], j)
	q.n++
	q.changed()
	return true
}

// pop takes the next job a worker may run, waiting for one until quit is
// closed (then nil). The worker calls done(j) when it is finished.
func (q *fairQueue) pop(quit <-chan struct{}) *job {
	for {
		q.mu.Lock()
		if j := q.next(); j != nil {
			q.mu.Unlock()
			return j
		}
		wake := q.wake
		q.mu.Unlock()
		select {
		case <-wake:
		case <-quit:
			return nil
		}
	}
}

// next picks, under the lock, the first company in turn that may run one
// more render, and moves it to the back of the turn.
func (q *fairQueue) next() *job {
	for i, c := range q.order {
		if q.running[c] >= q.limit && len(q.order) > 1 {
			continue // at its share while another company waits
		}
		j := q.waiting[c][0]
		q.waiting[c] = q.waiting[c][1:]
		q.order = append(q.order[:i:i], q.order[i+1:]...)
		if len(q.waiting[c]) > 0 {
			q.order = append(q.order, c)
		} else {
			delete(q.waiting, c)
		}
		q.n--
		q.running[c]++
		return j
	}
	return nil
}

// done gives back the worker slot a popped job held.
func (q *fairQueue) done(j *job) {
	q.mu.Lock()
	defer q.mu.Unlock()
	c := tenantOf(j.ctx)
	if q.running[c]--; q.running[c] <= 0 {
		delete(q.running, c)
	}
	q.changed()
}

func (q *fairQueue) changed() {
	close(q.wake)
	q.wake = make(chan struct{})
}
