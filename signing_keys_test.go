package vitrine

import (
	"slices"
	"testing"
)

func TestRotatedSigningKeys(t *testing.T) {
	for _, tc := range []struct {
		current []string
		want    []string
	}{
		{nil, []string{"new"}},
		{[]string{"a"}, []string{"new", "a"}},
		{[]string{"a", "b"}, []string{"new", "a"}},
		{[]string{"a", "b", "c"}, []string{"new", "a"}},
	} {
		if got := RotatedSigningKeys(tc.current, "new"); !slices.Equal(got, tc.want) {
			t.Errorf("RotatedSigningKeys(%v) = %v, want %v", tc.current, got, tc.want)
		}
	}
}
