package vitrine

import (
	"strings"
	"testing"
)

// TestSettingsValidateRender (issue 15, item 12): render settings that
// would break every render, or overflow, are refused when saved.
func TestSettingsValidateRender(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Settings)
		want   string // "" = valid; else a word of the error
	}{
		{"defaults", func(*Settings) {}, ""},
		{"bkg_color 0x", func(s *Settings) { s.BkgColor = "0xff00AA" }, ""},
		{"bkg_color word", func(s *Settings) { s.BkgColor = "red" }, "bkg_color"},
		{"bkg_color short", func(s *Settings) { s.BkgColor = "FFF" }, "bkg_color"},
		{"bkg_color empty", func(s *Settings) { s.BkgColor = "" }, "bkg_color"},
		{"bkg_color not hex", func(s *Settings) { s.BkgColor = "GGGGGG" }, "bkg_color"},
		{"res_mode sharp2", func(s *Settings) { s.ResMode = "sharp2" }, ""},
		{"res_mode bisharp", func(s *Settings) { s.ResMode = "bisharp" }, ""},
		{"res_mode bad", func(s *Settings) { s.ResMode = "lanczos" }, "res_mode"},
		{"res_mode empty", func(s *Settings) { s.ResMode = "" }, "res_mode"},
		{"max_pix 4000x4000", func(s *Settings) { s.MaxPix = [2]int{4000, 4000} }, ""},
		{"max_pix 16M x 1", func(s *Settings) { s.MaxPix = [2]int{16_000_000, 1} }, ""},
		{"max_pix 5000x5000, Scene7's Publish Setup ceiling (notes §1.8)", func(s *Settings) { s.MaxPix = [2]int{5000, 5000} }, ""},
		{"max_pix 25M x 1", func(s *Settings) { s.MaxPix = [2]int{25_000_000, 1} }, ""},
		{"max_pix above 5000x5000", func(s *Settings) { s.MaxPix = [2]int{5001, 5000} }, "max_pix"},
		{"max_pix above 25 MP, one side long", func(s *Settings) { s.MaxPix = [2]int{25_000_001, 1} }, "max_pix"},
		{"max_pix product wraps to 0", func(s *Settings) { s.MaxPix = [2]int{1 << 32, 1 << 32} }, "max_pix"},
		{"max_pix product wraps negative", func(s *Settings) { s.MaxPix = [2]int{3037000500, 3037000500} }, "max_pix"},
		{"max_pix zero", func(s *Settings) { s.MaxPix = [2]int{0, 10} }, "max_pix"},
		{"default_pix huge", func(s *Settings) { s.DefaultPix = [2]int{1 << 40, 2} }, "default_pix"},
		{"default_pix zero", func(s *Settings) { s.DefaultPix = [2]int{10, 0} }, "default_pix"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := DefaultSettings()
			tc.change(&s)
			err := s.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("Validate() = %v, want an error naming %s", err, tc.want)
			}
		})
	}
}

func TestSettingsMerge(t *testing.T) {
	base := DefaultSettings()
	base.Presets = map[string]string{"a": "wid=1", "b": "wid=2"}
	base.PreviewAllowCIDRs = []string{"10.0.0.0/8", "192.168.0.0/16"}
	tests := []struct {
		patch   string
		presets int
		cidrs   int
		err     bool
	}{
		{`{}`, 2, 2, false},
		{`{"presets":{}}`, 0, 2, false}, // {} clears (issue 15, item 12)
		{`{"presets":null}`, 0, 2, false},
		{`{"presets":{"c":"wid=3"}}`, 1, 2, false}, // replaces, not merges
		{`{"preview_allow_cidrs":["127.0.0.1/32"]}`, 2, 1, false},
		{`{"bkg_color":"nope"}`, 0, 0, true},
		{`{"bogus":1}`, 0, 0, true},
		{`[1]`, 0, 0, true},
	}
	for _, tc := range tests {
		got, err := base.Merge([]byte(tc.patch))
		if tc.err {
			if err == nil || ErrorCode(err) != EINVALID {
				t.Errorf("Merge(%s) = %v, want EINVALID", tc.patch, err)
			}
			continue
		}
		if err != nil || len(got.Presets) != tc.presets || len(got.PreviewAllowCIDRs) != tc.cidrs {
			t.Errorf("Merge(%s) = %d presets, %d cidrs, %v; want %d, %d", tc.patch, len(got.Presets), len(got.PreviewAllowCIDRs), err, tc.presets, tc.cidrs)
		}
	}
	if len(base.Presets) != 2 || base.PreviewAllowCIDRs[0] != "10.0.0.0/8" {
		t.Errorf("Merge changed its receiver: %v %v", base.Presets, base.PreviewAllowCIDRs)
	}
}
