package events

import (
	"context"

	"github.com/vitrine/vitrine"
)

// JobEvent is the data of a "job" event: where a job stands now.
type JobEvent struct {
	ID        int64             `json:"id"`
	Type      vitrine.JobType   `json:"type"`
	Name      string            `json:"name"`
	Status    vitrine.JobStatus `json:"status"`
	Total     int               `json:"total"`
	Done      int               `json:"done"`
	Warnings  int               `json:"warnings"`
	Errors    int               `json:"errors"`
	Published int               `json:"published"`
	Message   string            `json:"message,omitempty"`
}

// JobChanged publishes a job's status and counts to its company: the job
// engine calls it after each change it commits (internal/jobs.Reporter).
// A report that arrives after the job's end was published (a cancel
// request's "stopping" overtaken by the worker's "cancelled") is dropped,
// so a stream never shows a job running again.
func (b *Broker) JobChanged(j *vitrine.JobRun) {
	if j == nil {
		return
	}
	ev := JobEvent{ID: j.ID, Type: j.Type, Name: j.Name, Status: j.Status, Total: j.Total, Done: j.Done,
		Warnings: j.Warnings, Errors: j.Errors, Published: j.Published, Message: j.Message}
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.jobs.admit(j.ID, j.Status) {
		return
	}
	b.publishLocked(j.CompanyID, TypeJob, mustJSON(ev))
}

// AssetEvent is the data of an "asset" event: assets whose publish state
// changed, each with its new state in the destinations that changed.
type AssetEvent struct {
	Assets []AssetState `json:"assets"`
}

// AssetState is one asset's new publish state.
type AssetState struct {
	Name string `json:"name"`
	// Published maps each destination that changed to the asset's live
	// entry there, or null when it is no longer published there.
	Published map[vitrine.Destination]*LiveState `json:"published"`
}

// LiveState is a live catalog entry as an event tells it.
type LiveState struct {
	Context vitrine.Context `json:"context"`
	Version int             `json:"version"`
}

// assetsPerEvent bounds one asset event, so that a publish batch of
// thousands of assets is a few events of moderate size, not thousands of
// events that would overflow every subscriber's buffer.
const assetsPerEvent = 100

// CatalogChanged publishes catalog changes as asset events of the company:
// the broker is a service.Subscriber of the change fan-out.
func (b *Broker) CatalogChanged(_ context.Context, c *vitrine.Company, changes []vitrine.CatalogChange) {
	var order []string
	states := map[string]*AssetState{}
	for _, ch := range changes {
		st := states[ch.Asset]
		if st == nil {
			st = &AssetState{Name: ch.Asset, Published: map[vitrine.Destination]*LiveState{}}
			states[ch.Asset] = st
			order = append(order, ch.Asset)
		}
		if ch.Action == vitrine.HistUnpublished {
			st.Published[ch.Destination] = nil
		} else {
			st.Published[ch.Destination] = &LiveState{Context: ch.Context, Version: ch.Version}
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for len(order) > 0 {
		n := min(len(order), assetsPerEvent)
		ev := AssetEvent{Assets: make([]AssetState, n)}
		for i, name := range order[:n] {
			ev.Assets[i] = *states[name]
		}
		b.publishLocked(c.ID, TypeAsset, mustJSON(ev))
		order = order[n:]
	}
}

// jobGuard remembers the jobs whose end was published, the most recent
// first out when full.
type jobGuard struct {
	ended map[int64]bool
	fifo  []int64
	next  int
}

func newJobGuard(n int) jobGuard { return jobGuard{ended: map[int64]bool{}, fifo: make([]int64, n)} }

// admit reports whether a job event with status may be published.
func (g *jobGuard) admit(id int64, status vitrine.JobStatus) bool {
	if g.ended[id] {
		return false
	}
	if status.Terminal() {
		if old := g.fifo[g.next]; old != 0 {
			delete(g.ended, old)
		}
		g.fifo[g.next], g.ended[id] = id, true
		g.next = (g.next + 1) % len(g.fifo)
	}
	return true
}
