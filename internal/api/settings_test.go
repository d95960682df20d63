package api_test

import (
	"strings"
	"testing"

	"github.com/vitrine/vitrine/internal/api"
)

// TestPatchSettingsChecks (issue 15, items 5 and 12): presets are parsed
// when saved and a bad one is named; render settings that would break
// every render are refused; {} clears the presets.
func TestPatchSettingsChecks(t *testing.T) {
	t.Parallel()
	e := newEnv(t, api.DefaultConfig())
	const path = "/api/v1/companies/acme/settings"
	patch := func(body string) (int, map[string]any) {
		t.Helper()
		return e.do(t, "PATCH", path, "application/json", strings.NewReader(body))
	}
	for body, word := range map[string]string{
		`{"presets":{"ok":"wid=10","thumb":"wid=abc"}}`: `"thumb"`,
		`{"presets":{"a":"$b$","b":"$a$"}}`:             `"a"`,
		`{"presets":{"card":"$nope$"}}`:                 `"card"`,
		`{"bkg_color":"red"}`:                           "bkg_color",
		`{"res_mode":"lanczos"}`:                        "res_mode",
		`{"max_pix":[4294967296,4294967296]}`:           "max_pix",
	} {
		st, out := patch(body)
		errObj, _ := out["error"].(map[string]any)
		if msg, _ := errObj["message"].(string); st != 400 || !strings.Contains(msg, word) {
			t.Errorf("PATCH %s = %d %v, want 400 naming %s", body, st, out, word)
		}
	}
	if st, out := patch(`{"presets":{"thumb":"wid=75&hei=75","card":"$thumb$&fmt=png"}}`); st != 200 || len(out["presets"].(map[string]any)) != 2 {
		t.Fatalf("PATCH good presets = %d %v", st, out)
	}
	if st, out := patch(`{"presets":{}}`); st != 200 || len(out["presets"].(map[string]any)) != 0 {
		t.Errorf("PATCH presets {} = %d %v, want no presets left", st, out)
	}
}
