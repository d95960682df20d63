package edge

import (
	"bufio"
	"container/list"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// diskMagic starts every cache file: format version 1.
const diskMagic = "VTE1"

// disk is the disk tier's bookkeeping: where files go, how many bytes they
// take and which was used least recently. The store's mutex guards it;
// file contents are read and written outside that lock.
type disk struct {
	objects string // final files, in 256 fan-out directories
	tmp     string // files being written, renamed into objects when complete
	max     int64
	used    int64
	lru     *list.List // of cache keys; front is most recently used
	seq     uint64
}

// diskFile is one entry's file as the index knows it.
type diskFile struct {
	path string
	size int64
	seq  uint64 // tells a rewritten file from the one a reader opened
	elem *list.Element
}

// openDisk prepares root for the disk tier, dropping whatever an earlier
// run left there (see Config.DiskDir for why).
func openDisk(root string, max int64) (*disk, error) {
	d := &disk{
		objects: filepath.Join(root, "objects"),
		tmp:     filepath.Join(root, "tmp"),
		max:     max,
		lru:     list.New(),
	}
	for _, dir := range []string{d.objects, d.tmp} {
		if err := os.RemoveAll(dir); err != nil {
			return nil, fmt.Errorf("edge: clear %s: %w", dir, err)
		}
	}
	for i := range 256 {
		if err := os.MkdirAll(filepath.Join(d.objects, fmt.Sprintf("%02x", i)), 0o750); err != nil {
			return nil, fmt.Errorf("edge: create disk tier: %w", err)
		}
	}
	if err := os.MkdirAll(d.tmp, 0o750); err != nil {
		return nil, fmt.Errorf("edge: create disk tier: %w", err)
	}
	return d, nil
}

// path names a key's file by its hash, so any key makes a safe file name.
func (d *disk) path(key string) string {
	sum := sha256.Sum256([]byte(key))
	name := hex.EncodeToString(sum[:])
	return filepath.Join(d.objects, name[:2], name)
}

// writeTemp writes e to a new temporary file and returns its name and
// size. The file only becomes visible when the store renames it.
func (d *disk) writeTemp(e *entry) (string, int64, error) {
	meta, err := json.Marshal(e)
	if err != nil {
		return "", 0, fmt.Errorf("edge: encode entry: %w", err)
	}
	f, err := os.CreateTemp(d.tmp, "entry-*")
	if err != nil {
		return "", 0, fmt.Errorf("edge: disk tier: %w", err)
	}
	w := bufio.NewWriterSize(f, 64<<10)
	w.WriteString(diskMagic)
	binary.Write(w, binary.BigEndian, uint32(len(meta)))
	w.Write(meta)
	w.Write(e.Body)
	err = errors.Join(w.Flush(), f.Close())
	if err != nil {
		os.Remove(f.Name())
		return "", 0, fmt.Errorf("edge: write %s: %w", f.Name(), err)
	}
	return f.Name(), int64(len(diskMagic) + 4 + len(meta) + len(e.Body)), nil
}

// readEntry loads a cache file. The body aliases the file's bytes.
func readEntry(path string) (*entry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(data) < len(diskMagic)+4 || string(data[:len(diskMagic)]) != diskMagic {
		return nil, fmt.Errorf("edge: %s is not a cache file", path)
	}
	data = data[len(diskMagic):]
	n := binary.BigEndian.Uint32(data)
	data = data[4:]
	if uint64(n) > uint64(len(data)) {
		return nil, fmt.Errorf("edge: %s is truncated", path)
	}
	e := &entry{}
	if err := json.Unmarshal(data[:n], e); err != nil {
		return nil, fmt.Errorf("edge: decode %s: %w", path, err)
	}
	e.Body = data[n:]
	return e.seal(), nil
}

// The store methods below keep the disk bookkeeping and the index in step;
// all run under store.mu.

// installLocked renames a written temporary file into key's place.
func (s *store) installLocked(key string, o *object, tmp string, size int64) {
	path := s.disk.path(key)
	if err := os.Rename(tmp, path); err != nil {
		s.log.Warn("edge: disk tier rename failed", "err", err)
		os.Remove(tmp)
		if o.file != nil {
			s.removeFileLocked(o)
		}
		return
	}
	if o.file != nil {
		s.forgetFileLocked(o) // the rename replaced it
	}
	s.disk.seq++
	s.disk.used += size
	o.file = &diskFile{path: path, size: size, seq: s.disk.seq, elem: s.disk.lru.PushFront(key)}
}

func (s *store) removeFileLocked(o *object) {
	if err := os.Remove(o.file.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		s.log.Warn("edge: disk tier remove failed", "err", err)
	}
	s.forgetFileLocked(o)
}

// forgetFileLocked drops o's file from the books, not from the disk.
func (s *store) forgetFileLocked(o *object) {
	s.disk.used -= o.file.size
	s.disk.lru.Remove(o.file.elem)
	o.file = nil
}

// evictDiskLocked removes least recently used files until the disk tier
// fits its bound.
func (s *store) evictDiskLocked() {
	if s.disk == nil {
		return
	}
	for s.disk.used > s.disk.max {
		key := s.disk.lru.Back().Value.(string)
		o := s.objects[key]
		s.removeFileLocked(o)
		if o.mem == nil {
			s.dropLocked(key, o)
		}
	}
}
