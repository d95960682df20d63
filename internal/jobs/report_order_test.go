package jobs

import "testing"

// TestJobOrder: one job's changes and reports take turns, other jobs'
// do not wait, and a job's lock is forgotten once nobody holds it.
func TestJobOrder(t *testing.T) {
	o := newJobOrder()
	release := o.lock(5)
	if l := o.locks[5]; l == nil || l.mu.TryLock() {
		t.Fatal("job 5's lock is not held while its change runs")
	}
	other := o.lock(6) // another job goes on
	other()
	done := make(chan struct{})
	go func() {
		defer close(done)
		o.lock(5)() // waits for the first holder
	}()
	release()
	<-done
	if len(o.locks) != 0 {
		t.Errorf("locks left after use: %v", o.locks)
	}
}
