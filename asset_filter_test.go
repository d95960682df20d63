package vitrine_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/vitrine/vitrine"
)

func TestParseAssetFilter(t *testing.T) {
	t.Parallel()
	yes, no := true, false
	cases := []struct {
		query   string
		want    vitrine.AssetFilter
		invalid bool
	}{
		{"", vitrine.AssetFilter{Recursive: true}, false},
		{"folder=/a&recursive=false&q=red&type=image", vitrine.AssetFilter{Folder: "/a", Query: "red", Type: vitrine.TypeImage}, false},
		{"published=true&published_preview=false&trashed=true", vitrine.AssetFilter{Recursive: true, Published: &yes, PublishedPreview: &no, Trashed: true}, false},
		{"modified_after=2025-01-31&modified_before=2025-02-01T10:00:00Z", vitrine.AssetFilter{Recursive: true,
			ModifiedAfter: time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC), ModifiedBefore: time.Date(2025, 2, 1, 10, 0, 0, 0, time.UTC)}, false},
		{"sort=size&order=desc&limit=5&cursor=10|a", vitrine.AssetFilter{Recursive: true, Sort: vitrine.SortSize, Desc: true, Limit: 5, Cursor: "10|a"}, false},
		{"published=maybe", vitrine.AssetFilter{}, true},
		{"modified_after=yesterday", vitrine.AssetFilter{}, true},
		{"sort=colour", vitrine.AssetFilter{}, true},
		{"order=up", vitrine.AssetFilter{}, true},
		{"limit=0", vitrine.AssetFilter{}, true},
	}
	for _, tc := range cases {
		q, _ := url.ParseQuery(tc.query)
		got, err := vitrine.ParseAssetFilter(q)
		if tc.invalid {
			if vitrine.ErrorCode(err) != vitrine.EINVALID {
				t.Errorf("ParseAssetFilter(%q) = %v, want invalid", tc.query, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseAssetFilter(%q) = %v", tc.query, err)
			continue
		}
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("ParseAssetFilter(%q) (-want +got):\n%s", tc.query, d)
		}
	}
}
