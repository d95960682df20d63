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
