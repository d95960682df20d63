package main_test

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vitrine/vitrine/internal/sqlstore"
)

// TestBackupOnlineAndRestore backs up a running server's SQLite
// installation, then restores it by the steps of docs/operations.md (the
// database from the archive, the blobs beside it) and serves the same
// assets from the copy.
func TestBackupOnlineAndRestore(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	n := startNode(t, data)
	n.uploadFiles(t, "shots", "a.jpg", "b.jpg", "c.jpg")
	// A set: its versions hold a manifest digest that is no blob.
	if st := n.call(t, "POST", "/sets", map[string]any{"name": "views", "type": "image_set",
		"members": []map[string]any{{"name": "a"}, {"name": "b"}}}, nil); st != http.StatusCreated {
		t.Fatalf("POST /sets: %d", st)
	}
	out := filepath.Join(t.TempDir(), "backup.tar.gz")
	cmd := exec.Command(binary(t), "backup", "--data", data, "--out", out)
	cmd.Env = os.Environ()
	if b, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(b), "3 blobs listed") {
		t.Fatalf("vitrine backup: %v\n%s", err, b)
	}
	if b, err := exec.Command(binary(t), "backup", "--data", data, "--out", out).CombinedOutput(); err == nil {
		t.Errorf("a second backup to the same file overwrote it:\n%s", b)
	}

	// Restore: unpack the database into a new data directory, copy the
	// blobs, start a server on it.
	restored := t.TempDir()
	files := untar(t, out, restored)
	if !slices.Equal(files, []string{"vitrine.db", "blobs.tsv"}) {
		t.Fatalf("archive holds %v", files)
	}
	if err := os.CopyFS(filepath.Join(restored, "blobs"), os.DirFS(filepath.Join(data, "blobs"))); err != nil {
		t.Fatal(err)
	}
	list, _ := os.ReadFile(filepath.Join(restored, "blobs.tsv"))
	var digests []string
	for line := range strings.Lines(string(list)) {
		digests = append(digests, strings.Fields(line)[0])
	}
	db, err := sqlstore.Open(context.Background(), filepath.Join(restored, "vitrine.db"))
	if err != nil {
		t.Fatal(err)
	}
	var inDB []string
	rows, err := db.SQL().Query(`SELECT DISTINCT sha256 FROM versions v
		WHERE NOT EXISTS (SELECT 1 FROM set_versions s WHERE s.version_id = v.id) ORDER BY sha256`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var d string
		rows.Scan(&d)
		inDB = append(inDB, d)
	}
	rows.Close()
	db.Close()
	if len(digests) != 3 || !slices.Equal(digests, inDB) {
		t.Errorf("blobs.tsv lists %v; the copied database refers to %v", digests, inDB)
	}
	n.kill()
	r := startNode(t, restored)
	var list2 struct {
		Assets []struct {
			Name string `json:"name"`
		} `json:"assets"`
	}
	if code := r.call(t, "GET", "/assets?folder=shots", nil, &list2); code != http.StatusOK || len(list2.Assets) != 3 {
		t.Errorf("restored server lists %d assets (HTTP %d), want 3", len(list2.Assets), code)
	}
}

// untar unpacks a gzipped tar into dir and returns the names in order.
func untar(t *testing.T, path, dir string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var names []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return names
		} else if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
		w, err := os.Create(filepath.Join(dir, filepath.Base(h.Name)))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(w, tr)
		w.Close()
	}
}
