package delivery

import (
	"sync"
	"time"
)

// ttlCache keeps lookups for a short time: delivery reads the catalog on
// every request, and most requests ask for the same few names. Entries are
// grouped by company so a change drops only that company's.
type ttlCache[V any] struct {
	mu      sync.Mutex
	ttl     time.Duration
	now     func() time.Time
	max     int
	entries map[string]map[string]ttlEntry[V] // company → key → entry
	n       int
	gens    map[string]uint64 // company → drops so far
	all     uint64            // drops of every company so far (dropAll)
}

type ttlEntry[V any] struct {
	v       V
	expires time.Time
}

func newTTLCache[V any](ttl time.Duration, max int, now func() time.Time) *ttlCache[V] {
	return &ttlCache[V]{ttl: ttl, max: max, now: now, entries: map[string]map[string]ttlEntry[V]{}, gens: map[string]uint64{}}
}

func (c *ttlCache[V]) get(company, key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[company][key]
	if !ok || c.now().After(e.expires) {
		var zero V
		return zero, false
	}
	return e.v, true
}

// gen returns the company's generation; take it before reading the
// database, and pass it to put.
func (c *ttlCache[V]) gen(company string) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gens[company] + c.all // both only grow: the sum changes when either does
}

// put stores v unless the company was dropped since gen was taken: a
// lookup that read the database before a change must not outlive it.
func (c *ttlCache[V]) put(company, key string, v V, gen uint64) {
	if c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gens[company]+c.all != gen {
		return
	}
	if c.n >= c.max { // crude bound: start over rather than track recency
		c.entries, c.n = map[string]map[string]ttlEntry[V]{}, 0
	}
	m := c.entries[company]
	if m == nil {
		m = map[string]ttlEntry[V]{}
		c.entries[company] = m
	}
	if _, ok := m[key]; !ok {
		c.n++
	}
	m[key] = ttlEntry[V]{v: v, expires: c.now().Add(c.ttl)}
}

// drop forgets every entry of a company.
func (c *ttlCache[V]) drop(company string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n -= len(c.entries[company])
	delete(c.entries, company)
	c.gens[company]++
}

// dropAll forgets every entry of every company: after a node may have
// missed changes (its cluster listener reconnected).
func (c *ttlCache[V]) dropAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries, c.n = map[string]map[string]ttlEntry[V]{}, 0
	c.all++
}
