package main

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/blob"
	"github.com/vitrine/vitrine/internal/envflag"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// backupConfig is vitrine backup's configuration: serve's storage flags
// and variables, so that one environment serves and backs up.
type backupConfig struct {
	Data  string
	DB    string
	Blobs string
	Out   string
}

// runBackup writes FILE, a gzipped tar of:
//
//	vitrine.db  a consistent copy of the SQLite database (VACUUM INTO),
//	            made online while the server runs
//	blobs.tsv   "digest<TAB>size" of every blob the copy refers to
//
// and checks that the blob store holds each listed blob. The blobs
// themselves are backed up by the storage's own means (docs/operations.md).
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c := &backupConfig{Data: "./data"}
	s := envflag.New("vitrine backup", os.LookupEnv, stderr)
	s.Summary("usage: vitrine backup --out FILE [flags]\n\nWrite an online backup of an embedded (SQLite) installation: a consistent copy of the\ndatabase and the list of blobs it refers to, in a gzipped tar. See docs/operations.md.\n\nExamples:\n  vitrine backup --out /backups/vitrine-$(date +%F).tar.gz\n  vitrine backup --data /var/lib/vitrine --out backup.tar.gz")
	s.Group("Flags")
	s.String(&c.Data, "data", "VITRINE_DATA", "data directory")
	s.String(&c.DB, "db", "VITRINE_DB", "the SQLite database (default DATA/vitrine.db)")
	s.String(&c.Blobs, "blobs", "VITRINE_BLOBS", "blob store to check the list against (default file://DATA/blobs)")
	s.String(&c.Out, "out", "VITRINE_BACKUP_OUT", "the backup file to write (.tar.gz)")
	if err := s.Parse(args); err != nil {
		return err
	}
	if c.Out == "" {
		return errors.New("--out is required")
	}
	if c.DB == "" {
		c.DB = filepath.Join(c.Data, "vitrine.db")
	}
	if c.Blobs == "" {
		c.Blobs = "file://" + filepath.Join(c.Data, "blobs")
	}
	if _, err := os.Stat(c.Out); err == nil {
		return fmt.Errorf("%s exists; backup does not overwrite", c.Out)
	}
	start := time.Now()
	tmp, err := os.MkdirTemp(filepath.Dir(c.Out), ".vitrine-backup-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	dbCopy := filepath.Join(tmp, "vitrine.db")
	blobs, err := sqlstore.BackupSQLite(ctx, c.DB, dbCopy)
	if err != nil {
		return err
	}
	missing, err := missingBlobs(ctx, c.Blobs, blobs)
	if err != nil {
		return err
	}
	var list strings.Builder
	var total int64
	for _, b := range blobs {
		fmt.Fprintf(&list, "%s\t%d\n", b.Digest, b.Size)
		total += b.Size
	}
	partial := filepath.Join(tmp, "backup.tar.gz")
	if err := writeBackup(partial, dbCopy, list.String()); err != nil {
		return err
	}
	if err := os.Rename(partial, c.Out); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(stdout, "backup %s: database and %d blobs listed (%s of blobs) in %s\n",
		c.Out, len(blobs), envflag.FormatBytes(total), time.Since(start).Round(time.Millisecond))
	if len(missing) > 0 {
		for _, d := range missing[:min(10, len(missing))] {
			fmt.Fprintf(stderr, "missing blob %s\n", d)
		}
		return fmt.Errorf("%d blobs the database refers to are not in %s", len(missing), c.Blobs)
	}
	return nil
}

// missingBlobs returns the digests of list that the store does not hold.
func missingBlobs(ctx context.Context, blobsURL string, list []vitrine.BlobInfo) ([]string, error) {
	have := make(map[string]bool, len(list))
	err := blob.ListURL(ctx, blobsURL, func(b vitrine.BlobInfo) error {
		have[b.Digest] = true
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list blobs: %w", err)
	}
	var out []string
	for _, b := range list {
		if !have[b.Digest] {
			out = append(out, b.Digest)
		}
	}
	return out, nil
}

// writeBackup writes the archive and syncs it.
func writeBackup(path, dbCopy, list string) (err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	db, err := os.Open(dbCopy)
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := db.Stat()
	if err != nil {
		return err
	}
	now := time.Now()
	if err := tw.WriteHeader(&tar.Header{Name: "vitrine.db", Mode: 0o600, Size: st.Size(), ModTime: now}); err != nil {
		return err
	}
	if _, err := io.Copy(tw, db); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := tw.WriteHeader(&tar.Header{Name: "blobs.tsv", Mode: 0o600, Size: int64(len(list)), ModTime: now}); err != nil {
		return err
	}
	if _, err := io.WriteString(tw, list); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := gz.Close(); err != nil {
		return err
	}
	return f.Sync()
}
