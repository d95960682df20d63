package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vitrine/vitrine/internal/api"
)

// TestOpenAPIMatchesRoutes checks that openapi.json documents exactly the
// routes the server has, and that it is what /api/v1/openapi.json serves.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("routes.go")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(src), `" + c + "`, "/api/v1/companies/{company}")
	var routes []string
	for _, m := range regexp.MustCompile(`\{"(GET|POST|PUT|PATCH|DELETE) (/api/v1[^"]*)"`).FindAllStringSubmatch(text, -1) {
		routes = append(routes, m[1]+" "+strings.ReplaceAll(m[2], "{path...}", "{path}"))
	}
	if len(routes) < 20 {
		t.Fatalf("found only %d routes in routes.go; the pattern is stale", len(routes))
	}
	raw, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	var documented []string
	for p, ops := range doc.Paths {
		for m := range ops {
			documented = append(documented, strings.ToUpper(m)+" "+p)
		}
	}
	sort.Strings(routes)
	sort.Strings(documented)
	if diff := cmp.Diff(routes, documented); diff != "" {
		t.Errorf("routes.go vs openapi.json (-routes +documented):\n%s", diff)
	}

	e := newEnv(t, api.DefaultConfig())
	resp, err := http.Get(e.srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	served, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(served) != string(raw) {
		t.Errorf("GET /api/v1/openapi.json = %d, %d bytes; want 200 and the file", resp.StatusCode, len(served))
	}
}
