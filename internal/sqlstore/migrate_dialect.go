package sqlstore

import "strings"

// migrationFor reports whether the migration file name is one engine d
// applies. Most migrations are one file for both engines. Where the engines
// need different statements, a version has two files, NNNNN_name.postgres.sql
// and NNNNN_name.sqlite.sql, and each engine applies its own; both record the
// same version, so the schema versions stay comparable across engines.
func migrationFor(name string, d Dialect) bool {
	base, ok := strings.CutSuffix(name, ".sql")
	if !ok {
		return false
	}
	for _, e := range []Dialect{SQLite, Postgres} {
		if strings.HasSuffix(base, "."+string(e)) {
			return e == d
		}
	}
	return true
}
