package vitrine_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestAdaptersUseRootInterfaces keeps the store behind the root's
// interfaces: the API, delivery, the job engine, the CDN invalidator and
// the use cases never import internal/sqlstore (tests may).
func TestAdaptersUseRootInterfaces(t *testing.T) {
	pkgs := []string{"./internal/api", "./internal/delivery", "./internal/jobs", "./internal/cdn", "./internal/service", "./internal/ui", "./internal/auth"}
	for _, p := range pkgs {
		out, err := exec.Command("go", "list", "-f", "{{join .Imports \" \"}}", p).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", p, err, out)
		}
		for _, imp := range strings.Fields(string(out)) {
			if strings.HasSuffix(imp, "/internal/sqlstore") {
				t.Errorf("%s imports %s; take a root interface (services.go) instead", p, imp)
			}
		}
	}
}
