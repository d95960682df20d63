package imaging

import (
	"maps"

	"github.com/vitrine/vitrine"
)

// HardMaxPixels is the largest reply Vitrine renders whatever a company's
// MaxPix says: 5000×5000, the largest Reply Image Size Limit Scene7's
// Publish Setup accepts (reference notes §1.8). The settings rules refuse a
// larger max_pix; this holds for settings made any other way.
const HardMaxPixels = 25_000_000

// Settings are the company defaults a plan needs (the catalog attributes of
// reference notes §1.5). Zero fields take the defaults of DefaultSettings.
type Settings struct {
	MaxPix      [2]int // largest reply, width and height
	DefaultPix  [2]int // reply cap when the URL has no wid, hei or scl
	JpegQuality int    // default qlt, 1..100
	ResMode     string // default resMode
	BkgColor    string // default bgc, any form ParseColor accepts
	Presets     map[string]string
}

// DefaultSettings returns the defaults proposed by reference notes §3.1,
// the same as vitrine.DefaultSettings.
func DefaultSettings() Settings {
	return Settings{
		MaxPix:      [2]int{3000, 3000},
		DefaultPix:  [2]int{2000, 2000},
		JpegQuality: 80,
		ResMode:     ResBicub,
		BkgColor:    "FFFFFF",
	}
}

// SettingsFrom copies the imaging part of a company's settings.
func SettingsFrom(s vitrine.Settings) Settings {
	return Settings{
		MaxPix:      s.MaxPix,
		DefaultPix:  s.DefaultPix,
		JpegQuality: s.JpegQuality,
		ResMode:     s.ResMode,
		BkgColor:    s.BkgColor,
		Presets:     maps.Clone(s.Presets),
	}
}

// withDefaults fills zero fields from DefaultSettings.
func (s Settings) withDefaults() Settings {
	d := DefaultSettings()
	if s.MaxPix[0] <= 0 || s.MaxPix[1] <= 0 {
		s.MaxPix = d.MaxPix
	}
	if s.DefaultPix[0] <= 0 || s.DefaultPix[1] <= 0 {
		s.DefaultPix = d.DefaultPix
	}
	if s.JpegQuality < 1 || s.JpegQuality > 100 {
		s.JpegQuality = d.JpegQuality
	}
	if s.ResMode == "" {
		s.ResMode = d.ResMode
	}
	if s.BkgColor == "" {
		s.BkgColor = d.BkgColor
	}
	return s
}
