package sqlstore

import "testing"

func TestMigrationFor(t *testing.T) {
	for _, c := range []struct {
		name string
		d    Dialect
		want bool
	}{
		{"00001_foundation.sql", SQLite, true},
		{"00001_foundation.sql", Postgres, true},
		{"00013_publish_checks.postgres.sql", Postgres, true},
		{"00013_publish_checks.postgres.sql", SQLite, false},
		{"00013_publish_checks.sqlite.sql", SQLite, true},
		{"00013_publish_checks.sqlite.sql", Postgres, false},
		{"00013_postgres_notes.sql", SQLite, true},
		{"README.md", Postgres, false},
	} {
		if got := migrationFor(c.name, c.d); got != c.want {
			t.Errorf("migrationFor(%q, %s) = %v, want %v", c.name, c.d, got, c.want)
		}
	}
}
