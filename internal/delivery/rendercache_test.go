package delivery

import (
	"bytes"
	"fmt"
	"testing"
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
