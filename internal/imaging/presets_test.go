package imaging

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vitrine/vitrine"
)

// fanOut returns presets p1..p<depth> where each names the next n times,
// and the last holds a comment: N^depth expansions, not one command.
func fanOut(n, depth int) map[string]string {
	presets := map[string]string{}
	for d := 1; d < depth; d++ {
		presets[fmt.Sprintf("p%d", d)] = strings.TrimSuffix(strings.Repeat(fmt.Sprintf("$p%d$&", d+1), n), "&")
	}
	presets[fmt.Sprintf("p%d", depth)] = ".c"
	return presets
}

// TestPresetFanOutBounded (issue 15, item 5): nested presets that only
// name other presets cost N^4 expansions without a command counted; the
// expansion stops at a fixed budget of tokens and bytes.
func TestPresetFanOutBounded(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		presets map[string]string
		query   string
		want    string // "" = parses
	}{
		{"fan-out 30^4", fanOut(30, 4), "$p1$", "more than"},
		{"fan-out 100^4", fanOut(100, 4), "$p1$", "more than"},
		{"small fan-out", fanOut(3, 3), "$p1$&wid=10", ""},
		{"bytes", map[string]string{"big": "." + strings.Repeat("x", 15<<10), "p": strings.TrimSuffix(strings.Repeat("$big$&", 10), "&")}, "$p$", "bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(tc.query, tc.presets)
			if tc.want == "" {
				if err != nil {
					t.Errorf("Parse(%q) = %v, want nil", tc.query, err)
				}
				return
			}
			if err == nil || vitrine.ErrorCode(err) != vitrine.EINVALID || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Parse(%q) = %v, want EINVALID about %q", tc.query, err, tc.want)
			}
		})
	}
}

func TestCheckPresets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		presets map[string]string
		bad     string // the preset the error must name; "" = valid
	}{
		{nil, ""},
		{map[string]string{"thumb": "wid=75&hei=75", "card": "$thumb$&fmt=png"}, ""},
		{map[string]string{"thumb": "wid=abc"}, "thumb"},
		{map[string]string{"ok": "wid=1", "zz": "$missing$"}, "zz"},
		{map[string]string{"loop": "$loop$"}, "loop"},
		{fanOut(30, 4), "p1"},
	}
	for _, tc := range tests {
		err := CheckPresets(tc.presets)
		if tc.bad == "" {
			if err != nil {
				t.Errorf("CheckPresets(%v) = %v, want nil", tc.presets, err)
			}
			continue
		}
		if err == nil || vitrine.ErrorCode(err) != vitrine.EINVALID || !strings.Contains(vitrine.ErrorMessage(err), fmt.Sprintf("%q", tc.bad)) {
			t.Errorf("CheckPresets(%v) = %v, want EINVALID naming %q", tc.bad, err, tc.bad)
		}
	}
}
