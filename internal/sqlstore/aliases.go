package sqlstore

// Aliases of the types that moved to the root package, kept while callers
// move over.

import "github.com/vitrine/vitrine"

type (
	AssetPage         = vitrine.AssetPage
	ReconcileMode     = vitrine.ReconcileMode
	DeriveResult      = vitrine.DeriveResult
	FolderPatch       = vitrine.FolderPatch
	JobFilter         = vitrine.JobFilter
	JobRun            = vitrine.JobRun
	Schedule          = vitrine.Schedule
	NewJob            = vitrine.NewJob
	WebhookDelivery   = vitrine.WebhookDelivery
	MetadataPatch     = vitrine.MetadataPatch
	PlanItem          = vitrine.PlanItem
	Publication       = vitrine.Publication
	PublicationResult = vitrine.PublicationResult
	PublishScope      = vitrine.PublishScope
	JobLine           = vitrine.JobLine
	Firing            = vitrine.Firing
	SchedulePatch     = vitrine.SchedulePatch
	SetResult         = vitrine.SetResult
	PurgedAsset       = vitrine.PurgedAsset
)

const (
	ReconcileFull        = vitrine.ReconcileFull
	ReconcileIncremental = vitrine.ReconcileIncremental
)

// DB is every root service.
var _ vitrine.Store = (*DB)(nil)
