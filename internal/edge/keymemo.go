package edge

import "sync"

// keyMemo remembers the cache keys Normalize gave for the URLs seen lately,
// up to max: Normalize is a pure function, and the origin-aware one parses
// the whole modifier string, which is most of a memory hit's own work. When
// full it starts over rather than tracking recency.
type keyMemo struct {
	normalize func(path, query string) string
	max       int

	mu sync.Mutex
	m  map[rawURL]string
}

type rawURL struct{ path, query string }

func newKeyMemo(normalize func(path, query string) string, max int) *keyMemo {
	return &keyMemo{normalize: normalize, max: max, m: map[rawURL]string{}}
}

// key returns normalize(path, query).
func (k *keyMemo) key(path, query string) string {
	u := rawURL{path, query}
	k.mu.Lock()
	key, ok := k.m[u]
	k.mu.Unlock()
	if ok {
		return key
	}
	key = k.normalize(path, query)
	if len(path)+len(query) > 4<<10 {
		return key // rare and large: not worth the memory
	}
	k.mu.Lock()
	if len(k.m) >= k.max {
		clear(k.m)
	}
	k.m[u] = key
	k.mu.Unlock()
	return key
}
