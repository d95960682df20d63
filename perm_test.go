package vitrine_test

import (
	"testing"

	"github.com/vitrine/vitrine"
)

func TestCanManageAccount(t *testing.T) {
	t.Parallel()
	admin := vitrine.Principal{User: vitrine.User{ID: 1}, Role: vitrine.RoleAdmin}
	member := vitrine.Principal{User: vitrine.User{ID: 2}, Role: vitrine.RoleUser}
	sys := vitrine.Principal{User: vitrine.User{ID: 3, SystemAdmin: true}, Role: vitrine.RoleUser}
	other := vitrine.Account{User: vitrine.User{ID: 9}}
	sysTarget := vitrine.Account{User: vitrine.User{ID: 8, SystemAdmin: true}}
	for _, tc := range []struct {
		name   string
		p      vitrine.Principal
		target vitrine.Account
		want   string // error code, "" for allowed
	}{
		{"admin manages a member", admin, other, ""},
		{"member may not", member, other, vitrine.EFORBIDDEN},
		{"admin not self", admin, vitrine.Account{User: admin.User}, vitrine.EFORBIDDEN},
		{"admin not a system admin", admin, sysTarget, vitrine.EFORBIDDEN},
		{"system admin manages a system admin", sys, sysTarget, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := vitrine.CanManageAccount(tc.p, tc.target)
			if got := vitrine.ErrorCode(err); err != nil && got != tc.want || err == nil && tc.want != "" {
				t.Errorf("CanManageAccount = %v, want code %q", err, tc.want)
			}
		})
	}
}

func TestValidatePassword(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pw string
		ok bool
	}{
		{"short", false},
		{"long enough password", true},
		{"ana-the-admin", false}, // the user name
		{"ANA@EXAMPLE.COM", false},
	} {
		err := vitrine.ValidatePassword(tc.pw, "ana-the-admin", "ana@example.com")
		if (err == nil) != tc.ok {
			t.Errorf("ValidatePassword(%q) = %v, want ok %v", tc.pw, err, tc.ok)
		}
	}
}
