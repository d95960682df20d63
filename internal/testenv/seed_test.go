package testenv_test

import (
	"testing"

	"github.com/vitrine/vitrine/internal/testenv"
)

// TestSeedReplays: VITRINE_TEST_SEED gives back its seed and the same
// random sequence, so a logged seed replays a randomised test.
func TestSeedReplays(t *testing.T) {
	t.Setenv("VITRINE_TEST_SEED", "12345")
	if got := testenv.Seed(t); got != 12345 {
		t.Fatalf("Seed() = %d, want 12345", got)
	}
	a, b := testenv.Rand(t), testenv.Rand(t)
	for i := range 10 {
		if x, y := a.Uint64(), b.Uint64(); x != y {
			t.Fatalf("draw %d: %d and %d from the same seed", i, x, y)
		}
	}
}

// TestStrict: VITRINE_TEST_STRICT=1 turns strict mode on.
func TestStrict(t *testing.T) {
	t.Setenv("CI", "")
	for _, tc := range []struct {
		env  string
		want bool
	}{{"1", true}, {"", false}, {"0", false}} {
		t.Setenv("VITRINE_TEST_STRICT", tc.env)
		if got := testenv.Strict(); got != tc.want {
			t.Errorf("Strict() with VITRINE_TEST_STRICT=%q = %v, want %v", tc.env, got, tc.want)
		}
	}
}
