package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// nodeID returns this node's name, kept in DATA/node-id so that it stays
// the same across restarts: the job engine uses it to take back at once
// the jobs this node's previous run left running when it was killed. The
// data directory is locked (lockDataDir) before this is called, so no
// other process makes the file at the same time.
func nodeID(data string) (string, error) {
	path := filepath.Join(data, "node-id")
	b, err := os.ReadFile(path)
	if err == nil {
		if id := strings.TrimSpace(string(b)); id != "" {
			return id, nil
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("node id: %w", err)
	}
	host, _ := os.Hostname()
	r := make([]byte, 6)
	rand.Read(r)
	id := "vitrine-" + hex.EncodeToString(r)
	if host != "" {
		id = host + "-" + hex.EncodeToString(r)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(id+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("node id: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", fmt.Errorf("node id: %w", err)
	}
	return id, nil
}
