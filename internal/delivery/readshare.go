package delivery

import (
	"sync"

	"github.com/vitrine/vitrine"
)

// readShare keeps one company from holding every read slot (the originals
// in memory for rendering, acquire): a company may hold at most half of
// them (at least one), so a burst of one tenant's heavy renders leaves
// slots for the others. Half of the slots is the render pool's worth of
// work (MaxReads is twice the cores), so a lone company still keeps every
// worker busy.
type readShare struct {
	limit int

	mu sync.Mutex
	by map[int64]int
}

func newReadShare(slots int) *readShare {
	return &readShare{limit: max(1, slots/2), by: map[int64]int{}}
}

// take counts one slot for company, or refuses when it holds its share.
func (s *readShare) take(company int64) (release func(), err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.by[company] >= s.limit {
		return nil, vitrine.Errorf(vitrine.EUNAVAILABLE, "busy")
	}
	s.by[company]++
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.by[company]--; s.by[company] <= 0 {
			delete(s.by, company)
		}
	}, nil
}
