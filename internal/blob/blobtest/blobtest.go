// Package blobtest is the behaviour every blob store has, one suite that
// each backend runs (local files, S3): storing by digest, reading whole and
// by ranges, listing with sizes and times for the collector, deleting.
package blobtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/blob"
)

// Open returns a new, empty store for one test.
type Open func(t *testing.T) blob.Store

// Run runs the suite; each case opens its own store and runs in parallel.
func Run(t *testing.T, open Open) {
	for _, c := range []struct {
		name string
		fn   func(t *testing.T, s blob.Store)
	}{
		{"PutOpenDelete", testPutOpenDelete},
		{"RangeReads", testRangeReads},
		{"Large", testLarge},
		{"ServeContentRanges", testServeContent},
		{"ListBlobs", testListBlobs},
		{"ConcurrentSameDigest", testConcurrentSameDigest},
		{"BadDigests", testBadDigests},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.fn(t, open(t))
		})
	}
}

// Put spools data and stores it; it returns the digest.
func Put(t testing.TB, s vitrine.BlobStore, data []byte) string {
	t.Helper()
	sum := sha256.Sum256(data)
	d := hex.EncodeToString(sum[:])
	f, err := os.CreateTemp(s.SpoolDir(), "t-*")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(data); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := s.PutFile(context.Background(), d, f.Name()); err != nil {
		t.Fatalf("PutFile(%d bytes): %v", len(data), err)
	}
	if _, err := os.Stat(f.Name()); !os.IsNotExist(err) {
		t.Errorf("spool file still there after PutFile")
	}
	return d
}

// Random returns n reproducible pseudo-random bytes.
func Random(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func read(t *testing.T, s vitrine.BlobStore, d string) []byte {
	t.Helper()
	b, err := s.Open(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	got, err := io.ReadAll(b)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func testPutOpenDelete(t *testing.T, s blob.Store) {
	ctx := context.Background()
	a := Put(t, s, []byte("hello, blob"))
	if again := Put(t, s, []byte("hello, blob")); again != a {
		t.Fatal("same bytes, different digest")
	}
	b, err := s.Open(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	b.Seek(7, io.SeekStart)
	rest, _ := io.ReadAll(b)
	b.Close()
	if string(rest) != "blob" || b.Size() != 11 {
		t.Errorf("Open: seek+read = %q, size %d", rest, b.Size())
	}
	if ds, err := s.Digests(ctx); err != nil || len(ds) != 1 || ds[0] != a {
		t.Errorf("Digests = %v, %v; want one blob (a second upload of the same bytes is the same blob)", ds, err)
	}
	if err := s.Delete(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, a); err != nil {
		t.Errorf("deleting a missing blob: %v", err)
	}
	if _, err := s.Open(ctx, a); vitrine.ErrorCode(err) != vitrine.ENOTFOUND {
		t.Errorf("Open after Delete: %v, want not_found", err)
	}
	if _, err := s.StatBlob(ctx, a); vitrine.ErrorCode(err) != vitrine.ENOTFOUND {
		t.Errorf("StatBlob after Delete: %v, want not_found", err)
	}
}

func testBadDigests(t *testing.T, s blob.Store) {
	ctx := context.Background()
	for _, bad := range []string{"", "../../etc/passwd", "ABC", "ab/cd"} {
		if _, err := s.Open(ctx, bad); vitrine.ErrorCode(err) != vitrine.EINVALID {
			t.Errorf("Open(%q) = %v, want invalid", bad, err)
		}
		if err := s.Delete(ctx, bad); vitrine.ErrorCode(err) != vitrine.EINVALID {
			t.Errorf("Delete(%q) = %v, want invalid", bad, err)
		}
	}
}

// testRangeReads seeks about a blob of a few hundred KiB, as /is/content's
// ranges and libvips' readers do, and reads what follows.
func testRangeReads(t *testing.T, s blob.Store) {
	data := Random(700<<10+13, 1)
	d := Put(t, s, data)
	b, err := s.Open(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if b.Size() != int64(len(data)) {
		t.Fatalf("Size = %d, want %d", b.Size(), len(data))
	}
	for _, c := range []struct {
		off    int64
		whence int
		n      int
	}{
		{0, io.SeekStart, 10},
		{-100, io.SeekEnd, 100},
		{300 << 10, io.SeekStart, 200 << 10}, // crosses a window
		{5, io.SeekCurrent, 1},
		{0, io.SeekStart, len(data)},
		{int64(len(data)) - 1, io.SeekStart, 1},
	} {
		pos, err := b.Seek(c.off, c.whence)
		if err != nil {
			t.Fatalf("Seek(%d, %d): %v", c.off, c.whence, err)
		}
		got := make([]byte, c.n)
		if _, err := io.ReadFull(b, got); err != nil {
			t.Fatalf("read %d bytes at %d: %v", c.n, pos, err)
		}
		if !bytes.Equal(got, data[pos:pos+int64(c.n)]) {
			t.Errorf("read %d bytes at %d: wrong bytes", c.n, pos)
		}
	}
	if n, err := b.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		t.Errorf("Read at the end = %d, %v; want 0, EOF", n, err)
	}
}

// testLarge stores a blob larger than an S3 part (tests use 5 MiB parts),
// so that it goes up in several.
func testLarge(t *testing.T, s blob.Store) {
	data := Random(12<<20+7, 2)
	d := Put(t, s, data)
	if got := read(t, s, d); !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes, want the %d stored", len(got), len(data))
	}
	info, err := s.StatBlob(context.Background(), d)
	if err != nil || info.Size != int64(len(data)) {
		t.Errorf("StatBlob = %+v, %v", info, err)
	}
}

// testServeContent serves a blob as /is/content does (http.ServeContent)
// on a real listener and asks for byte ranges.
func testServeContent(t *testing.T, s blob.Store) {
	data := Random(300<<10, 3)
	d := Put(t, s, data)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := s.Open(r.Context(), d)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		defer b.Close()
		http.ServeContent(w, r, "blob", b.ModTime(), b)
	}))
	defer srv.Close()
	for _, c := range []struct {
		rng        string
		from, to   int
		wantStatus int
	}{
		{"bytes=0-99", 0, 100, http.StatusPartialContent},
		{"bytes=200000-", 200000, len(data), http.StatusPartialContent},
		{"bytes=-10", len(data) - 10, len(data), http.StatusPartialContent},
		{"", 0, len(data), http.StatusOK},
	} {
		req, _ := http.NewRequest("GET", srv.URL, nil)
		if c.rng != "" {
			req.Header.Set("Range", c.rng)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.wantStatus || !bytes.Equal(got, data[c.from:c.to]) {
			t.Errorf("GET Range %q = %d, %d bytes; want %d, bytes %d-%d", c.rng, resp.StatusCode, len(got), c.wantStatus, c.from, c.to)
		}
	}
}

// testListBlobs: the collector lists blobs with their sizes and the time
// they were stored, and a store with nothing partial aborts nothing.
func testListBlobs(t *testing.T, s blob.Store) {
	ctx := context.Background()
	before := time.Now().Add(-2 * time.Second) // S3 times have whole seconds
	want := map[string]int64{}
	for i := range 3 {
		data := Random(1000*(i+1), uint64(10+i))
		want[Put(t, s, data)] = int64(len(data))
	}
	after := time.Now().Add(2 * time.Second)
	got := map[string]int64{}
	err := s.ListBlobs(ctx, func(b vitrine.BlobInfo) error {
		got[b.Digest] = b.Size
		if b.ModTime.Before(before) || b.ModTime.After(after) {
			t.Errorf("blob %s: ModTime %v, not the time it was stored (%v to %v)", b.Digest[:8], b.ModTime, before, after)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Errorf("ListBlobs = %v, want %v", got, want)
	}
	for d, n := range want {
		if got[d] != n {
			t.Errorf("ListBlobs: %s has %d bytes, want %d", d[:8], got[d], n)
		}
	}
	if n, err := s.AbortPartialUploads(ctx, time.Now().Add(time.Hour)); err != nil || n != 0 {
		t.Errorf("AbortPartialUploads = %d, %v; want 0, nil", n, err)
	}
}

// testConcurrentSameDigest: two uploads of the same bytes at once (a
// retried request) leave one blob with the right contents.
func testConcurrentSameDigest(t *testing.T, s blob.Store) {
	data := Random(6<<20, 4)
	var wg sync.WaitGroup
	digests := make([]string, 3)
	for i := range digests {
		wg.Go(func() { digests[i] = Put(t, s, data) })
	}
	wg.Wait()
	ds, err := s.Digests(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ds, digests[:1]) {
		t.Errorf("Digests = %v, want the one blob", ds)
	}
	if got := read(t, s, digests[0]); !bytes.Equal(got, data) {
		t.Error("concurrent uploads of the same bytes corrupted the blob")
	}
}
