package api

// routes is the API: one table. The OpenAPI document (openapi.json) lists
// the same routes; a test keeps the two in step.
func (s *Server) routes() []route {
	const c = "/api/v1/companies/{company}"
	return []route{
		{"GET /api/v1/me", anyUser, s.me, "who the token belongs to"},
		{"GET /api/v1/companies", anyUser, s.listCompanies, "companies the caller belongs to"},
		{"POST /api/v1/companies", systemAdmin, s.createCompany, "create a company (system admins)"},
		{"POST " + c + "/users", admin, s.createUser, "create a user in the company, with a token"},
		{"GET " + c + "/users", member, s.listUsers, "the company's users, with role and access (admins)"},
		{"POST " + c + "/invitations", member, s.invite, "invite a user: a one-time link to set a password (admins)"},
		{"PATCH " + c + "/users/{name}", member, s.patchUser, "change a user's role, or switch their access off or on (admins)"},
		{"POST " + c + "/users/{name}/password-reset", member, s.resetPassword, "a new one-time set-password link for a user (admins)"},
		{"GET /api/v1/me/tokens", anyUser, s.listTokens, "the caller's API tokens (never their secrets)"},
		{"POST /api/v1/me/tokens", anyUser, s.createToken, "make a personal API token, shown once"},
		{"DELETE /api/v1/me/tokens/{id}", anyUser, s.revokeToken, "revoke one of the caller's API tokens"},
		{"DELETE /api/v1/me/sessions", anyUser, s.signOutEverywhere, "sign out of the workspace everywhere"},

		{"POST " + c + "/assets", member, s.upload, "multipart upload"},
		{"PUT " + c + "/assets/{name}", member, s.putAsset, "upload one file as the raw body ({name}: its file name), SHA-256 in Content-Digest"},
		{"POST " + c + "/upload-jobs", member, s.openUpload, "open a batch upload job that several uploads join (upload_job)"},
		{"POST " + c + "/upload-jobs/{id}/finish", member, s.finishUpload, "end a batch upload job, logging the files not uploaded"},
		{"GET " + c + "/assets", member, s.listAssets, "list and search assets"},
		{"GET " + c + "/assets/{name}", member, s.assetDetail, "asset detail, with derived images (Built & Derivatives) and sets"},
		{"PATCH " + c + "/assets/{name}", member, s.patchAsset, "edit title and keywords, rename or move an asset"},
		{"DELETE " + c + "/assets/{name}", member, s.deleteAsset, "move an asset to the Trash"},
		{"POST " + c + "/assets/{name}/restore", member, s.restoreAsset, "restore an asset from the Trash"},
		{"GET " + c + "/assets/{name}/history", member, s.assetHistory, "publish history, newest first"},
		{"GET " + c + "/assets/{name}/versions", member, s.assetVersions, "versions, newest first"},
		{"POST " + c + "/assets/{name}/copy", member, s.copyAsset, "copy (unpublished)"},
		{"POST " + c + "/assets/{name}/move", member, s.moveAsset, "move (keeps publish state)"},
		{"POST " + c + "/assets/{name}/derive", member, s.deriveAsset, "make a derived image from a recipe, or replace the original"},
		{"GET " + c + "/assets/{name}/crops", member, s.listCrops, "an image's smart crops (current version)"},
		{"PUT " + c + "/assets/{name}/crops/{crop}", member, s.putCrop, "adjust a smart crop's box (x, y, w, h in source pixels)"},
		{"DELETE " + c + "/assets/{name}/crops/{crop}", member, s.deleteCrop, "reset an adjusted smart crop to the computed box"},

		{"POST " + c + "/sets", member, s.createSet, "create a set; publish after save (PUB-5)"},
		{"GET " + c + "/sets/{name}", member, s.getSet, "a set and its members"},
		{"PUT " + c + "/sets/{name}", member, s.putSet, "replace a set's members; publish after save (PUB-5)"},

		{"POST " + c + "/publication", member, s.publication, "publish or unpublish assets and folders"},
		{"POST " + c + "/publication/plan", member, s.publicationPlan, "Manage Publication: each affected asset with its publish target"},

		{"POST " + c + "/folders", member, s.createFolder, "create a folder and its parents"},
		{"GET " + c + "/folders", member, s.listFolders, "list folders"},
		{"GET " + c + "/folders/{path...}", member, s.getFolder, "folder with effective modes"},
		{"PATCH " + c + "/folders/{path...}", member, s.patchFolder, "folder modes, rename or move"},
		{"DELETE " + c + "/folders/{path...}", member, s.deleteFolder, "delete an empty folder"},
		{"GET " + c + "/folder-profiles/{path...}", member, s.getFolderProfile, "a folder's image profile (smart crops) and the effective one"},
		{"PUT " + c + "/folder-profiles/{path...}", member, s.putFolderProfile, "set a folder's image profile; its images' crops are recomputed in the background"},
		{"DELETE " + c + "/folder-profiles/{path...}", member, s.deleteFolderProfile, "clear a folder's image profile (it inherits again)"},

		{"POST " + c + "/invalidations", admin, s.invalidate, "Invalidate CDN (admins)"},
		{"GET " + c + "/invalidations/{id}", admin, s.getInvalidation, "an invalidation and each edge's confirmation"},

		{"GET " + c + "/settings", member, s.getSettings, "company settings"},
		{"POST " + c + "/signed-urls", member, s.signURL, "sign an image-serving URL with the company's newest signing key (admins)"},
		{"PATCH " + c + "/settings", admin, s.patchSettings, "change company settings (admins)"},

		{"GET " + c + "/jobs", member, s.listJobs, "job history"},
		{"GET " + c + "/jobs/{id}", member, s.getJob, "one job"},
		{"GET " + c + "/jobs/{id}/log", member, s.jobLog, "a job's per-asset log"},
		{"POST " + c + "/jobs", member, s.createJob, "create a job: now, later, or recurring"},
		{"POST " + c + "/jobs/preview", member, s.previewJob, "the next five run times of a when, in the company's time zone"},
		{"PATCH " + c + "/jobs/{id}", member, s.patchJob, "edit, pause or resume a scheduled entry"},
		{"DELETE " + c + "/jobs/{id}", member, s.deleteJob, "delete a scheduled entry or an ended job"},
		{"POST " + c + "/jobs/{id}/cancel", member, s.cancelJob, "cancel a job (submitter or admin)"},
		{"POST " + c + "/jobs/{id}/run", member, s.runJob, "run a scheduled entry now"},
		{"GET " + c + "/jobs/{id}/deliveries", member, s.jobDeliveries, "a job's HTTP notification attempts"},
		{"GET " + c + "/events", member, s.eventStream, "live events of the company (Server-Sent Events): job progress, publish state"},
		{"GET " + c + "/webhook-secret", admin, s.webhookSecret, "the notification signing secret (admins)"},
		{"POST " + c + "/webhook-secret", admin, s.rotateWebhookSecret, "replace the notification signing secret (admins)"},
	}
}
