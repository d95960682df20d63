package main

import (
	"strings"
	"testing"
)

// TestDataDirLock: a second server on the same data directory is refused
// with a message naming the directory and the owner; after the first
// releases it, the directory can be taken again.
func TestDataDirLock(t *testing.T) {
	dir := t.TempDir()
	release, err := lockDataDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lockDataDir(dir); err == nil || !strings.Contains(err.Error(), "another vitrine serve (pid") || !strings.Contains(err.Error(), dir) {
		t.Fatalf("second lock = %v, want a refusal naming the owner and %s", err, dir)
	}
	release()
	release2, err := lockDataDir(dir)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	release2()
}
