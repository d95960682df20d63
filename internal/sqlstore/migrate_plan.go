package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// SourceTable is one table of a migration's source, as the copy needs it.
type SourceTable struct {
	Name    string
	Columns []string
	Key     []string // the primary key's columns, in key order
	// SelfRefs are the columns that refer to the table's own key (a
	// folder's parent): a row may be copied before the row it names.
	SelfRefs []string
	Rows     int64
}

// notCopied says which tables a migration leaves out: SQLite's own, the
// migration bookkeeping (the target has its own, at the same version), and
// River's queue, which is the job engine's transient state in each engine's
// own format (a queued Vitrine job is re-enqueued from the jobs table).
func notCopied(name string) bool {
	return strings.HasPrefix(name, "sqlite_") || name == "goose_db_version" || strings.HasPrefix(name, "river_")
}

// Tables lists the source's tables in an order that copies every row after
// the rows it refers to in other tables, with their columns, keys and row
// counts.
func (s *Source) Tables(ctx context.Context) ([]SourceTable, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("migrate: list tables: %w", err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("migrate: list tables: %w", err)
		}
		if !notCopied(n) {
			names = append(names, n)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("migrate: list tables: %w", err)
	}
	tables := map[string]*SourceTable{}
	deps := map[string][]string{}
	for _, n := range names {
		t := &SourceTable{Name: n}
		if err := s.describe(ctx, t, deps); err != nil {
			return nil, err
		}
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM "`+n+`"`).Scan(&t.Rows); err != nil {
			return nil, fmt.Errorf("migrate: count %s: %w", n, err)
		}
		tables[n] = t
	}
	order, err := dependencyOrder(names, deps)
	if err != nil {
		return nil, err
	}
	out := make([]SourceTable, 0, len(order))
	for _, n := range order {
		out = append(out, *tables[n])
	}
	return out, nil
}

// describe reads a table's columns, key and references.
func (s *Source) describe(ctx context.Context, t *SourceTable, deps map[string][]string) error {
	rows, err := s.db.QueryContext(ctx, `SELECT name, pk FROM pragma_table_info(?) ORDER BY cid`, t.Name)
	if err != nil {
		return fmt.Errorf("migrate: describe %s: %w", t.Name, err)
	}
	keys := map[int]string{}
	for rows.Next() {
		var col string
		var pk int
		if err := rows.Scan(&col, &pk); err != nil {
			rows.Close()
			return fmt.Errorf("migrate: describe %s: %w", t.Name, err)
		}
		t.Columns = append(t.Columns, col)
		if pk > 0 {
			keys[pk] = col
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("migrate: describe %s: %w", t.Name, err)
	}
	for i := 1; i <= len(keys); i++ {
		t.Key = append(t.Key, keys[i])
	}
	if len(t.Key) == 0 {
		return fmt.Errorf("migrate: table %s has no primary key; this vitrine cannot copy it", t.Name)
	}
	refs, err := s.db.QueryContext(ctx, `SELECT "table", "from" FROM pragma_foreign_key_list(?)`, t.Name)
	if err != nil {
		return fmt.Errorf("migrate: references of %s: %w", t.Name, err)
	}
	defer refs.Close()
	for refs.Next() {
		var to, from string
		if err := refs.Scan(&to, &from); err != nil {
			return fmt.Errorf("migrate: references of %s: %w", t.Name, err)
		}
		if to == t.Name {
			t.SelfRefs = append(t.SelfRefs, from)
		} else {
			deps[t.Name] = append(deps[t.Name], to)
		}
	}
	return refs.Err()
}

// dependencyOrder sorts tables so that each comes after the tables it
// refers to, by name among equals so that runs agree.
func dependencyOrder(names []string, deps map[string][]string) ([]string, error) {
	done := map[string]bool{}
	var out []string
	for len(out) < len(names) {
		var ready []string
		for _, n := range names {
			if done[n] {
				continue
			}
			ok := true
			for _, d := range deps[n] {
				if !done[d] && slices.Contains(names, d) {
					ok = false
				}
			}
			if ok {
				ready = append(ready, n)
			}
		}
		if len(ready) == 0 {
			return nil, fmt.Errorf("migrate: the tables refer to each other in a cycle; cannot order the copy")
		}
		sort.Strings(ready)
		for _, n := range ready {
			done[n] = true
		}
		out = append(out, ready...)
	}
	return out, nil
}
