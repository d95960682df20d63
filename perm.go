package vitrine

// Who may do what (AUTH-1). Every caller — the API, the web workspace, the
// job engine, the CLI's server side — asks these functions; none decides
// on its own. Each returns nil when allowed, else an EFORBIDDEN *Error whose
// message says who may.

// CanAdminister allows company administration: settings, presets, the
// invalidation template, webhook secrets.
func CanAdminister(p *Principal) error {
	if p.IsAdmin() {
		return nil
	}
	return Errorf(EFORBIDDEN, "this needs the company admin role")
}

// CanManageUsers allows creating users, changing roles and tokens of
// others.
func CanManageUsers(p *Principal) error {
	if p.IsAdmin() {
		return nil
	}
	return Errorf(EFORBIDDEN, "managing users needs the company admin role")
}

// CanInvalidate allows Invalidate CDN (CDN-3).
func CanInvalidate(p *Principal) error {
	if p.IsAdmin() {
		return nil
	}
	return Errorf(EFORBIDDEN, "Invalidate CDN needs the company admin role")
}

// CanSeeSigningKeys allows reading the URL signing keys: anyone holding one
// can sign any URL of the company.
func CanSeeSigningKeys(p *Principal) bool { return p.IsAdmin() }

// CanControlJob allows cancelling, editing, pausing, running or deleting a
// job: its submitter, its run-as user, or a company admin (JOB-4, AUTH-1).
func CanControlJob(p *Principal, j *JobRun) error {
	if p.IsAdmin() || (j.SubmittedByID != 0 && j.SubmittedByID == p.User.ID) || (j.UserID != 0 && j.UserID == p.User.ID) {
		return nil
	}
	return Errorf(EFORBIDDEN, "only the job's submitter or a company admin may change job %d", j.ID)
}

// CanRunAs allows a job to run as the user named runAs (Run Job As,
// JOB-3): anyone as themselves, admins as any member, since a job acts
// with its run-as user's rights.
func CanRunAs(p *Principal, runAs string) error {
	if runAs == "" || runAs == p.User.Name || p.IsAdmin() {
		return nil
	}
	return Errorf(EFORBIDDEN, "only company admins may run jobs as another user")
}

// CanManageAccount allows changing target's role, access or password in
// p's company. Nobody changes their own role or access (an admin cannot
// lock the company out by mistake), and only system admins touch system
// admins.
func CanManageAccount(p *Principal, target Account) error {
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

// CanSeeAdminActions says whether the workspace shows p the actions of
// company admins (users, settings, CDN invalidation).
func CanSeeAdminActions(p *Principal) bool { return CanManageUsers(p) == nil }
