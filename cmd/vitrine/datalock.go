package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// lockDataDir takes an exclusive lock on the data directory for the life of
// the process, so a second `vitrine serve` on the same directory (the same
// SQLite file, the same blobs and rendition cache) refuses to start instead
// of sharing them unseen. The lock is the kernel's (flock): it goes with the
// process, even after kill -9, so there is never a stale lock to clean. The
// file holds the owner's pid, for the message.
func lockDataDir(dir string) (release func(), err error) {
	path := filepath.Join(dir, ".lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("data directory lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		b := make([]byte, 32)
		n, _ := f.ReadAt(b, 0)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			owner := ""
			if pid, perr := strconv.Atoi(strings.TrimSpace(string(b[:n]))); perr == nil {
				owner = fmt.Sprintf(" (pid %d)", pid)
			}
			return nil, fmt.Errorf("another vitrine serve%s is using the data directory %s; stop it first, or give this one its own --data", owner, dir)
		}
		return nil, fmt.Errorf("data directory lock: %w", err)
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return func() { f.Close() }, nil
}
