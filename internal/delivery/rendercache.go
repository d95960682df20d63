package delivery

import (
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// renditionCache is a bounded disk cache of rendered images. Keys are
// rendition keys (renditionKey); each entry is one file named by the
// key's digest, with the content type and checks in a header
// (rendercache_file.go), so the cache survives a restart: on start it
// indexes what is on disk, newest first, up to its bound. Files are written
// to a temp name and renamed, so a reader never sees a partial rendition,
// and a file that does not check out is deleted rather than served.
type renditionCache struct {
	dir    string
	max    int64
	memMax int64 // the hottest renditions also stay in memory, up to this

	mu      sync.Mutex
	size    int64                    // bytes of the files indexed
	lru     *list.List               // front: most recently used
	index   map[string]*list.Element // by file name
	memSize int64
	mem     *list.List // renditions whose body is in memory, front: most recent
}

type rendition struct {
	name  string // file name: hex digest of the key
	file  string
	mime  string
	size  int64     // of the file
	used  time.Time // file's mtime, as last set: the recency kept across restarts
	body  []byte    // nil when only on disk
	memEl *list.Element
}

// touchEvery is how stale a file's mtime may get before a hit refreshes it:
// the order in which a restart keeps files needs no finer recency, and a
// hit should rarely cost a system call.
const touchEvery = time.Hour

// tempPrefix names files being written; any left at start are from a crash.
const tempPrefix = "tmp-"

// newRenditionCache opens the cache in dir, indexing the renditions a
// previous run left there.
func newRenditionCache(dir string, max int64) (*renditionCache, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("rendition cache: %w", err)
	}
	c := &renditionCache{dir: dir, max: max, memMax: min(max/4, 128<<20), lru: list.New(), index: map[string]*list.Element{}, mem: list.New()}
	if err := c.load(); err != nil {
		return nil, fmt.Errorf("rendition cache: %w", err)
	}
	return c, nil
}

// load indexes the files in the directory, newest first, until the bound;
// older ones are deleted, as are leftover temp files and files whose header
// or length does not check out. Names that are not the cache's are left
// alone.
func (c *renditionCache) load() error {
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return err
	}
	var found []*rendition
	for _, de := range entries {
		path := filepath.Join(c.dir, de.Name())
		if strings.HasPrefix(de.Name(), tempPrefix) {
			os.Remove(path)
			continue
		}
		name, ok := parseName(de.Name())
		if !ok || !de.Type().IsRegular() {
			continue
		}
		h, fi, err := statRendition(path, name)
		if err != nil {
			if !errors.Is(err, fs.ErrPermission) {
				os.Remove(path)
			}
			continue
		}
		found = append(found, &rendition{name: de.Name(), file: path, mime: h.mime, size: h.size(), used: fi.ModTime()})
	}
	slices.SortFunc(found, func(a, b *rendition) int { return b.used.Compare(a.used) })
	for _, r := range found {
		if c.size+r.size > c.max {
			os.Remove(r.file)
			continue
		}
		c.index[r.name] = c.lru.PushBack(r)
		c.size += r.size
	}
	return nil
}

func nameFor(key string) ([sha256.Size]byte, string) {
	sum := sha256.Sum256([]byte(key))
	return sum, hex.EncodeToString(sum[:])
}

// get returns the cached bytes and type of key.
func (c *renditionCache) get(key string) ([]byte, string, bool) {
	sum, name := nameFor(key)
	return c.getNamed(sum, name)
}

// getNamed is get for a key whose digest and file name are known.
func (c *renditionCache) getNamed(sum [sha256.Size]byte, name string) ([]byte, string, bool) {
	now := time.Now()
	c.mu.Lock()
	el, ok := c.index[name]
	if !ok {
		c.mu.Unlock()
		return nil, "", false
	}
	c.lru.MoveToFront(el)
	r := el.Value.(*rendition)
	touch := now.Sub(r.used) > touchEvery
	if touch {
		r.used = now
	}
	if r.body != nil {
		c.mem.MoveToFront(r.memEl)
		body, mime := r.body, r.mime
		c.mu.Unlock()
		if touch {
			os.Chtimes(r.file, now, now)
		}
		return body, mime, true
	}
	c.mu.Unlock()
	data, err := os.ReadFile(r.file)
	var body []byte
	var mime string
	if err == nil {
		body, mime, err = decodeRendition(data, sum)
	}
	if err != nil { // evicted under us, or damaged: never served
		c.drop(r, !errors.Is(err, fs.ErrNotExist))
		return nil, "", false
	}
	if touch {
		os.Chtimes(r.file, now, now)
	}
	c.mu.Lock()
	if el, ok := c.index[name]; ok && el.Value.(*rendition) == r && r.body == nil {
		c.keepInMemory(r, body)
	}
	c.mu.Unlock()
	return body, mime, true
}

// drop forgets r if it is still the entry for its name, deleting its file
// when remove is set. A rendition stored again meanwhile is left alone.
func (c *renditionCache) drop(r *rendition, remove bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.index[r.name]
	if !ok || el.Value.(*rendition) != r {
		return
	}
	c.evict(el)
	if remove {
		os.Remove(r.file)
	}
}

// evict removes an entry from the index. Callers hold mu and delete the
// file if they need to.
func (c *renditionCache) evict(el *list.Element) *rendition {
	r := c.lru.Remove(el).(*rendition)
	c.forget(r)
	delete(c.index, r.name)
	c.size -= r.size
	return r
}

// keepInMemory holds r's body in memory, dropping the coldest bodies
// beyond memMax. Callers hold mu. Bodies are never modified once cached.
func (c *renditionCache) keepInMemory(r *rendition, body []byte) {
	r.body = body
	r.memEl = c.mem.PushFront(r)
	c.memSize += int64(len(body))
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
	c.memSize -= int64(len(r.body))
	r.body, r.memEl = nil, nil
}

// put stores a rendition, evicting the least recently used beyond the bound.
func (c *renditionCache) put(key, mime string, body []byte) error {
	if int64(len(body)) > c.max/4 {
		return nil // too big to be worth the space
	}
	sum, name := nameFor(key)
	data, err := encodeRendition(sum, mime, body)
	if err != nil {
		return fmt.Errorf("cache rendition: %w", err)
	}
	file := filepath.Join(c.dir, name)
	tmp, err := os.CreateTemp(c.dir, tempPrefix+"*")
	if err != nil {
		return fmt.Errorf("cache rendition: %w", err)
	}
	_, err = tmp.Write(data)
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
	if el, ok := c.index[name]; ok {
		c.evict(el) // the file is already replaced
	}
	r := &rendition{name: name, file: file, mime: mime, size: int64(len(data)), used: time.Now()}
	c.index[name] = c.lru.PushFront(r)
	c.size += r.size
	c.keepInMemory(r, body)
	for c.size > c.max && c.lru.Len() > 1 {
		os.Remove(c.evict(c.lru.Back()).file)
	}
	return nil
}
