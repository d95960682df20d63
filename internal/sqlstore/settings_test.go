package sqlstore_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vitrine/vitrine/internal/sqlstore"
)

// TestUpdateSettingsReplacesPresets: presets in a patch are the new set of
// presets, so one can be removed; a patch without presets keeps them.
func TestUpdateSettingsReplacesPresets(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		id := f.admin.Company.ID
		for _, tc := range []struct {
			patch string
			want  map[string]string
		}{
			{`{"presets":{"thumb":"wid=20","big":"wid=2000"}}`, map[string]string{"thumb": "wid=20", "big": "wid=2000"}},
			{`{"image_ttl_seconds":600}`, map[string]string{"thumb": "wid=20", "big": "wid=2000"}},
			{`{"presets":{"big":"wid=2000"}}`, map[string]string{"big": "wid=2000"}},
			{`{"presets":{}}`, map[string]string{}},
		} {
			st, err := db.UpdateSettings(ctx, id, []byte(tc.patch))
			if err != nil {
				t.Fatal(err)
			}
			got := st.Presets
			if got == nil {
				got = map[string]string{}
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("UpdateSettings(%s) presets (-want +got):\n%s", tc.patch, d)
			}
		}
	})
}
