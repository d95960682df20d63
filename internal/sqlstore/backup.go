package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/vitrine/vitrine"
)

// BackupSQLite writes a consistent copy of the SQLite database at path to
// out with VACUUM INTO, online: it reads one snapshot while the server
// goes on writing (WAL), and never writes to the database. It returns the
// blobs the copy's versions refer to, digest and size, read from the copy
// itself so that list and database agree.
func BackupSQLite(ctx context.Context, path, out string) ([]vitrine.BlobInfo, error) {
	if strings.HasPrefix(path, "postgres://") || strings.HasPrefix(path, "postgresql://") {
		return nil, vitrine.Errorf(vitrine.EINVALID, "a PostgreSQL database is backed up with pg_dump (docs/operations.md)")
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if st, err := os.Stat(out); err == nil && st.Size() > 0 {
		return nil, vitrine.Errorf(vitrine.ECONFLICT, "backup: %s exists", out)
	}
	src, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, fmt.Errorf("backup: open database: %w", err)
	}
	defer src.Close()
	if _, err := src.ExecContext(ctx, `VACUUM INTO ?`, out); err != nil {
		os.Remove(out)
		return nil, fmt.Errorf("backup: VACUUM INTO: %w", err)
	}
	blobs, err := referencedBlobs(ctx, out)
	if err != nil {
		os.Remove(out)
		return nil, err
	}
	return blobs, nil
}

// referencedBlobs lists the distinct digests, with sizes, the versions of
// the SQLite database at path refer to.
func referencedBlobs(ctx context.Context, path string) ([]vitrine.BlobInfo, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return nil, fmt.Errorf("backup: open the copy: %w", err)
	}
	defer db.Close()
	// A set's versions hold its manifest's digest, which is no blob.
	rows, err := db.QueryContext(ctx, `SELECT sha256, MAX(size) FROM versions v
		WHERE NOT EXISTS (SELECT 1 FROM set_versions s WHERE s.version_id = v.id) GROUP BY sha256 ORDER BY sha256`)
	if err != nil {
		return nil, fmt.Errorf("backup: list blobs: %w", err)
	}
	defer rows.Close()
	var out []vitrine.BlobInfo
	for rows.Next() {
		var b vitrine.BlobInfo
		if err := rows.Scan(&b.Digest, &b.Size); err != nil {
			return nil, fmt.Errorf("backup: list blobs: %w", err)
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("backup: list blobs: %w", err)
	}
	if len(out) == 0 {
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM companies`).Scan(&n); err != nil || n == 0 {
			return nil, errors.Join(errors.New("backup: the copy has no companies: not a Vitrine database"), err)
		}
	}
	return out, nil
}
