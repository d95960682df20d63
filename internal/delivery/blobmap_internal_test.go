package delivery

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vitrine/vitrine/internal/blob"
)

// memBlob is a blob that is not a file (as S3's are).
type memBlob struct{ *bytes.Reader }

func (memBlob) Close() error       { return nil }
func (memBlob) ModTime() time.Time { return time.Time{} }
func (b memBlob) Size() int64      { return b.Reader.Size() }

// TestBlobBytes: a local blob is mapped (its file is in the process's
// mappings until released), any other is read; both give the contents.
func TestBlobBytes(t *testing.T) {
	ctx := context.Background()
	store, err := blob.OpenLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	want := bytes.Repeat([]byte("pyramid source "), 70000)
	sum := sha256.Sum256(want)
	digest := hex.EncodeToString(sum[:])
	spool := filepath.Join(store.SpoolDir(), "up")
	if err := os.MkdirAll(store.SpoolDir(), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(spool, want, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := store.PutFile(ctx, digest, spool); err != nil {
		t.Fatal(err)
	}
	b, err := store.Open(ctx, digest)
	if err != nil {
		t.Fatal(err)
	}
	got, release, err := blobBytes(b)
	b.Close()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("mapped local blob: contents differ")
	}
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Skip("no /proc/self/maps")
	}
	if !strings.Contains(string(maps), digest) {
		t.Error("the local blob was read into memory, not mapped")
	}
	release()
	if maps, _ := os.ReadFile("/proc/self/maps"); strings.Contains(string(maps), digest) {
		t.Error("the local blob is still mapped after release")
	}

	got, release, err = blobBytes(memBlob{bytes.NewReader(want)})
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if !bytes.Equal(got, want) {
		t.Error("read blob: contents differ")
	}
}
