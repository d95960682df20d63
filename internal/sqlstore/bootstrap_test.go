package sqlstore_test

import (
	"context"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

const (
	bootToken  = "vtr_bootstrap_token_0123456789"
	otherToken = "vtr_another_token_0123456789"
)

// counts is how many rows the bootstrap tables hold.
type counts struct{ companies, users, memberships, tokens int }

func countRows(t *testing.T, db *sqlstore.DB) counts {
	t.Helper()
	var c counts
	for _, q := range []struct {
		table string
		n     *int
	}{{"companies", &c.companies}, {"users", &c.users}, {"memberships", &c.memberships}, {"tokens", &c.tokens}} {
		if err := db.SQL().QueryRowContext(context.Background(), "SELECT COUNT(*) FROM "+q.table).Scan(q.n); err != nil {
			t.Fatalf("count %s: %v", q.table, err)
		}
	}
	return c
}

// checkAdmin asserts token signs in as a system admin who administers
// company.
func checkAdmin(t *testing.T, db *sqlstore.DB, token, company string) {
	t.Helper()
	ctx := context.Background()
	u, err := db.Authenticate(ctx, token)
	if err != nil {
		t.Fatalf("Authenticate(bootstrap token): %v", err)
	}
	if !u.SystemAdmin || u.Name != "admin" {
		t.Errorf("the token's user = %+v, want the system admin 'admin'", u)
	}
	p, err := db.TokenPrincipal(ctx, token, company)
	if err != nil || p.Role != vitrine.RoleAdmin {
		t.Errorf("TokenPrincipal(%s) = %+v, %v, want an admin", company, p, err)
	}
}

func bootstrapReq(token string) sqlstore.BootstrapRequest {
	return sqlstore.BootstrapRequest{Company: "demo", Admin: "admin", Token: token}
}

func TestBootstrapFirstStart(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		if needed, err := db.BootstrapNeeded(ctx); err != nil || !needed {
			t.Fatalf("BootstrapNeeded on an empty store = %v, %v, want true", needed, err)
		}
		res, err := db.Bootstrap(ctx, bootstrapReq(bootToken))
		if err != nil {
			t.Fatalf("Bootstrap: %v", err)
		}
		want := sqlstore.BootstrapResult{FirstStart: true, Company: "demo", Admin: "admin", CreatedAdmin: true, MembershipCompany: "demo", CreatedToken: true}
		if *res != want {
			t.Errorf("Bootstrap = %+v, want %+v", *res, want)
		}
		checkAdmin(t, db, bootToken, "demo")
		if got, want := countRows(t, db), (counts{1, 1, 1, 1}); got != want {
			t.Errorf("after Bootstrap: %+v, want %+v", got, want)
		}

		// A healthy installation is left alone: no second admin or token.
		if needed, err := db.BootstrapNeeded(ctx); err != nil || needed {
			t.Errorf("BootstrapNeeded after Bootstrap = %v, %v, want false", needed, err)
		}
		res, err = db.Bootstrap(ctx, sqlstore.BootstrapRequest{Company: "other", Admin: "admin", Token: otherToken})
		if err != nil || res.Changed() {
			t.Errorf("second Bootstrap = %+v, %v, want no change", res, err)
		}
		if got, want := countRows(t, db), (counts{1, 1, 1, 1}); got != want {
			t.Errorf("after a second Bootstrap: %+v, want %+v", got, want)
		}
		if _, err := db.Authenticate(ctx, otherToken); vitrine.ErrorCode(err) != vitrine.EUNAUTHORIZED {
			t.Errorf("the second request's token signs in: %v", err)
		}
	})
}

// TestBootstrapRepairsHalfMade builds each state the old four-transaction
// first start could stop in (and the one a too-short VITRINE_ADMIN_TOKEN
// left), and checks the next Bootstrap finishes it without duplicates.
func TestBootstrapRepairsHalfMade(t *testing.T) {
	t.Parallel()
	// oldSteps are the old first start's transactions; steps runs the
	// first n of them.
	steps := func(t *testing.T, db *sqlstore.DB, n int) {
		t.Helper()
		ctx := context.Background()
		c, err := db.CreateCompany(ctx, "demo", "demo")
		if err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			return
		}
		u, err := db.CreateUser(ctx, "admin", true)
		if err != nil {
			t.Fatal(err)
		}
		if n == 2 {
			return
		}
		if err := db.SetMembership(ctx, u.ID, c.ID, vitrine.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		if n == 3 {
			return
		}
		if _, err := db.CreateToken(ctx, u.ID, "bootstrap", "short"); err == nil {
			t.Fatal("CreateToken accepted a short token")
		}
	}
	for _, tt := range []struct {
		name  string
		steps int
		want  sqlstore.BootstrapResult
	}{
		{"company only", 1, sqlstore.BootstrapResult{Admin: "admin", CreatedAdmin: true, MembershipCompany: "demo", CreatedToken: true}},
		{"admin without membership", 2, sqlstore.BootstrapResult{Admin: "admin", MembershipCompany: "demo", CreatedToken: true}},
		{"no token", 3, sqlstore.BootstrapResult{Admin: "admin", CreatedToken: true}},
		{"short VITRINE_ADMIN_TOKEN", 4, sqlstore.BootstrapResult{Admin: "admin", CreatedToken: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
				ctx := context.Background()
				steps(t, db, tt.steps)
				if needed, err := db.BootstrapNeeded(ctx); err != nil || !needed {
					t.Fatalf("BootstrapNeeded on a half-made store = %v, %v, want true", needed, err)
				}
				res, err := db.Bootstrap(ctx, sqlstore.BootstrapRequest{Company: "other", Admin: "admin", Token: bootToken})
				if err != nil {
					t.Fatalf("Bootstrap: %v", err)
				}
				if *res != tt.want {
					t.Errorf("Bootstrap = %+v, want %+v", *res, tt.want)
				}
				checkAdmin(t, db, bootToken, "demo")
				if got, want := countRows(t, db), (counts{1, 1, 1, 1}); got != want {
					t.Errorf("after the repair: %+v, want %+v", got, want)
				}
				if res, err := db.Bootstrap(ctx, bootstrapReq(otherToken)); err != nil || res.Changed() {
					t.Errorf("Bootstrap after the repair = %+v, %v, want no change", res, err)
				}
			})
		})
	}
}

// TestBootstrapChecksFirst: a bad request writes nothing, on an empty
// store or a half-made one.
func TestBootstrapChecksFirst(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		for _, req := range []sqlstore.BootstrapRequest{
			{Company: "demo", Admin: "admin", Token: "short"},
			{Company: "demo", Admin: "admin", Token: ""},
			{Company: "Not Valid", Admin: "admin", Token: bootToken},
			{Company: "demo", Admin: "", Token: bootToken},
		} {
			if _, err := db.Bootstrap(ctx, req); vitrine.ErrorCode(err) != vitrine.EINVALID {
				t.Errorf("Bootstrap(%+v) = %v, want EINVALID", req, err)
			}
		}
		if got := countRows(t, db); got != (counts{}) {
			t.Errorf("after refused requests: %+v, want nothing", got)
		}
		if _, err := db.CreateCompany(ctx, "demo", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Bootstrap(ctx, bootstrapReq("short")); vitrine.ErrorCode(err) != vitrine.EINVALID {
			t.Errorf("Bootstrap(short token) on a half-made store = %v, want EINVALID", err)
		}
		if got, want := countRows(t, db), (counts{companies: 1}); got != want {
			t.Errorf("after a refused repair: %+v, want %+v", got, want)
		}
	})
}

// TestBootstrapDoesNotPromote: a user named like the admin who is not a
// system admin is not made one; the repair stops and says so.
func TestBootstrapDoesNotPromote(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		newFixture(t, db, "demo")
		if _, err := db.CreateUser(ctx, "admin", false); err != nil {
			t.Fatal(err)
		}
		before := countRows(t, db)
		if _, err := db.Bootstrap(ctx, bootstrapReq(bootToken)); vitrine.ErrorCode(err) != vitrine.ECONFLICT {
			t.Errorf("Bootstrap with a plain user 'admin' = %v, want ECONFLICT", err)
		}
		if got := countRows(t, db); got != before {
			t.Errorf("after the refused repair: %+v, want %+v", got, before)
		}
	})
}

// TestBootstrapKeepsRevokedToken: an admin who set a password and revoked
// the bootstrap token (it leaked, say) does not get it back at the next
// start; the repair is only for an admin who cannot sign in at all.
func TestBootstrapKeepsRevokedToken(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		if _, err := db.Bootstrap(ctx, bootstrapReq(bootToken)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL().ExecContext(ctx, `UPDATE users SET password_hash = 'argon2id$set' WHERE name = 'admin'`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL().ExecContext(ctx, `DELETE FROM tokens`); err != nil {
			t.Fatal(err)
		}
		if needed, err := db.BootstrapNeeded(ctx); err != nil || needed {
			t.Errorf("BootstrapNeeded with an admin password = %v, %v, want false", needed, err)
		}
		if res, err := db.Bootstrap(ctx, bootstrapReq(bootToken)); err != nil || res.CreatedToken {
			t.Errorf("Bootstrap after the revocation = %+v, %v, want no token", res, err)
		}
		if _, err := db.Authenticate(ctx, bootToken); vitrine.ErrorCode(err) != vitrine.EUNAUTHORIZED {
			t.Errorf("the revoked token signs in again: %v", err)
		}
	})
}
