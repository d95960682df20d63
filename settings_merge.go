package vitrine

import (
	"bytes"
	"encoding/json"
	"maps"
	"regexp"
	"slices"
)

// Merge applies patch, a JSON object of settings fields, to a copy of s and
// validates the result. A field in the patch replaces the setting whole:
// "presets": {} clears the presets (a JSON decode would merge the maps
// and so never remove one). Unknown fields are refused. s is not changed.
func (s Settings) Merge(patch []byte) (Settings, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(patch, &fields); err != nil {
		return s, Errorf(EINVALID, "settings: %v", err)
	}
	// Fresh maps and slices: decoding must not write into s's.
	s.Presets = maps.Clone(s.Presets)
	if _, ok := fields["presets"]; ok {
		s.Presets = nil
	}
	s.InvalidationTemplate = slices.Clone(s.InvalidationTemplate)
	s.PreviewAllowCIDRs = slices.Clone(s.PreviewAllowCIDRs)
	s.URLSigningKeys = slices.Clone(s.URLSigningKeys)
	dec := json.NewDecoder(bytes.NewReader(patch))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return s, Errorf(EINVALID, "settings: %v", err)
	}
	if s.Presets == nil {
		s.Presets = map[string]string{}
	}
	return s, s.Validate()
}

// Render settings a company saves are used by every render, so a bad one
// must be refused when saved, not break every image afterwards.
var (
	// bkgColorPattern is the form of bkg_color: RRGGBB hex, as Scene7's
	// catalog attribute, with an optional 0x. (bgc= in a URL takes more forms.)
	bkgColorPattern = regexp.MustCompile(`^(0[xX])?[0-9A-Fa-f]{6}$`)
	// resModes are the res_mode values the renderer knows.
	resModes = []string{"bilin", "bicub", "sharp2", "bisharp"}
)

// maxPixels is the largest max_pix product, HardMaxPixels of imaging:
// 5000×5000, the largest Reply Image Size Limit Scene7's Publish Setup
// accepts. The product is checked rather than each side so that every
// max_pix valid before (16 MP, one side as long as wanted) stays valid.
const maxPixels = 25_000_000

// validateRender checks the render settings: sizes without overflow, the
// background colour and the resampling mode.
func (s Settings) validateRender() error {
	for _, p := range []struct {
		name string
		v    [2]int
		max  int64
	}{{"max_pix", s.MaxPix, maxPixels}, {"default_pix", s.DefaultPix, 1 << 62}} {
		// Each side first: the product of two huge ints wraps around.
		if p.v[0] < 1 || p.v[1] < 1 || p.v[0] > maxPixels || p.v[1] > maxPixels || int64(p.v[0])*int64(p.v[1]) > p.max {
			if p.name == "max_pix" {
				return Errorf(EINVALID, "max_pix must be positive and at most 25 megapixels (5000×5000)")
			}
			return Errorf(EINVALID, "default_pix must be positive and each side at most %d", maxPixels)
		}
	}
	if !bkgColorPattern.MatchString(s.BkgColor) {
		return Errorf(EINVALID, "bkg_color %q is not a colour like FFFFFF", truncate(s.BkgColor, 32))
	}
	if !slices.Contains(resModes, s.ResMode) {
		return Errorf(EINVALID, "res_mode %q is not one of bilin, bicub, sharp2, bisharp", truncate(s.ResMode, 32))
	}
	return nil
}
