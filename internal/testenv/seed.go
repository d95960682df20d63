package testenv

import (
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
)

// Seed returns the seed of a randomised test and logs it with the way to
// replay it: VITRINE_TEST_SEED when set, a random one otherwise.
func Seed(t testing.TB) uint64 {
	t.Helper()
	if s := os.Getenv("VITRINE_TEST_SEED"); s != "" {
		seed, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("VITRINE_TEST_SEED=%q: %v", s, err)
		}
		t.Logf("seed %d (from VITRINE_TEST_SEED)", seed)
		return seed
	}
	seed := rand.Uint64()
	t.Logf("seed %d; replay with VITRINE_TEST_SEED=%d go test -run '^%s$'", seed, seed, t.Name())
	return seed
}

// Rand returns a generator seeded with Seed.
func Rand(t testing.TB) *rand.Rand {
	t.Helper()
	seed := Seed(t)
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}
