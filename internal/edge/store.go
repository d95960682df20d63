package edge

import (
	"errors"
	"hash/maphash"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/maypok86/otter/v2"
)

// store holds the memory and disk tiers and the index over both: which
// cache keys are stored where, and which keys each purge tag names.
//
// Locking, in the only order allowed (rw, then a stripe, then the memory
// tier, then mu):
//   - rw orders content writes against purges: a write holds it shared, a
//     purge exclusively. A purge therefore sees every write that began
//     before it, and a write that begins after it finds it in the log.
//   - stripes serialise the writes of one key, so that the index's record
//     of what memory holds (object.mem) matches the last value set.
//   - mu guards the index, the disk bookkeeping and the purge log. It is a
//     leaf: the memory tier calls onMemoryDelete from inside its own locks,
//     so nothing calls the memory tier while holding mu.
//
// Invariant: every entry in either tier has an object in the index with
// its tags, so a purge finds everything it names.
type store struct {
	mem    *otter.Cache[string, *entry]
	memMax int64
	disk   *disk // nil without a disk tier
	log    *slog.Logger

	rw      sync.RWMutex
	seed    maphash.Seed
	stripes [64]sync.Mutex

	mu      sync.Mutex
	objects map[string]*object
	tags    map[string]map[string]struct{} // tag → cache keys
	purges  purgeLog
	epoch   atomic.Uint64 // number of purges so far; written under rw and mu

	// vary maps a normalised URL to the request headers its responses
	// vary on, for URLs that vary at all. Kept while any variant is stored.
	vary sync.Map
	// spawn runs maintenance of the memory tier on a goroutine of the
	// node's (Node.goBackground), set by New before the store is used;
	// false: run it here.
	spawn func(func()) bool
}

// object is the index's record of one cache key.
type object struct {
	tags []string
	mem  *entry    // the entry the memory tier holds, nil if none
	file *diskFile // nil if not on disk
}

func newStore(memBytes int64, diskDir string, diskBytes int64, log *slog.Logger) (*store, error) {
	s := &store{
		memMax:  memBytes,
		log:     log,
		seed:    maphash.MakeSeed(),
		objects: map[string]*object{},
		tags:    map[string]map[string]struct{}{},
	}
	mem, err := otter.New(&otter.Options[string, *entry]{
		MaximumWeight:    uint64(memBytes),
		Weigher:          func(_ string, e *entry) uint32 { return e.weight() },
		OnAtomicDeletion: s.onMemoryDelete,
		// Maintenance (evictions, whose OnAtomicDeletion takes s.mu,
		// held across disk renames) runs on a goroutine the node owns and
		// Close waits for, not on the caller's: the front's hit loop reads
		// the memory tier on its one thread and must not wait on a disk.
		// Without a node (or once it is closed), on the caller's.
		Executor: func(fn func()) {
			if s.spawn == nil || !s.spawn(fn) {
				fn()
			}
		},
	})
	if err != nil {
		return nil, err
	}
	s.mem = mem
	if diskDir != "" {
		if s.disk, err = openDisk(diskDir, diskBytes); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *store) stripe(key string) *sync.Mutex {
	return &s.stripes[maphash.String(s.seed, key)%uint64(len(s.stripes))]
}

// varyOf returns the headers responses for primary vary on, if known.
func (s *store) varyOf(primary string) []string {
	if v, ok := s.vary.Load(primary); ok {
		return v.([]string)
	}
	return nil
}

// get returns the entry stored under key, from memory or else from disk
// (then promoted to memory). Freshness is the caller's business.
func (s *store) get(key string) (*entry, bool) {
	if e, ok := s.mem.GetIfPresent(key); ok {
		return e, true
	}
	if s.disk == nil {
		return nil, false
	}
	s.mu.Lock()
	o := s.objects[key]
	if o == nil || o.file == nil {
		s.mu.Unlock()
		return nil, false
	}
	f := *o.file
	s.disk.lru.MoveToFront(o.file.elem)
	s.mu.Unlock()

	// A purge may remove the file from here on; the read then fails and
	// this is a miss, or it won the race and the request, which began
	// before the purge finished, gets the old bytes.
	e, err := readEntry(f.path)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			s.log.Warn("edge: disk tier read failed", "err", err)
		}
		return nil, false
	}
	s.promote(key, e, f.seq)
	return e, true
}

// promote puts an entry read from disk into memory, unless its file was
// purged or rewritten since it was read.
func (s *store) promote(key string, e *entry, seq uint64) {
	if int64(e.weight()) > s.memMax {
		return
	}
	s.rw.RLock()
	defer s.rw.RUnlock()
	lk := s.stripe(key)
	lk.Lock()
	defer lk.Unlock()
	s.mu.Lock()
	o := s.objects[key]
	ok := o != nil && o.file != nil && o.file.seq == seq
	if ok {
		o.mem = e
	}
	s.mu.Unlock()
	if ok {
		s.mem.Set(key, e)
	}
}

// put stores e in both tiers unless a purge since epoch named it, and
// reports whether it did.
func (s *store) put(e *entry, epoch uint64) bool {
	// The file is written before any lock is taken and only renamed into
	// place below, so a purge never waits for a disk write.
	var tmp string
	var size int64
	if s.disk != nil && int64(len(e.Body)) <= s.disk.max/4 {
		// A bigger object would push out most of the tier at once.
		var err error
		if tmp, size, err = s.disk.writeTemp(e); err != nil {
			s.log.Warn("edge: disk tier write failed", "err", err)
		}
	}
	inMem := int64(e.weight()) <= s.memMax

	s.rw.RLock()
	defer s.rw.RUnlock()
	lk := s.stripe(e.Key)
	lk.Lock()
	defer lk.Unlock()

	s.mu.Lock()
	if s.purges.covers(epoch, s.epoch.Load(), e.Tags) {
		s.mu.Unlock()
		if tmp != "" {
			os.Remove(tmp)
		}
		return false
	}
	o := s.objects[e.Key]
	if o == nil {
		o = &object{}
		s.objects[e.Key] = o
	} else {
		s.untagLocked(e.Key, o.tags)
	}
	o.tags = e.Tags
	s.tagLocked(e.Key, e.Tags)
	if len(e.Vary) > 0 {
		s.vary.Store(e.Primary, e.Vary)
	} else {
		s.vary.Delete(e.Primary) // the origin stopped varying
	}
	o.mem = nil
	if inMem {
		o.mem = e
	}
	if tmp != "" {
		s.installLocked(e.Key, o, tmp, size)
	} else if o.file != nil {
		// An older version on disk would resurface once memory
		// dropped the new one.
		s.removeFileLocked(o)
	}
	s.evictDiskLocked()
	if o.mem == nil && o.file == nil {
		s.dropLocked(e.Key, o)
	}
	s.mu.Unlock()

	if inMem {
		s.mem.Set(e.Key, e)
	} else {
		s.mem.Invalidate(e.Key)
	}
	return true
}

// putPass remembers that key is not cacheable, in memory only: a marker
// holds no content, so purges need not find it.
func (s *store) putPass(e *entry) {
	s.remove(e.Key)
	s.mem.Set(e.Key, e)
}

// remove drops key from both tiers, as when the origin answers a
// revalidation with something that may not be stored.
func (s *store) remove(key string) {
	lk := s.stripe(key)
	lk.Lock()
	defer lk.Unlock()
	s.mu.Lock()
	if o := s.objects[key]; o != nil {
		if o.file != nil {
			s.removeFileLocked(o)
		}
		o.mem = nil
		s.dropLocked(key, o)
	}
	s.mu.Unlock()
	s.mem.Invalidate(key)
}

// purge removes every entry carrying one of tags, or everything, from both
// tiers before it returns, records the purge for fetches still in flight,
// and returns how many entries it removed.
func (s *store) purge(all bool, tags []string) int {
	s.rw.Lock()
	defer s.rw.Unlock()

	s.mu.Lock()
	rec := purgeRecord{epoch: s.epoch.Add(1), all: all, tags: make(map[string]struct{}, len(tags))}
	for _, t := range tags {
		rec.tags[t] = struct{}{}
	}
	s.purges.add(rec)
	keys := map[string]struct{}{}
	if all {
		for k := range s.objects {
			keys[k] = struct{}{}
		}
	} else {
		for _, t := range tags {
			for k := range s.tags[t] {
				keys[k] = struct{}{}
			}
		}
	}
	var files []string
	for k := range keys {
		o := s.objects[k]
		if o.file != nil {
			files = append(files, o.file.path)
			s.forgetFileLocked(o)
		}
		o.mem = nil
		s.dropLocked(k, o)
	}
	s.mu.Unlock()

	for k := range keys {
		s.mem.Invalidate(k)
	}
	if all {
		s.mem.InvalidateAll() // pass markers too
	}
	for _, f := range files {
		if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			s.log.Error("edge: purge could not remove a cache file", "file", f, "err", err)
		}
	}
	return len(keys)
}

// onMemoryDelete keeps the index in step with evictions from memory. It
// compares entries by identity: the memory tier reports deletions of
// values that a newer put may already have replaced.
func (s *store) onMemoryDelete(ev otter.DeletionEvent[string, *entry]) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.objects[ev.Key]
	if o == nil || o.mem != ev.Value {
		return
	}
	o.mem = nil
	if o.file == nil {
		s.dropLocked(ev.Key, o)
	}
}

func (s *store) tagLocked(key string, tags []string) {
	for _, t := range tags {
		set := s.tags[t]
		if set == nil {
			set = map[string]struct{}{}
			s.tags[t] = set
		}
		set[key] = struct{}{}
	}
}

func (s *store) untagLocked(key string, tags []string) {
	for _, t := range tags {
		set := s.tags[t]
		delete(set, key)
		if len(set) == 0 {
			delete(s.tags, t)
			if primary, ok := strings.CutPrefix(t, "u:"); ok {
				s.vary.Delete(primary)
			}
		}
	}
}

// dropLocked removes key from the index; the caller has emptied the tiers.
func (s *store) dropLocked(key string, o *object) {
	s.untagLocked(key, o.tags)
	delete(s.objects, key)
}

// tierStats is the size of both tiers, for metrics and tests.
type tierStats struct {
	memEntries, diskEntries int
	memBytes, diskBytes     int64
	indexed                 int
}

func (s *store) stats() tierStats {
	st := tierStats{memEntries: s.mem.EstimatedSize(), memBytes: int64(s.mem.WeightedSize())}
	s.mu.Lock()
	defer s.mu.Unlock()
	st.indexed = len(s.objects)
	if s.disk != nil {
		st.diskEntries, st.diskBytes = s.disk.lru.Len(), s.disk.used
	}
	return st
}
