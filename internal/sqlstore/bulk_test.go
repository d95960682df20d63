package sqlstore

import (
	"database/sql"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPGArray: a column of rows becomes one typed array for PostgreSQL,
// with the NULL forms the writers use; a value of the wrong kind is an error.
func TestPGArray(t *testing.T) {
	one, two := int64(1), int64(2)
	type id int64
	type name string
	tests := []struct {
		typ     string
		col     []any
		want    any
		wantErr bool
	}{
		{"bigint", []any{int64(1), 2, id(1)}, []*int64{&one, &two, &one}, false},
		{"integer", []any{nil, sql.NullInt64{}, sql.NullInt64{Int64: 2, Valid: true}}, []*int64{nil, nil, &two}, false},
		{"bigint", []any{(*int64)(nil), &two}, []*int64{nil, &two}, false},
		{"bigint", []any{"1"}, nil, true},
		{"text", []any{"a", name("b")}, []string{"a", "b"}, false},
		{"text", []any{1}, nil, true},
		{"boolean", []any{true, false}, []bool{true, false}, false},
		{"boolean", []any{1}, nil, true},
		{"json", []any{"{}"}, nil, true},
	}
	for _, tt := range tests {
		rows := make([][]any, len(tt.col))
		for i, v := range tt.col {
			rows[i] = []any{"other", v}
		}
		got, err := pgArray(tt.typ, rows, 1)
		if (err != nil) != tt.wantErr {
			t.Errorf("pgArray(%s, %v) error = %v, want error %v", tt.typ, tt.col, err, tt.wantErr)
			continue
		}
		if !tt.wantErr && !cmp.Equal(got, tt.want) {
			t.Errorf("pgArray(%s, %v) = %v, want %v", tt.typ, tt.col, got, tt.want)
		}
	}
}
