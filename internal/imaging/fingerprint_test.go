package imaging

import (
	"reflect"
	"testing"
)

// TestFingerprintCoversSettings checks that every setting that can change a
// rendition changes the fingerprint, and that equivalent settings share one.
func TestFingerprintCoversSettings(t *testing.T) {
	t.Parallel()
	base := DefaultSettings()
	differ := []struct {
		field  string
		change func(*Settings)
	}{
		{"MaxPix", func(s *Settings) { s.MaxPix = [2]int{2000, 3000} }},
		{"DefaultPix", func(s *Settings) { s.DefaultPix = [2]int{1000, 2000} }},
		{"JpegQuality", func(s *Settings) { s.JpegQuality = 30 }},
		{"ResMode", func(s *Settings) { s.ResMode = ResSharp2 }},
		{"BkgColor", func(s *Settings) { s.BkgColor = "000000" }},
	}
	// Presets are in the request's CacheKey once expanded, not here.
	ignored := map[string]bool{"Presets": true}
	covered := map[string]bool{}
	for _, tt := range differ {
		covered[tt.field] = true
		t.Run(tt.field, func(t *testing.T) {
			t.Parallel()
			s := base
			tt.change(&s)
			if s.Fingerprint() == base.Fingerprint() {
				t.Errorf("changing %s left the fingerprint %s", tt.field, base.Fingerprint())
			}
		})
	}
	for f := range reflect.TypeFor[Settings]().Fields() {
		if !covered[f.Name] && !ignored[f.Name] {
			t.Errorf("Settings.%s is neither in Fingerprint's test table nor ignored: add it to Fingerprint", f.Name)
		}
	}

	same := []struct {
		name string
		a, b Settings
	}{
		{"zero is the defaults", Settings{}, DefaultSettings()},
		{"colour spelling", Settings{BkgColor: "ffffff"}, Settings{BkgColor: "255,255,255"}},
		{"presets", Settings{Presets: map[string]string{"thumb": "wid=75"}}, Settings{}},
	}
	for _, tt := range same {
		if a, b := tt.a.Fingerprint(), tt.b.Fingerprint(); a != b {
			t.Errorf("%s: fingerprints %s and %s differ", tt.name, a, b)
		}
	}
	if got := base.Fingerprint(); got != base.Fingerprint() || len(got) != 32 {
		t.Errorf("Fingerprint() = %q, want 32 stable hex digits", got)
	}
}
