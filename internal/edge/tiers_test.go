package edge

import (
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// sized makes the origin answer every path with a cacheable body of n
// bytes.
func sized(n int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=600")
		w.Header().Set("Xkey", assetKey(r.URL.Path))
		body := strings.Repeat("x", n-len(r.URL.Path)) + r.URL.Path
		w.Write([]byte(body))
	}
}

func (f *fixture) fill(count int) {
	f.t.Helper()
	for i := range count {
		if r := f.get(fmt.Sprintf("/is/image/acme/a%d", i)); r.Status != 200 {
			f.t.Fatalf("fill %d = %d", i, r.Status)
		}
	}
	f.node.store.mem.CleanUp()
}

// misses requests every filled asset again and counts the misses.
func (f *fixture) misses(count int) int {
	f.t.Helper()
	n := 0
	for i := range count {
		r := f.get(fmt.Sprintf("/is/image/acme/a%d", i))
		if !strings.HasSuffix(r.Body, fmt.Sprintf("/a%d", i)) {
			f.t.Fatalf("a%d: wrong body", i)
		}
		if r.cache() != "HIT" {
			n++
		}
	}
	return n
}

func TestMemoryTierIsBounded(t *testing.T) {
	t.Parallel()
	const bound = 40 << 10
	f := setup(t, func(c *Config) { c.MemoryBytes = bound })
	f.origin.setHandler(sized(10 << 10))
	f.fill(10)

	st := f.node.store.stats()
	if st.memBytes > bound {
		t.Errorf("memory tier holds %d bytes, bound %d", st.memBytes, bound)
	}
	if st.indexed != st.memEntries {
		t.Errorf("index has %d entries, memory %d: evictions must leave the index", st.indexed, st.memEntries)
	}
	// At most 3 of 10 fit, so at least 7 must be fetched again.
	if got := f.misses(10); got < 7 {
		t.Errorf("second pass misses = %d, want at least 7", got)
	}
}

func TestDiskTierKeepsWhatMemoryEvicts(t *testing.T) {
	t.Parallel()
	f := setup(t, func(c *Config) {
		c.MemoryBytes = 40 << 10
		c.DiskDir = t.TempDir()
		c.DiskBytes = 1 << 20
	})
	f.origin.setHandler(sized(10 << 10))
	f.fill(10)

	if st := f.node.store.stats(); st.memEntries >= 10 || st.diskEntries != 10 {
		t.Fatalf("memory %d entries, disk %d; want memory to have evicted some and disk to hold all 10", st.memEntries, st.diskEntries)
	}
	if got := f.misses(10); got != 0 {
		t.Errorf("second pass misses = %d, want 0: the disk tier serves what memory dropped", got)
	}
	if got := f.origin.count("/is/image/acme/a3"); got != 1 {
		t.Errorf("origin fetches of a3 = %d, want 1", got)
	}
}

func TestDiskTierIsBounded(t *testing.T) {
	t.Parallel()
	const bound = 60 << 10
	dir := t.TempDir()
	f := setup(t, func(c *Config) {
		c.MemoryBytes = 1 << 10 // nothing fits: everything is on disk only
		c.DiskDir = dir
		c.DiskBytes = bound
	})
	f.origin.setHandler(sized(10 << 10))
	f.fill(10)

	st := f.node.store.stats()
	files := 0
	var onDisk int64
	filepath.WalkDir(filepath.Join(dir, "objects"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			info, _ := d.Info()
			files++
			onDisk += info.Size()
		}
		return nil
	})
	if st.diskBytes > bound || onDisk != st.diskBytes || files != st.diskEntries {
		t.Errorf("disk tier: %d files, %d bytes; books say %d entries, %d bytes; bound %d", files, onDisk, st.diskEntries, st.diskBytes, bound)
	}
	if st.indexed != st.diskEntries {
		t.Errorf("index has %d entries, disk %d", st.indexed, st.diskEntries)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "tmp")); len(entries) != 0 {
		t.Errorf("%d temporary files left", len(entries))
	}
	// The least recently used went first: the last five are still there.
	for i := 5; i < 10; i++ {
		if r := f.get(fmt.Sprintf("/is/image/acme/a%d", i)); r.cache() != "HIT" {
			t.Errorf("a%d X-Cache = %s, want HIT", i, r.cache())
		}
	}
	if r := f.get("/is/image/acme/a0"); r.cache() != "MISS" {
		t.Errorf("a0 X-Cache = %s, want MISS", r.cache())
	}
}

func TestDiskTierStartsEmpty(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	old := filepath.Join(dir, "objects", "ab", "leftover")
	mine := filepath.Join(dir, "README")
	for _, p := range []string{old, mine} {
		os.MkdirAll(filepath.Dir(p), 0o750)
		os.WriteFile(p, []byte("x"), 0o640)
	}
	setup(t, func(c *Config) { c.DiskDir = dir })
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("leftover cache file: %v, want it removed", err)
	}
	if _, err := os.Stat(mine); err != nil {
		t.Errorf("file outside objects/ and tmp/: %v, want it kept", err)
	}
}

func TestDiskEntryRoundTrip(t *testing.T) {
	t.Parallel()
	d, err := openDisk(t.TempDir(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	e := &entry{
		Key: "/is/image/acme/shoe?wid=1\x00Accept=image/webp", Primary: "/is/image/acme/shoe?wid=1",
		Status: 200, Header: http.Header{"Etag": {`"1"`}, "Xkey": {"acme/shoe"}},
		Body: []byte("pixels"), Tags: []string{"u:/is/image/acme/shoe?wid=1", "k:acme/shoe"},
		Born: newFakeClock().Now(), TTL: 600e9, SWR: 60e9,
		Vary: []string{"Accept"}, VaryValues: []string{"image/webp"},
	}
	e.seal()
	tmp, size, err := d.writeTemp(e)
	if err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(tmp); info.Size() != size {
		t.Errorf("size = %d, file has %d", size, info.Size())
	}
	got, err := readEntry(tmp)
	if err != nil {
		t.Fatal(err)
	}
	// The reply head is not stored but made again on the way in.
	if diff := cmp.Diff(e, got, cmp.AllowUnexported(entry{})); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	os.WriteFile(tmp, []byte("VTE1\xff\xff\xff\xff{}"), 0o640)
	if _, err := readEntry(tmp); err == nil {
		t.Error("readEntry of a truncated file succeeded")
	}
}
