package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/vitrine/vitrine"
)

// Source is an embedded (SQLite) installation's database opened read-only
// for vitrine migrate: it is never written to. A source whose schema is
// older than this binary's is read from a migrated snapshot instead (the
// file itself stays as it was).
type Source struct {
	db       *sql.DB
	path     string // the file read: the database, or its migrated snapshot
	Version  int64  // the schema version read (after any snapshot's migrations)
	Snapshot bool   // whether the source was older and is read from a snapshot
}

// OpenSource opens the SQLite database at path read-only. When its schema
// is older than this binary's, it copies the database into tmpDir (VACUUM
// INTO, read-only on the source) and migrates the copy; when it is newer, it
// refuses: an older vitrine cannot know the newer tables.
func OpenSource(ctx context.Context, path, tmpDir string) (*Source, error) {
	if strings.HasPrefix(path, "postgres://") || strings.HasPrefix(path, "postgresql://") {
		return nil, vitrine.Errorf(vitrine.EINVALID, "the source of a migration is an embedded (SQLite) installation")
	}
	if _, err := os.Stat(path); err != nil {
		return nil, vitrine.Errorf(vitrine.ENOTFOUND, "source database %s: %v", path, err)
	}
	s, err := openSourceFile(ctx, path)
	if err != nil {
		return nil, err
	}
	latest, err := latestMigration()
	if err != nil {
		s.Close()
		return nil, err
	}
	switch {
	case s.Version == latest:
		return s, nil
	case s.Version > latest:
		s.Close()
		return nil, vitrine.Errorf(vitrine.ECONFLICT, "the source database's schema (version %d) is newer than this vitrine's (%d): migrate with the vitrine that last ran it", s.Version, latest)
	}
	// Older: migrate a snapshot, never the source.
	snap := filepath.Join(tmpDir, "source-snapshot.db")
	os.Remove(snap)
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, snap); err != nil {
		s.Close()
		return nil, fmt.Errorf("migrate: snapshot the source: %w", err)
	}
	s.Close()
	up, err := Open(ctx, snap)
	if err != nil {
		return nil, fmt.Errorf("migrate: bring the source snapshot to the current schema: %w", err)
	}
	if err := up.Close(); err != nil {
		return nil, fmt.Errorf("migrate: close the source snapshot: %w", err)
	}
	s, err = openSourceFile(ctx, snap)
	if err != nil {
		return nil, err
	}
	s.Snapshot = true
	return s, nil
}

func openSourceFile(ctx context.Context, path string) (*Source, error) {
	// A database without a write-ahead log to replay (a server that
	// stopped cleanly removes it) is read as immutable: SQLite then
	// creates no -wal or -shm file beside it. After a crash the log holds
	// committed rows, and a read-only connection reads them.
	mode := "mode=ro"
	if st, err := os.Stat(path + "-wal"); err != nil || st.Size() == 0 {
		mode += "&immutable=1"
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+mode+"&_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, fmt.Errorf("migrate: open the source database: %w", err)
	}
	db.SetMaxOpenConns(1)
	s := &Source{db: db, path: path}
	s.Version, err = schemaVersion(ctx, db, "?")
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate: %s is not a Vitrine database: %w", path, err)
	}
	return s, nil
}

// Close closes the source.
func (s *Source) Close() error { return s.db.Close() }

// schemaVersion is the newest migration applied to db (goose's table).
func schemaVersion(ctx context.Context, db *sql.DB, placeholder string) (int64, error) {
	var v sql.NullInt64
	err := db.QueryRowContext(ctx, `SELECT MAX(version_id) FROM goose_db_version WHERE is_applied = `+placeholder, true).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("read the schema version: %w", err)
	}
	return v.Int64, nil
}

// latestMigration is the version of the newest embedded migration.
func latestMigration() (int64, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return 0, fmt.Errorf("read migrations: %w", err)
	}
	var latest int64
	for _, e := range entries {
		n, _, _ := strings.Cut(e.Name(), "_")
		if v, err := strconv.ParseInt(n, 10, 64); err == nil && v > latest {
			latest = v
		}
	}
	if latest == 0 {
		return 0, errors.New("no embedded migrations")
	}
	return latest, nil
}

// SchemaVersion is the newest migration applied to d.
func (d *DB) SchemaVersion(ctx context.Context) (int64, error) {
	return schemaVersion(ctx, d.db, d.q("?"))
}

// ReferencedBlobs lists the distinct digests, with sizes, of the source's
// file versions (a set's versions name its manifest, which is no blob).
func (s *Source) ReferencedBlobs(ctx context.Context) ([]vitrine.BlobInfo, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT sha256, MAX(size) FROM versions v
		WHERE NOT EXISTS (SELECT 1 FROM set_versions s WHERE s.version_id = v.id) GROUP BY sha256 ORDER BY sha256`)
	if err != nil {
		return nil, fmt.Errorf("migrate: list the source's blobs: %w", err)
	}
	defer rows.Close()
	var out []vitrine.BlobInfo
	for rows.Next() {
		var b vitrine.BlobInfo
		if err := rows.Scan(&b.Digest, &b.Size); err != nil {
			return nil, fmt.Errorf("migrate: list the source's blobs: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// UnfinishedJobs counts the source's jobs that are queued, running or
// stopping: their place in River's queue, which is not copied, is lost.
func (s *Source) UnfinishedJobs(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM jobs WHERE status IN ('queued', 'running', 'stopping')`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("migrate: count unfinished jobs: %w", err)
	}
	return n, nil
}
