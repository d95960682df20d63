package delivery

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestRenditionCacheBounds(t *testing.T) {
	t.Parallel()
	c, err := newRenditionCache(t.TempDir(), 4000)
	if err != nil {
		t.Fatal(err)
	}
	c.memMax = 1500
	body := func(i int) []byte { return bytes.Repeat([]byte{byte(i)}, 500) }
	for i := range 10 {
		if err := c.put(fmt.Sprint(i), "image/jpeg", body(i)); err != nil {
			t.Fatal(err)
		}
	}
	if c.size > 4000 || c.memSize > 1500 {
		t.Fatalf("size %d (max 4000), memory %d (max 1500)", c.size, c.memSize)
	}
	if _, _, ok := c.get("0"); ok {
		t.Error("the oldest entry survived eviction")
	}
	// Entries on disk only are read back and promoted to memory.
	got, mime, ok := c.get("6")
	if !ok || mime != "image/jpeg" || !bytes.Equal(got, body(6)) {
		t.Fatalf("get(6) = %d bytes %q %v", len(got), mime, ok)
	}
	if c.memSize > 1500 {
		t.Errorf("memory %d after promotion, max 1500", c.memSize)
	}
	for i := 6; i < 10; i++ {
		if got, _, ok := c.get(fmt.Sprint(i)); !ok || !bytes.Equal(got, body(i)) {
			t.Errorf("get(%d) lost", i)
		}
	}
}

// TestRenditionCacheDamageWhileRunning damages the file of an entry whose
// body is no longer in memory: get misses and deletes the file.
func TestRenditionCacheDamageWhileRunning(t *testing.T) {
	t.Parallel()
	damages := map[string]func([]byte) []byte{
		"truncated":    func(b []byte) []byte { return b[:len(b)-1] },
		"longer":       func(b []byte) []byte { return append(b, 0) },
		"body changed": func(b []byte) []byte { b[len(b)-1] ^= 1; return b },
		"mime changed": func(b []byte) []byte { b[fileFixedSize] ^= 1; return b },
		"magic":        func(b []byte) []byte { b[0] = 'X'; return b },
		"empty":        func([]byte) []byte { return nil },
	}
	for name, damage := range damages {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, err := newRenditionCache(t.TempDir(), 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.put("k", "image/png", bytes.Repeat([]byte{7}, 100)); err != nil {
				t.Fatal(err)
			}
			_, file := nameFor("k")
			file = filepath.Join(c.dir, file)
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, damage(b), 0o600); err != nil {
				t.Fatal(err)
			}
			c.forget(c.index[filepath.Base(file)].Value.(*rendition)) // as if pushed out of memory
			if got, mime, ok := c.get("k"); ok {
				t.Errorf("get = %d bytes %q, want a miss", len(got), mime)
			}
			if _, err := os.Stat(file); !os.IsNotExist(err) {
				t.Errorf("damaged file kept: %v", err)
			}
			if c.size != 0 || len(c.index) != 0 {
				t.Errorf("index keeps %d entries, %d bytes", len(c.index), c.size)
			}
		})
	}
}

// TestRenditionCacheLoad reopens a cache directory: renditions come back,
// newest first up to the bound; temp files and damaged files are deleted;
// files that are not the cache's are left alone.
func TestRenditionCacheLoad(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c, err := newRenditionCache(dir, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	body := func(i int) []byte { return bytes.Repeat([]byte{byte(i)}, 1000) }
	start := time.Now().Add(-time.Hour)
	for i := range 6 {
		key := fmt.Sprint(i)
		if err := c.put(key, "image/webp", body(i)); err != nil {
			t.Fatal(err)
		}
		_, name := nameFor(key)
		at := start.Add(time.Duration(i) * time.Minute) // 0 oldest, 5 newest
		if err := os.Chtimes(filepath.Join(dir, name), at, at); err != nil {
			t.Fatal(err)
		}
	}
	fileSize := c.size / 6
	_, truncated := nameFor("2")
	if err := os.Truncate(filepath.Join(dir, truncated), fileSize-1); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{
		"tmp-123":    "partial",
		"README":     "not ours",
		"notes.json": "{}",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	// Room for three of the five intact files: 5, 4, 3 stay; 2 is damaged;
	// 1 and 0 are the oldest.
	c, err = newRenditionCache(dir, 3*fileSize+fileSize/2)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		got, mime, ok := c.get(fmt.Sprint(i))
		if want := i >= 3; ok != want || (ok && (mime != "image/webp" || !bytes.Equal(got, body(i)))) {
			t.Errorf("get(%d) = %d bytes %q %v, want %v", i, len(got), mime, ok, want)
		}
	}
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	want := []string{"README", "notes.json"}
	for i := 3; i < 6; i++ {
		_, name := nameFor(fmt.Sprint(i))
		want = append(want, name)
	}
	slices.Sort(names)
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("files left = %v, want %v", names, want)
	}
}

// BenchmarkRenditionCacheLoad measures a start on a directory of 10,000
// cached renditions.
func BenchmarkRenditionCacheLoad(b *testing.B) {
	dir := b.TempDir()
	c, err := newRenditionCache(dir, 1<<30)
	if err != nil {
		b.Fatal(err)
	}
	body := bytes.Repeat([]byte{1}, 4096)
	for i := range 10_000 {
		if err := c.put(fmt.Sprint(i), "image/jpeg", body); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		c, err := newRenditionCache(dir, 1<<30)
		if err != nil || len(c.index) != 10_000 {
			b.Fatalf("%d entries, %v", len(c.index), err)
		}
	}
}
