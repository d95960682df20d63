package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/api"
	"github.com/vitrine/vitrine/internal/testenv"
)

// A company admin cannot tell a user name taken in another company from
// any other name it may not have (issue 15, item 12: the global user-name
// oracle).
func TestCreateUserNoNameOracle(t *testing.T) {
	t.Parallel()
	e := newEnv(t, api.DefaultConfig())
	other, err := e.db.CreateCompany(context.Background(), "other", "Other")
	if err != nil {
		t.Fatal(err)
	}
	testenv.Member(t, e.db, other, "demo-user", vitrine.RoleUser)
	answer := func(name string) string {
		status, out := e.do(t, "POST", "/api/v1/companies/acme/users", "application/json",
			strings.NewReader(fmt.Sprintf(`{"name":%q}`, name)))
		return fmt.Sprint(status, out)
	}
	elsewhere := answer("demo-user")
	for _, name := range []string{"alice", strings.Repeat("x", 129)} {
		if got := answer(name); got != elsewhere {
			t.Errorf("answer for a name taken elsewhere = %s\nanswer for %.20q = %s\nwant the same", elsewhere, name, got)
		}
	}
}
