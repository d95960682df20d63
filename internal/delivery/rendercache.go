package delivery

import (
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// renditionCache is a bounded disk cache of rendered images, keyed by
// (company, version digest, canonical modifiers). It forgets everything on
// start: it is only a cache. Files are written to a temp name and renamed,
// so a reader never sees a partial rendition.
type renditionCache struct {
	dir    string
	max    int64
	memMax int64 // the hottest renditions also stay in memory, up to this

	mu      sync.Mutex
	size    int64
	lru     *list.List // front: most recently used
	index   map[string]*list.Element
	memSize int64
	mem     *list.List // renditions whose body is in memory, front: most recent
}

type rendition struct {
	key   string
	file  string
	mime  string
	size  int64
	body  []byte        // nil when only on disk
	memEl *list.Element // in mem, when body != nil
}

func newRenditionCache(dir string, max int64) (*renditionCache, error) {
	if err := os.RemoveAll(dir); err != nil {
		return nil, fmt.Errorf("clear rendition cache: %w", err)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("rendition cache: %w", err)
	}
	return &renditionCache{dir: dir, max: max, memMax: min(max/4, 128<<20), lru: list.New(), index: map[string]*list.Element{}, mem: list.New()}, nil
}

func (c *renditionCache) fileFor(key string) string {
	h := sha256.Sum256([]byte(key))
	return filepath.Join(c.dir, hex.EncodeToString(h[:]))
}

// get returns the cached bytes and type of key.
func (c *renditionCache) get(key string) ([]byte, string, bool) {
	c.mu.Lock()
	el, ok := c.index[key]
	if !ok {
		c.mu.Unlock()
		return nil, "", false
	}
	c.lru.MoveToFront(el)
	r := el.Value.(*rendition)
	if r.body != nil {
		c.mem.MoveToFront(r.memEl)
		body, mime := r.body, r.mime
		c.mu.Unlock()
		return body, mime, true
	}
	c.mu.Unlock()
	b, err := os.ReadFile(r.file)
	if err != nil { // evicted under us
		return nil, "", false
	}
	c.mu.Lock()
	if el, ok := c.index[key]; ok && el.Value.(*rendition) == r && r.body == nil {
		c.keepInMemory(r, b)
	}
	c.mu.Unlock()
	return b, r.mime, true
}

// keepInMemory holds r's body in memory, dropping the coldest bodies
// beyond memMax. Callers hold mu. Bodies are never modified once cached.
func (c *renditionCache) keepInMemory(r *rendition, body []byte) {
	r.body = body
	r.memEl = c.mem.PushFront(r)
	c.memSize += r.size
	for c.memSize > c.memMax && c.mem.Len() > 0 {
		c.forget(c.mem.Back().Value.(*rendition))
	}
}

// forget drops r's body from memory. Callers hold mu.
func (c *renditionCache) forget(r *rendition) {
	if r.body == nil {
		return
	}
	c.mem.Remove(r.memEl)
	c.memSize -= r.size
	r.body, r.memEl = nil, nil
}

// put stores a rendition, evicting the least recently used beyond the bound.
func (c *renditionCache) put(key, mime string, body []byte) error {
	if int64(len(body)) > c.max/4 {
		return nil // too big to be worth the space
	}
	file := c.fileFor(key)
	tmp, err := os.CreateTemp(c.dir, "tmp-*")
	if err != nil {
		return fmt.Errorf("cache rendition: %w", err)
	}
	_, err = tmp.Write(body)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), file)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("cache rendition: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.index[key]; ok {
		old := el.Value.(*rendition)
		c.forget(old)
		c.size -= old.size
		c.lru.Remove(el)
	}
	r := &rendition{key: key, file: file, mime: mime, size: int64(len(body))}
	c.index[key] = c.lru.PushFront(r)
	c.size += r.size
	c.keepInMemory(r, body)
	for c.size > c.max && c.lru.Len() > 1 {
		old := c.lru.Remove(c.lru.Back()).(*rendition)
		c.forget(old)
		delete(c.index, old.key)
		c.size -= old.size
		os.Remove(old.file)
	}
	return nil
}
