package sqlstore_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// TestAssetsSortAndPage: every listing order pages through all assets,
// a page at a time, in order, ties broken by name; the modified bounds
// select by last change.
func TestAssetsSortAndPage(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		sizes := map[string]int64{"a": 300, "b": 100, "c": 300, "d": 200, "e": 100}
		for i, name := range []string{"c", "a", "e", "b", "d"} {
			nf := file(name+".jpg", i+1)
			nf.Size = sizes[name]
			f.upload(t, "/x", nil, nf)
		}
		f.upload(t, "/x", nil, vitrine.NewFile{Filename: "f.pdf", Type: vitrine.TypeStatic, Format: "pdf", MIME: "application/pdf",
			Ext: "pdf", SHA256: "ff00000000000000000000000000000000000000000000000000000000000000", Size: 150})
		sizes["f"] = 150
		cases := []struct {
			sort vitrine.AssetSort
			desc bool
			want []string
		}{
			{"", false, []string{"a", "b", "c", "d", "e", "f"}},
			{vitrine.SortName, true, []string{"f", "e", "d", "c", "b", "a"}},
			{vitrine.SortSize, false, []string{"b", "e", "f", "d", "a", "c"}},
			{vitrine.SortSize, true, []string{"c", "a", "d", "f", "e", "b"}},
			{vitrine.SortType, false, []string{"a", "b", "c", "d", "e", "f"}},
			{vitrine.SortType, true, []string{"f", "e", "d", "c", "b", "a"}},
		}
		for _, tc := range cases {
			var got []string
			cursor := ""
			for range 10 {
				page, err := db.Assets(ctx, f.admin.Company.ID, vitrine.AssetFilter{Folder: "/x", Sort: tc.sort, Desc: tc.desc, Limit: 2, Cursor: cursor})
				if err != nil {
					t.Fatalf("sort %s desc %v: %v", tc.sort, tc.desc, err)
				}
				for _, a := range page.Assets {
					got = append(got, a.Name)
					if a.CurrentVersion == nil || a.CurrentVersion.Size != sizes[a.Name] {
						t.Errorf("%s: current version %+v, want size %d", a.Name, a.CurrentVersion, sizes[a.Name])
					}
				}
				if cursor = page.NextCursor; cursor == "" {
					break
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("sort %q desc %v = %v, want %v", tc.sort, tc.desc, got, tc.want)
			}
		}
		// By modified: ties (same microsecond) by name, so compare with
		// the assets' own times.
		all, err := db.Assets(ctx, f.admin.Company.ID, vitrine.AssetFilter{Folder: "/x", Sort: vitrine.SortModified, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		rest, err := db.Assets(ctx, f.admin.Company.ID, vitrine.AssetFilter{Folder: "/x", Sort: vitrine.SortModified, Limit: 3, Cursor: all.NextCursor})
		if err != nil {
			t.Fatal(err)
		}
		as := append(all.Assets, rest.Assets...)
		if len(as) != 6 || !slices.IsSortedFunc(as, func(x, y vitrine.Asset) int {
			if c := x.UpdatedAt.Compare(y.UpdatedAt); c != 0 {
				return c
			}
			return strings.Compare(x.Name, y.Name)
		}) {
			t.Errorf("by modified: %d assets, not in order", len(as))
		}
		last := as[5].UpdatedAt
		for _, tc := range []struct {
			f    vitrine.AssetFilter
			want int
		}{
			{vitrine.AssetFilter{ModifiedAfter: last}, countAt(as, last)},
			{vitrine.AssetFilter{ModifiedAfter: last.Add(time.Microsecond)}, 0},
			{vitrine.AssetFilter{ModifiedBefore: last.Add(time.Microsecond)}, 6},
			{vitrine.AssetFilter{ModifiedBefore: as[0].UpdatedAt}, 0},
		} {
			page, err := db.Assets(ctx, f.admin.Company.ID, tc.f)
			if err != nil || len(page.Assets) != tc.want {
				t.Errorf("Assets(%+v) = %d assets, %v; want %d", tc.f, len(page.Assets), err, tc.want)
			}
		}
		if _, err := db.Assets(ctx, f.admin.Company.ID, vitrine.AssetFilter{Sort: "colour"}); vitrine.ErrorCode(err) != vitrine.EINVALID {
			t.Errorf("unknown sort: %v, want invalid", err)
		}
		if _, err := db.Assets(ctx, f.admin.Company.ID, vitrine.AssetFilter{Sort: vitrine.SortSize, Cursor: "x"}); vitrine.ErrorCode(err) != vitrine.EINVALID {
			t.Errorf("bad cursor: %v, want invalid", err)
		}
	})
}

func countAt(as []vitrine.Asset, at time.Time) int {
	n := 0
	for _, a := range as {
		if a.UpdatedAt.Equal(at) {
			n++
		}
	}
	return n
}
