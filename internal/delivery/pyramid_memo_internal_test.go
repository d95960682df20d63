package delivery

import (
	"os"
	"path/filepath"
	"testing"
)

// TestPyramidReadyMemo: once a pyramid is seen built, the header's answer
// no longer looks at the disk; until then it does.
func TestPyramidReadyMemo(t *testing.T) {
	p := &pyramids{dir: t.TempDir()}
	digest := "ab0123456789"
	if p.readyMemo(digest) {
		t.Fatal("ready before the pyramid exists")
	}
	path := p.path(digest)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("tiff"), 0o644); err != nil {
		t.Fatal(err)
	}
	if !p.readyMemo(digest) {
		t.Fatal("not ready once built")
	}
	// Only the sweep deletes a pyramid, and it forgets it; a file removed
	// behind its back is still taken as built by the header.
	os.Remove(path)
	if !p.readyMemo(digest) {
		t.Error("the memo looked at the disk again")
	}
	if p.ready(digest) {
		t.Error("ready (renders) answered from the memo")
	}
}
