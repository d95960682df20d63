package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

func TestAccounts(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "acme")
		co := f.admin.Company
		u, err := db.Invite(ctx, co.ID, vitrine.Invitation{Name: "ana", Email: " Ana@Example.com ", Role: vitrine.RoleUser})
		if err != nil {
			t.Fatalf("Invite: %v", err)
		}
		if _, err := db.Invite(ctx, co.ID, vitrine.Invitation{Name: "ana2", Email: "ana@example.com", Role: vitrine.RoleUser}); vitrine.ErrorCode(err) != vitrine.ECONFLICT {
			t.Errorf("Invite with a taken email = %v, want conflict", err)
		}
		accs, err := db.Accounts(ctx, co.ID)
		if err != nil || len(accs) != 3 {
			t.Fatalf("Accounts = %d, %v; want 3", len(accs), err)
		}
		a, err := db.Account(ctx, co.ID, "ana")
		if err != nil || a.Email != "ana@example.com" || a.HasPassword || a.Disabled || a.Role != vitrine.RoleUser {
			t.Fatalf("Account(ana) = %+v, %v", a, err)
		}
		other := newFixture(t, db, "other")
		if _, err := db.Account(ctx, other.admin.Company.ID, "ana"); vitrine.ErrorCode(err) != vitrine.ENOTFOUND {
			t.Errorf("Account in another company = %v, want not found", err)
		}

		// One-time link: read, use once, gone.
		secret, err := db.CreateLink(ctx, u.ID, vitrine.LinkSetPassword, time.Hour, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := db.LinkUser(ctx, secret, vitrine.LinkSetPassword); err != nil || got.ID != u.ID {
			t.Fatalf("LinkUser = %v, %v", got, err)
		}
		sess, err := db.CreateSession(ctx, u.ID, time.Hour, "test", "127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.SetPasswordWithLink(ctx, secret, "$argon2id$x"); err != nil {
			t.Fatalf("SetPasswordWithLink: %v", err)
		}
		if _, err := db.SetPasswordWithLink(ctx, secret, "$argon2id$y"); vitrine.ErrorCode(err) != vitrine.ENOTFOUND {
			t.Errorf("second use of a link = %v, want not found", err)
		}
		if _, _, err := db.SessionBySecret(ctx, sess); vitrine.ErrorCode(err) != vitrine.EUNAUTHORIZED {
			t.Errorf("session after a password change = %v, want it ended", err)
		}
		got, hash, err := db.SignInUser(ctx, "ANA@example.com")
		if err != nil || got.ID != u.ID || hash != "$argon2id$x" {
			t.Errorf("SignInUser(email) = %v, %q, %v", got, hash, err)
		}
		if _, _, err := db.SignInUser(ctx, "ana"); err != nil {
			t.Errorf("SignInUser(name) = %v", err)
		}

		// Expired links do not work.
		old, _ := db.CreateLink(ctx, u.ID, vitrine.LinkSetPassword, -time.Second, nil)
		if _, err := db.LinkUser(ctx, old, vitrine.LinkSetPassword); vitrine.ErrorCode(err) != vitrine.ENOTFOUND {
			t.Errorf("expired link = %v, want not found", err)
		}

		// Disabled members lose the company, their tokens there and their sessions.
		tok, err := db.CreateToken(ctx, u.ID, "t", "")
		if err != nil {
			t.Fatal(err)
		}
		sess, _ = db.CreateSession(ctx, u.ID, time.Hour, "", "")
		if err := db.SetMembershipDisabled(ctx, u.ID, co.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := db.TokenPrincipal(ctx, tok, co.RootID); vitrine.ErrorCode(err) != vitrine.ENOTFOUND {
			t.Errorf("TokenPrincipal of a disabled member = %v, want not found", err)
		}
		if _, err := db.Principal(ctx, got, co.RootID); vitrine.ErrorCode(err) != vitrine.ENOTFOUND {
			t.Errorf("Principal of a disabled member = %v, want not found", err)
		}
		if _, _, err := db.SessionBySecret(ctx, sess); err == nil {
			t.Error("a disabled member's session survived")
		}
		if cs, _ := db.MemberCompanies(ctx, got); len(cs) != 0 {
			t.Errorf("MemberCompanies of a disabled member = %v", cs)
		}
		if err := db.SetMembershipDisabled(ctx, u.ID, co.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := db.TokenPrincipal(ctx, tok, co.RootID); err != nil {
			t.Errorf("TokenPrincipal after enabling = %v", err)
		}

		// Personal tokens: listed without secrets, revoked by their owner only.
		pt, plain, err := db.CreatePersonalToken(ctx, u.ID, "laptop", nil)
		if err != nil || pt.Prefix != plain[:8] {
			t.Fatalf("CreatePersonalToken = %+v, %q, %v", pt, plain, err)
		}
		if err := db.RevokeToken(ctx, f.admin.User.ID, pt.ID); vitrine.ErrorCode(err) != vitrine.ENOTFOUND {
			t.Errorf("revoke another's token = %v, want not found", err)
		}
		if err := db.RevokeToken(ctx, u.ID, pt.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Authenticate(ctx, plain); vitrine.ErrorCode(err) != vitrine.EUNAUTHORIZED {
			t.Errorf("revoked token = %v, want unauthorized", err)
		}
		if ts, _ := db.UserTokens(ctx, u.ID); len(ts) != 1 {
			t.Errorf("UserTokens = %v, want the one left", ts)
		}

		// Expiry: a token works until it expires; its use is recorded.
		now := time.Now().UTC()
		in := now.Add(time.Hour)
		et, eplain, err := db.CreatePersonalToken(ctx, u.ID, "ci", &in)
		if err != nil || et.ExpiresAt == nil || !et.ExpiresAt.Equal(in.Truncate(time.Microsecond)) || et.LastUsedAt != nil {
			t.Fatalf("CreatePersonalToken with expiry = %+v, %v", et, err)
		}
		if _, err := db.TokenPrincipal(ctx, eplain, co.RootID); err != nil {
			t.Fatalf("TokenPrincipal before expiry = %v", err)
		}
		ts, _ := db.UserTokens(ctx, u.ID)
		if len(ts) != 2 || ts[0].ID != et.ID || ts[0].LastUsedAt == nil || ts[0].ExpiresAt == nil {
			t.Errorf("UserTokens after use = %+v, want the new token with its expiry and last use", ts)
		}
		db.Now = func() time.Time { return in.Add(time.Second) }
		defer func() { db.Now = time.Now }()
		if _, err := db.TokenPrincipal(ctx, eplain, co.RootID); vitrine.ErrorCode(err) != vitrine.EUNAUTHORIZED {
			t.Errorf("TokenPrincipal after expiry = %v, want unauthorized", err)
		}
		if _, err := db.Authenticate(ctx, eplain); vitrine.ErrorCode(err) != vitrine.EUNAUTHORIZED {
			t.Errorf("Authenticate after expiry = %v, want unauthorized", err)
		}
		if _, err := db.TokenPrincipal(ctx, tok, co.RootID); err != nil {
			t.Errorf("a token without expiry after an hour = %v", err)
		}

		// Login failures count per subject, since a time, and clear.
		subj := []string{"account:ana", "addr:192.0.2.1"}
		for range 3 {
			if err := db.RecordLoginFailure(ctx, subj); err != nil {
				t.Fatal(err)
			}
		}
		n, err := db.LoginFailures(ctx, subj, time.Now().Add(-time.Minute))
		if err != nil || n["account:ana"] != 3 || n["addr:192.0.2.1"] != 3 {
			t.Errorf("LoginFailures = %v, %v", n, err)
		}
		if err := db.ClearLoginFailures(ctx, "account:ana"); err != nil {
			t.Fatal(err)
		}
		if n, _ := db.LoginFailures(ctx, subj, time.Now().Add(-time.Minute)); n["account:ana"] != 0 || n["addr:192.0.2.1"] != 3 {
			t.Errorf("LoginFailures after clear = %v", n)
		}
	})
}
