package delivery

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vitrine/vitrine"
)

// imageSet= values, read as catalog::ImageSet's basic swatch sets
// (r-imageset-cat.md) with the braces of r-imageset.md's example.
func TestParseImageSet(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, value string
		want        []imageSetItem
		err         bool
	}{
		{"r-imageset.md example: {asset1,asset2,asset3}", "{asset1,asset2,asset3}",
			[]imageSetItem{{id: "asset1"}, {id: "asset2"}, {id: "asset3"}}, false},
		{"r-imageset-cat.md: swatchItem = imageId[;swatch]; ids as catalog/id", "acme/a;acme/sw,b",
			[]imageSetItem{{id: "a", swatch: "sw"}, {id: "b"}}, false},
		{"r-imageset-cat.md: solidColorSpecifier {0xrrggbb label}", "a;{0xFF0000 Deep Red},b;{0x00ff00}",
			[]imageSetItem{{id: "a", color: "ff0000", label: "Deep Red"}, {id: "b", color: "00ff00"}}, false},
		{"r-imageset-cat.md: parentheses may stand for braces", "(a,b)", []imageSetItem{{id: "a"}, {id: "b"}}, false},
		{"another company's prefix stays part of the id", "other/a", []imageSetItem{{id: "other/a"}}, false},
		{"empty", "{}", nil, true},
		{"an empty item", "a,,b", nil, true},
		{"nested sets are refused", "{a,{b,c}}", nil, true},
		{"a third sub-item is refused", "a;b;c", nil, true},
		{"page-set colons are refused", "a:b", nil, true},
		{"DMC limitations.md: at most 1000 assets", strings.Repeat("a,", 1000) + "a", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseImageSet(tt.value, "acme")
			if (err != nil) != tt.err || (err != nil && vitrine.ErrorCode(err) != vitrine.EINVALID) {
				t.Fatalf("parseImageSet(%.40q) error %v, want error %v", tt.value, err, tt.err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(imageSetItem{})); !tt.err && diff != "" {
				t.Errorf("parseImageSet(%q) (-want +got):\n%s", tt.value, diff)
			}
		})
	}
}
