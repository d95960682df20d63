package vitrine

import (
	"context"
	"time"
)

// The services Vitrine's adapters need, each implemented by the store
// (internal/sqlstore) and called by the use cases (internal/service), the
// API, delivery, the job engine and the web workspace. A caller takes the
// smallest of them that does its work.
//
// Errors: every method answers ENOTFOUND for an object that does not exist
// or belongs to another company (AUTH-3), EINVALID for bad input, ECONFLICT
// when the object's state forbids the change (a name taken, a trashed
// asset, a running job), EFORBIDDEN when the principal may not; anything
// else is an infrastructure failure (EINTERNAL).

// AssetService reads and edits assets and their life cycle (UP-5, UP-6,
// SEL-8). Methods that change the catalog return the changes for purges.
type AssetService interface {
	AssetReader
	Assets(ctx context.Context, companyID int64, f AssetFilter) (*AssetPage, error)
	Versions(ctx context.Context, companyID int64, name string) ([]Version, error)
	History(ctx context.Context, companyID int64, name string, limit int) ([]HistoryEntry, error)
	Relations(ctx context.Context, companyID int64, name string) (*Relations, error)
	Trash(ctx context.Context, p *Principal, name string) ([]CatalogChange, error)
	Restore(ctx context.Context, p *Principal, name string) (*Asset, []CatalogChange, error)
	Copy(ctx context.Context, p *Principal, name, folder, newName string) (*Asset, error)
	Move(ctx context.Context, p *Principal, name, folder, newName string) (*Asset, []CatalogChange, error)
	UpdateMetadata(ctx context.Context, p *Principal, name string, m MetadataPatch) (*Asset, error)
	EditAsset(ctx context.Context, p *Principal, name string, m MetadataPatch, folder, newName string) (*Asset, []CatalogChange, error)
	// Derive records a derived image whose bytes are already stored.
	Derive(ctx context.Context, p *Principal, parent string, der Derivation, f NewFile) (*DeriveResult, error)
}

// AssetReader reads one asset by name, trashed or not.
type AssetReader interface {
	Asset(ctx context.Context, companyID int64, name string) (*Asset, error)
}

// IngestStore records stored files as assets and versions (UP-1..UP-5):
// Ingest as a new upload job of its own, IngestInto as part of a running
// upload job (resumable by cursor), IngestBatch as part of a batch upload.
type IngestStore interface {
	Ingest(ctx context.Context, p *Principal, files []NewFile, opts UploadOptions) (*UploadResult, error)
	IngestInto(ctx context.Context, p *Principal, jobID int64, files []NewFile, opts UploadOptions, resumeAfter int64) ([]UploadedAsset, error)
	// IngestBatch is IngestInto for one request of a batch upload: it
	// answers the job as its transaction left it, its total raised to
	// done when more files came than announced.
	IngestBatch(ctx context.Context, p *Principal, jobID int64, files []NewFile, opts UploadOptions) ([]UploadedAsset, *JobRun, error)
}

// FolderService manages the folder tree and its publish properties (SEL-2).
type FolderService interface {
	CreateFolder(ctx context.Context, c *Company, path string) (*Folder, error)
	Folder(ctx context.Context, c *Company, path string) (*Folder, error)
	Folders(ctx context.Context, c *Company, path string) ([]Folder, error)
	UpdateFolder(ctx context.Context, c *Company, path string, patch FolderPatch) (*Folder, error)
	DeleteFolder(ctx context.Context, c *Company, path string) error
}

// CompanyService manages tenants and their settings.
type CompanyService interface {
	CreateCompany(ctx context.Context, rootID, name string) (*Company, error)
	Company(ctx context.Context, rootID string) (*Company, error)
	CompanyByID(ctx context.Context, id int64) (*Company, error)
	Companies(ctx context.Context) ([]Company, error)
	// UpdateSettings applies a JSON merge patch and validates the result.
	UpdateSettings(ctx context.Context, companyID int64, patch []byte) (*Settings, error)
	// RotateSigningKey puts key first among the URL signing keys
	// (RotatedSigningKeys), reading and writing them in one transaction.
	RotateSigningKey(ctx context.Context, companyID int64, key string) (*Settings, error)
	WebhookSecret(ctx context.Context, companyID int64) (string, error)
	RotateWebhookSecret(ctx context.Context, companyID int64) (string, error)
}

// UserService manages users, memberships and API tokens (AUTH-2).
// Authenticate and TokenPrincipal answer EUNAUTHORIZED for a bad token.
type UserService interface {
	CreateUser(ctx context.Context, name string, systemAdmin bool) (*User, error)
	SetMembership(ctx context.Context, userID, companyID int64, role Role) error
	CreateToken(ctx context.Context, userID int64, name, plain string) (string, error)
	Authenticate(ctx context.Context, token string) (*User, error)
	TokenPrincipal(ctx context.Context, token, rootID string) (*Principal, error)
	Principal(ctx context.Context, u *User, rootID string) (*Principal, error)
	UserByName(ctx context.Context, name string) (*User, error)
	UserByID(ctx context.Context, id int64) (*User, error)
}

// PublishStore changes publish intent and the catalog (PUB, SEL). Publish
// is all or nothing; PlanPublication changes nothing.
type PublishStore interface {
	Publish(ctx context.Context, p *Principal, pub Publication) (*PublicationResult, error)
	PlanPublication(ctx context.Context, p *Principal, pub Publication) ([]PlanItem, error)
}

// SetService saves and reads sets (PUB-5).
type SetService interface {
	SaveSet(ctx context.Context, p *Principal, spec SetSpec, create bool) (*SetResult, error)
	Set(ctx context.Context, companyID int64, name string) (*Set, error)
}

// CatalogReader is what delivery reads: the catalog, published sets and
// search data, companies, and the credentials of preview users.
type CatalogReader interface {
	Company(ctx context.Context, rootID string) (*Company, error)
	Lookup(ctx context.Context, companyID int64, c Context, dest Destination, name string) (*CatalogEntry, error)
	PublishedSet(ctx context.Context, e *CatalogEntry) (*SetTree, error)
	SearchPublished(ctx context.Context, companyID int64, q string, limit int) ([]SearchHit, error)
	Authenticate(ctx context.Context, token string) (*User, error)
	Principal(ctx context.Context, u *User, rootID string) (*Principal, error)
	// Crops returns the smart crops of a version, by name.
	Crops(ctx context.Context, versionID int64) ([]SmartCrop, error)
}

// CropStore keeps image profiles and the smart crops of image versions
// (issue 14).
type CropStore interface {
	// SetFolderProfile sets the profile of the folder at path, or clears
	// it when p is nil, and queues every image below the folder for the
	// crop worker, in one transaction.
	SetFolderProfile(ctx context.Context, c *Company, path string, p *ImageProfile) error
	// FolderProfile returns the folder's own profile (nil when it has
	// none) and the effective one (ResolveProfile).
	FolderProfile(ctx context.Context, c *Company, path string) (*ImageProfile, EffectiveProfile, error)
	Crops(ctx context.Context, versionID int64) ([]SmartCrop, error)
	// SaveCrops replaces a version's crops with computed ones, keeping
	// the adjusted crops KeepAdjusted keeps, in one transaction. It
	// returns the crops as saved.
	SaveCrops(ctx context.Context, versionID int64, computed []SmartCrop) ([]SmartCrop, error)
	// SetCrop sets one crop of a version (an adjusted box, or a reset to
	// a computed one). ENOTFOUND when the version has no crop of that name.
	SetCrop(ctx context.Context, versionID int64, c SmartCrop) (*SmartCrop, error)
	// QueuedCrops returns up to limit queued images, oldest first.
	QueuedCrops(ctx context.Context, limit int) ([]CropTask, error)
	// DoneCrops removes a task from the queue unless it was queued again
	// since it was read.
	DoneCrops(ctx context.Context, t CropTask) error
}

// JobRecorder records a job that already ran within a request (an
// invalidation), with its log.
type JobRecorder interface {
	RecordJob(ctx context.Context, p *Principal, typ JobType, name string, options any, total int, lines []JobLine) (*Job, error)
}

// JobStore keeps jobs, their logs, schedules and notification attempts
// (JOB-1..JOB-8), and runs publish jobs batch by batch.
type JobStore interface {
	JobRecorder
	Jobs(ctx context.Context, companyID int64, f JobFilter) ([]JobRun, error)
	Job(ctx context.Context, companyID, id int64) (*JobRun, error)
	JobLog(ctx context.Context, companyID, id, after int64, limit int) ([]JobLogEntry, error)
	JobLogPage(ctx context.Context, companyID, id int64, f JobLogFilter) ([]JobLogEntry, error)
	CreateJob(ctx context.Context, nj NewJob) (*JobRun, error)
	MarkEnqueued(ctx context.Context, id int64) error
	Unenqueued(ctx context.Context, cutoff time.Time) ([]JobRun, error)
	StartJob(ctx context.Context, id int64) (*JobRun, error)
	SetJobTotal(ctx context.Context, id int64, total int) error
	FinishJob(ctx context.Context, id int64, status JobStatus, message string) (*JobRun, bool, error)
	CancelJob(ctx context.Context, p *Principal, id int64) (*JobRun, error)
	DeleteJob(ctx context.Context, p *Principal, id int64) error
	AppendJobLog(ctx context.Context, id int64, lines []JobLogEntry) error
	AdvanceJob(ctx context.Context, id, resumeAfter int64, lines []JobLogEntry) error
	AddJobProgress(ctx context.Context, id int64, done, published int) error
	DueSchedules(ctx context.Context, now time.Time, limit int) ([]JobRun, error)
	FireSchedule(ctx context.Context, f Firing) (*JobRun, error)
	RunNow(ctx context.Context, p *Principal, id int64, runName string) (*JobRun, error)
	UpdateSchedule(ctx context.Context, p *Principal, id int64, patch SchedulePatch) (*JobRun, error)
	LogWebhookDelivery(ctx context.Context, companyID int64, w WebhookDelivery) error
	WebhookDeliveries(ctx context.Context, companyID, jobID int64) ([]WebhookDelivery, error)
	CountPublishCandidates(ctx context.Context, companyID int64, s PublishScope) (int, error)
	PublishBatch(ctx context.Context, jobID int64, s PublishScope, size int) (*JobRun, []CatalogChange, bool, error)
	PublishSearchData(ctx context.Context, companyID int64) error
}

// Store is every service: what the store implements and what main hands
// to the components that need most of it (the API, the job engine).
type Store interface {
	AssetService
	IngestStore
	FolderService
	CompanyService
	UserService
	PublishStore
	SetService
	CatalogReader
	JobStore
	MaintenanceStore
	AccountService
	CropStore
}

// AccountService manages the people of a company (the workspace and the
// users API): accounts with email and password, invitations and one-time
// links, per-company access, personal API tokens.
type AccountService interface {
	Accounts(ctx context.Context, companyID int64) ([]Account, error)
	Account(ctx context.Context, companyID int64, name string) (*Account, error)
	Invite(ctx context.Context, companyID int64, in Invitation) (*User, error)
	SetMembershipDisabled(ctx context.Context, userID, companyID int64, disabled bool) error
	MemberCompanies(ctx context.Context, u *User) ([]Company, error)
	CreateLink(ctx context.Context, userID int64, purpose LinkPurpose, ttl time.Duration, createdBy *int64) (string, error)
	DeleteUserSessions(ctx context.Context, userID int64) error
	UserTokens(ctx context.Context, userID int64) ([]PersonalToken, error)
	// CreatePersonalToken makes a token that expires at expiresAt (nil:
	// never) and returns it with its secret, shown this once.
	CreatePersonalToken(ctx context.Context, userID int64, name string, expiresAt *time.Time) (*PersonalToken, string, error)
	RevokeToken(ctx context.Context, userID, tokenID int64) error
}
