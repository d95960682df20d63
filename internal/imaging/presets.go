package imaging

import (
	"slices"

	"maps"

	"github.com/vitrine/vitrine"
)

// CheckPresets parses every preset of a company as a URL naming it would,
// nested presets expanded within the depth and work bounds, and refuses
// the first that does not parse, naming it. Call it before presets are
// saved, so that a bad preset is a 400 then instead of a 400 on every URL
// that uses it (issue 15, item 5).
func CheckPresets(presets map[string]string) error {
	for _, name := range slices.Sorted(maps.Keys(presets)) {
		if _, err := Parse("$"+name+"$", presets); err != nil {
			return vitrine.Errorf(vitrine.EINVALID, "preset %q: %s", name, vitrine.ErrorMessage(err))
		}
	}
	return nil
}
