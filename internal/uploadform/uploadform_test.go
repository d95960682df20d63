package uploadform_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"mime/multipart"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/vitrine/vitrine/internal/uploadform"
)

// TestReadCopiesThroughOneBuffer: a form's files are spooled one after
// the other through one copy buffer (the one lent, or one made for the
// request), not a new 256 KB buffer per file (a 1000-file form allocated
// 256 MB for them). Measured by the slope between a 10-file and a
// 60-file form, so that the fixed costs (the form's own 256 KB reading
// buffer, -race's bookkeeping) do not count.
func TestReadCopiesThroughOneBuffer(t *testing.T) {
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	read := func(files int, buf []byte) uint64 {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for i := range files {
			w, err := mw.CreateFormFile("file", fmt.Sprintf("f%02d.png", i))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Write(img.Bytes()); err != nil {
				t.Fatal(err)
			}
		}
		if err := mw.Close(); err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest("POST", "/upload", &body)
		r.Header.Set("Content-Type", mw.FormDataContentType())
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		form, err := uploadform.Read(httptest.NewRecorder(), r, uploadform.DefaultLimits(), dir, buf)
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		defer form.Remove()
		if len(form.Files) != files {
			t.Fatalf("%d files read, want %d", len(form.Files), files)
		}
		return after.TotalAlloc - before.TotalAlloc
	}
	lent := make([]byte, 256<<10)
	read(10, nil) // warm-up: first-use allocations of the packages involved
	own10, own60 := read(10, nil), read(60, nil)
	lent10, lent60 := read(10, lent), read(60, lent)
	// A buffer per file would be 256 KB a file; measured: about 2 KB (the
	// part's headers, the spool file, its probe), with -race too.
	for _, c := range []struct {
		name     string
		a10, a60 uint64
	}{{"no buffer lent", own10, own60}, {"a buffer lent", lent10, lent60}} {
		perFile := (int64(c.a60) - int64(c.a10)) / 50
		t.Logf("%s: %d KB for 10 files, %d KB for 60: %d KB a file", c.name, c.a10>>10, c.a60>>10, perFile>>10)
		if perFile > 32<<10 {
			t.Errorf("%s: %d KB allocated per file, want at most 32 KB", c.name, perFile>>10)
		}
	}
	// The lent buffer is used: without it the request makes its own.
	if saved := int64(own60) - int64(lent60); saved < 128<<10 {
		t.Errorf("a lent buffer saved %d KB against none lent, want the 256 KB buffer not made", saved>>10)
	}
}
