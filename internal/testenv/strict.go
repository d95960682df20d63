package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// Strict reports whether a missing prerequisite fails the run
// (VITRINE_TEST_STRICT=1, or CI set): under `make test` every test runs.
func Strict() bool {
	return os.Getenv("VITRINE_TEST_STRICT") == "1" || os.Getenv("CI") != ""
}

// Missing skips the test because of what it lacks, or fails it in strict
// mode: a test that cannot run must not pass silently under `make test`.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if Strict() {
		t.Fatalf("VITRINE_TEST_STRICT: "+format, args...)
	}
	t.Skipf(format+" (VITRINE_TEST_STRICT=1 makes this a failure)", args...)
}

// RequireTool returns the path of the program name, or skips the test
// without it (fails it in strict mode).
func RequireTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, "%s is not installed (make test installs it)", name)
	}
	return p
}
