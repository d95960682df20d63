package imaging

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// The render pool serves companies in turn, and a company at half of the
// workers gets no more while another company waits (issue 15, item 6): a
// hostile tenant's burst cannot hold every worker ahead of another
// tenant's render.
func TestFairQueueOrder(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		workers int
		push    string // company letter per job, in push order
		pops    int
		want    string // companies popped, in order
	}{
		{2, "AAAB", 3, "ABA"},     // A at its share (1) while B waits: B next
		{4, "AAAAB", 4, "ABAA"},   // in turn; then A alone may use the rest
		{4, "AAAABBB", 4, "ABAB"}, // in turn, each under its share
		{1, "AB", 1, "A"},         // one worker: a share of one
		{2, "AAA", 3, "AAA"},      // alone: every worker
	} {
		q := newFairQueue(100, tc.workers)
		for i, c := range tc.push {
			ctx := WithTenant(context.Background(), int64(c))
			if !q.push(&job{ctx: ctx, plan: nil, done: make(chan result, 1), src: []byte(fmt.Sprint(i))}) {
				t.Fatal("push refused")
			}
		}
		var got strings.Builder
		for range tc.pops {
			j := q.next()
			if j == nil {
				got.WriteString("-")
				continue
			}
			got.WriteRune(rune(tenantOf(j.ctx)))
		}
		if got.String() != tc.want {
			t.Errorf("workers %d, pushed %s: popped %s, want %s", tc.workers, tc.push, got.String(), tc.want)
		}
	}
}

// A finished render frees its company's slot; the queue bound is over all
// companies; pop returns nil once quit closes.
func TestFairQueueDoneAndBounds(t *testing.T) {
	t.Parallel()
	q := newFairQueue(3, 2)
	a := func() *job { return &job{ctx: WithTenant(context.Background(), 1), done: make(chan result, 1)} }
	b := &job{ctx: WithTenant(context.Background(), 2), done: make(chan result, 1)}
	a1, a2 := a(), a()
	q.push(a1)
	q.push(a2)
	q.push(b)
	if q.push(a()) {
		t.Error("push into a full queue accepted")
	}
	if j := q.next(); j != a1 {
		t.Fatal("first pop is not a1")
	}
	if j := q.next(); j != b {
		t.Fatal("second pop is not b (a at its share)")
	}
	q.done(a1)
	if j := q.next(); j != a2 {
		t.Fatal("a2 not popped once a1 is done")
	}
	quit := make(chan struct{})
	close(quit)
	if j := q.pop(quit); j != nil {
		t.Errorf("pop on an empty queue after quit = %v, want nil", j)
	}
}

// A company that took every worker while alone gets none of the next ones
// while another company waits, even when its render was queued first.
func TestFairQueueShareWhileOthersWait(t *testing.T) {
	t.Parallel()
	q := newFairQueue(100, 4)
	mk := func(c int64) *job { return &job{ctx: WithTenant(context.Background(), c), done: make(chan result, 1)} }
	for range 3 {
		q.push(mk(1))
	}
	for range 3 {
		if q.next() == nil {
			t.Fatal("company 1 alone cannot use the workers")
		}
	}
	q.push(mk(1)) // queued first
	b := mk(2)
	q.push(b)
	if j := q.next(); j != b {
		t.Errorf("next = company %d, want company 2 (company 1 holds 3 of 4 workers)", tenantOf(j.ctx))
	}
}
