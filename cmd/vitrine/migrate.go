package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dustin/go-humanize"

	"github.com/vitrine/vitrine/internal/blob"
	"github.com/vitrine/vitrine/internal/envflag"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// migrateConfig is vitrine migrate's configuration. The target takes
// serve's --db and --blobs (and their variables), so the command runs in
// the environment of the server that will serve the target.
type migrateConfig struct {
	From     string
	DB       string
	Blobs    string
	Batch    int
	Parallel int
}

// migrateReport is what a run did, for its summary.
type migrateReport struct {
	tables       int
	rows, copied int64 // source rows; rows this run inserted or fixed
	sequences    []string
	blobs        int   // blobs in the source
	sent         int   // blobs this run sent
	sentBytes    int64 // their bytes
	verified     int64 // bytes read back and hashed
}

func (r *migrateReport) changed() bool {
	return r.copied > 0 || len(r.sequences) > 0 || r.sent > 0
}

// runMigrate copies an embedded installation (DATA/vitrine.db and
// DATA/blobs) to another database and blob store: every table, every blob,
// then checks row counts and every blob's SHA-256. A re-run resumes: rows
// and blobs already there are kept, not sent again.
func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c := &migrateConfig{Batch: 1000, Parallel: 4}
	s := envflag.New("vitrine migrate", os.LookupEnv, stderr)
	s.Summary("usage: vitrine migrate --from DATA --db postgres://… --blobs s3://… [flags]\n\n" +
		"Copy an embedded installation (the SQLite database and blob directory under DATA) to PostgreSQL and\n" +
		"a blob store: every table and every blob, then check row counts and every blob's SHA-256. Stop the\n" +
		"server first. Run it again to resume after an interruption. See docs/operations.md, \"Moving up\".\n\n" +
		"Examples:\n" +
		"  vitrine migrate --from /var/lib/vitrine --db postgres://vitrine@db/vitrine --blobs 's3://assets/prod?region=eu-west-1'\n" +
		"  vitrine migrate --from ./data --db postgres://localhost/vitrine --blobs file:///srv/vitrine/blobs")
	s.Group("Flags")
	s.String(&c.From, "from", "VITRINE_MIGRATE_FROM", "the embedded installation's data directory (the source; read, never written)")
	s.String(&c.DB, "db", "VITRINE_DB", "the target database: a postgres:// URL")
	s.String(&c.Blobs, "blobs", "VITRINE_BLOBS", "the target blob store: s3://bucket/prefix?… or file:///path (S3 credentials from the AWS environment)")
	s.Int(&c.Batch, "batch", "VITRINE_MIGRATE_BATCH", "rows per insert")
	s.Int(&c.Parallel, "parallel", "VITRINE_MIGRATE_PARALLEL", "blobs copied and checked at once")
	if err := s.Parse(args); err != nil {
		return err
	}
	if err := c.validate(); err != nil {
		return usageError{err}
	}
	start := time.Now()
	rep, err := migrate(ctx, c, stderr)
	if err != nil {
		return err
	}
	took := time.Since(start).Round(time.Millisecond)
	verified := fmt.Sprintf("row counts of %d tables and the SHA-256 of %d blobs (%s) match", rep.tables, rep.blobs, humanize.IBytes(uint64(rep.verified)))
	if !rep.changed() {
		fmt.Fprintf(stdout, "nothing to migrate: the target already holds all %d rows and %d blobs; nothing changed (%s) in %s\n",
			rep.rows, rep.blobs, verified, took)
		return nil
	}
	fmt.Fprintf(stdout, "migrated %s in %s: %d of %d rows written, %d of %d blobs sent (%s); %s\n",
		c.From, took, rep.copied, rep.rows, rep.sent, rep.blobs, humanize.IBytes(uint64(rep.sentBytes)), verified)
	if len(rep.sequences) > 0 {
		fmt.Fprintf(stdout, "id sequences advanced past the copied rows: %s\n", strings.Join(rep.sequences, ", "))
	}
	return nil
}

func (c *migrateConfig) validate() error {
	switch {
	case c.From == "":
		return errors.New("--from is required: the data directory of the installation to copy")
	case c.DB == "":
		return errors.New("--db is required: the target database (postgres://…)")
	case c.Blobs == "":
		return errors.New("--blobs is required: the target blob store (s3://… or file:///…)")
	case c.Batch < 1:
		return fmt.Errorf("--batch %d: want at least 1", c.Batch)
	case c.Parallel < 1:
		return fmt.Errorf("--parallel %d: want at least 1", c.Parallel)
	}
	if _, _, err := blob.ParseURL(c.Blobs); err != nil {
		return err
	}
	if same, _ := sameDir(c.Blobs, filepath.Join(c.From, "blobs")); same {
		return fmt.Errorf("--blobs %s is the source's own blob directory", c.Blobs)
	}
	return nil
}

// sameDir reports whether a file:// blob URL names dir.
func sameDir(blobsURL, dir string) (bool, error) {
	d, s3cfg, err := blob.ParseURL(blobsURL)
	if err != nil || s3cfg != nil {
		return false, err
	}
	a, err1 := filepath.Abs(d)
	b, err2 := filepath.Abs(dir)
	return err1 == nil && err2 == nil && a == b, nil
}

// migrate runs the copy: the source locked against a server, the target's
// schema migrated to the source's version and checked, then the rows, the
// sequences, the counts, the blobs and their checksums.
func migrate(ctx context.Context, c *migrateConfig, stderr io.Writer) (*migrateReport, error) {
	st, err := os.Stat(c.From)
	if err != nil || !st.IsDir() {
		return nil, fmt.Errorf("--from %s: not a data directory", c.From)
	}
	unlock, err := lockDataDir(c.From)
	if err != nil {
		return nil, err
	}
	defer unlock()
	tmp, err := os.MkdirTemp("", "vitrine-migrate-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	src, err := sqlstore.OpenSource(ctx, filepath.Join(c.From, "vitrine.db"), tmp)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	if src.Snapshot {
		fmt.Fprintf(stderr, "the source's schema is older: reading a migrated snapshot of it (the source is left as it is)\n")
	}
	dst, err := sqlstore.Open(ctx, c.DB)
	if err != nil {
		return nil, fmt.Errorf("target database: %w", err)
	}
	defer dst.Close()
	if err := dst.CheckTarget(ctx, src); err != nil {
		return nil, err
	}
	if n, err := src.UnfinishedJobs(ctx); err != nil {
		return nil, err
	} else if n > 0 {
		fmt.Fprintf(stderr, "warning: %d jobs of the source are queued or running; they are copied as they are, but the job engine's queue is not: re-run or cancel them on the new server\n", n)
	}
	srcBlobs, err := blob.ReadLocal(filepath.Join(c.From, "blobs"))
	if err != nil {
		return nil, fmt.Errorf("source blobs: %w", err)
	}
	spool := filepath.Join(tmp, "spool")
	if err := os.Mkdir(spool, 0o700); err != nil {
		return nil, err
	}
	dstBlobs, err := blob.OpenURL(ctx, c.Blobs, spool)
	if err != nil {
		return nil, fmt.Errorf("target blobs: %w", err)
	}
	rep := &migrateReport{}
	if err := migrateRows(ctx, c, src, dst, rep, stderr); err != nil {
		return nil, err
	}
	if err := migrateBlobs(ctx, c, src, srcBlobs, dstBlobs, rep, stderr); err != nil {
		return nil, err
	}
	return rep, nil
}

// migrateRows copies every table with a progress bar (sqlstore.CopyRows).
func migrateRows(ctx context.Context, c *migrateConfig, src *sqlstore.Source, dst *sqlstore.DB, rep *migrateReport, stderr io.Writer) error {
	tables, err := src.Tables(ctx)
	if err != nil {
		return err
	}
	var rows int64
	for _, t := range tables {
		rows += t.Rows
	}
	fmt.Fprintf(stderr, "copying %d rows of %d tables\n", rows, len(tables))
	bar := newCountProgress(stderr, rows, len(tables), "rows", "tables")
	cr, err := dst.CopyRows(ctx, src, c.Batch, func(_ string, n int) { bar.add(int64(n), n == 0) })
	bar.finish()
	if cr != nil {
		rep.tables, rep.rows, rep.copied, rep.sequences = len(cr.Tables), cr.Rows, cr.Written+cr.Corrected, cr.Sequences
	}
	return err
}
