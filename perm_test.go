package vitrine

import "testing"

func TestPermissions(t *testing.T) {
	admin := &Principal{User: User{ID: 1, Name: "ann"}, Role: RoleAdmin}
	sys := &Principal{User: User{ID: 2, Name: "root", SystemAdmin: true}, Role: RoleUser}
	member := &Principal{User: User{ID: 3, Name: "bob"}, Role: RoleUser}
	other := &Principal{User: User{ID: 4, Name: "eve"}, Role: RoleUser}
	job := &JobRun{Job: Job{ID: 9}, SubmittedByID: 3, UserID: 5}
	runAsJob := &JobRun{Job: Job{ID: 10}, SubmittedByID: 1, UserID: 4}

	tests := []struct {
		name string
		got  error
		want bool
	}{
		{"admin administers", CanAdminister(admin), true},
		{"system admin administers", CanAdminister(sys), true},
		{"member does not administer", CanAdminister(member), false},
		{"admin manages users", CanManageUsers(admin), true},
		{"member does not manage users", CanManageUsers(member), false},
		{"admin invalidates", CanInvalidate(admin), true},
		{"member does not invalidate", CanInvalidate(member), false},
		{"admin controls any job", CanControlJob(admin, job), true},
		{"submitter controls own job", CanControlJob(member, job), true},
		{"run-as user controls job", CanControlJob(other, runAsJob), true},
		{"stranger does not control job", CanControlJob(other, job), false},
		{"member runs as self", CanRunAs(member, "bob"), true},
		{"member runs as default", CanRunAs(member, ""), true},
		{"member does not run as other", CanRunAs(member, "ann"), false},
		{"admin runs as other", CanRunAs(admin, "bob"), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if ok := tc.got == nil; ok != tc.want {
				t.Fatalf("allowed = %v, want %v (err %v)", ok, tc.want, tc.got)
			}
			if tc.got != nil && ErrorCode(tc.got) != EFORBIDDEN {
				t.Fatalf("code = %s, want %s", ErrorCode(tc.got), EFORBIDDEN)
			}
		})
	}
	if !CanSeeSigningKeys(admin) || CanSeeSigningKeys(member) {
		t.Fatal("CanSeeSigningKeys: only admins see signing keys")
	}
}
func TestCanManageAccount(t *testing.T) {
	t.Parallel()
	admin := Principal{User: User{ID: 1}, Role: RoleAdmin}
	member := Principal{User: User{ID: 2}, Role: RoleUser}
	sys := Principal{User: User{ID: 3, SystemAdmin: true}, Role: RoleUser}
	other := Account{User: User{ID: 9}}
	sysTarget := Account{User: User{ID: 8, SystemAdmin: true}}
	for _, tc := range []struct {
		name   string
		p      Principal
		target Account
		want   string // error code, "" for allowed
	}{
		{"admin manages a member", admin, other, ""},
		{"member may not", member, other, EFORBIDDEN},
		{"admin not self", admin, Account{User: admin.User}, EFORBIDDEN},
		{"admin not a system admin", admin, sysTarget, EFORBIDDEN},
		{"system admin manages a system admin", sys, sysTarget, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CanManageAccount(&tc.p, tc.target)
			if got := ErrorCode(err); err != nil && got != tc.want || err == nil && tc.want != "" {
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
		err := ValidatePassword(tc.pw, "ana-the-admin", "ana@example.com")
		if (err == nil) != tc.ok {
			t.Errorf("ValidatePassword(%q) = %v, want ok %v", tc.pw, err, tc.ok)
		}
	}
}
