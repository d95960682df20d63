package vitrine

// Who may do what: the rules, in one place, called by the API, the
// workspace and the CLI alike. Each returns nil when allowed and an
// EFORBIDDEN error saying what is needed otherwise.

// CanManageUsers reports whether p may list, invite, and change the
// accounts of its company.
func CanManageUsers(p Principal) error {
	if !p.IsAdmin() {
		return Errorf(EFORBIDDEN, "managing users needs the company admin role")
	}
	return nil
}

// CanManageAccount reports whether p may change target's role, access or
// password in p's company. Nobody changes their own role or access (an
// admin cannot lock the company out by mistake), and only system admins
// touch system admins.
func CanManageAccount(p Principal, target Account) error {
	if err := CanManageUsers(p); err != nil {
		return err
	}
	if target.ID == p.User.ID {
		return Errorf(EFORBIDDEN, "you cannot change your own role or access; ask another admin")
	}
	if target.SystemAdmin && !p.User.SystemAdmin {
		return Errorf(EFORBIDDEN, "only a system admin may change a system admin")
	}
	return nil
}

// CanSeeAdminActions reports whether the workspace shows p the actions of
// company admins (users, settings, CDN invalidation).
func CanSeeAdminActions(p Principal) bool { return CanManageUsers(p) == nil }
