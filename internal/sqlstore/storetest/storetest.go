// Package storetest is the former home of the test database helpers.
//
// Deprecated: use internal/testenv, which has them with the fixtures.
package storetest

import (
	"testing"

	"github.com/vitrine/vitrine/internal/testenv"
)

// PostgresDSN is testenv.PostgresDSN.
//
// Deprecated: use testenv.PostgresDSN.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	return testenv.PostgresDSN(t)
}
