package vitrine

import "time"

// Context is a delivery server type an asset is published to.
type Context string

const (
	ContextImage   Context = "image"   // Image Serving, /is/image
	ContextVideo   Context = "video"   // video delivery, /is/content
	ContextContent Context = "content" // static files, /is/content
)

// Contexts lists every context, in a stable order.
var Contexts = []Context{ContextImage, ContextVideo, ContextContent}

// Valid reports whether c is a known context.
func (c Context) Valid() bool {
	return c == ContextImage || c == ContextVideo || c == ContextContent
}

// Destination is where a publish goes.
type Destination string

const (
	DestDelivery Destination = "delivery" // public servers and the edge
	DestPreview  Destination = "preview"  // the secure-preview host
)

// Destinations lists both destinations, delivery first.
var Destinations = []Destination{DestDelivery, DestPreview}

// Intent is whether an asset is marked for publishing in one context and
// destination (PUB-1).
type Intent struct {
	Context     Context     `json:"context"`
	Destination Destination `json:"destination"`
	Marked      bool        `json:"marked"`
}

// Published tells, per destination, whether the asset's current name is in
// the catalog of its context and at which version.
type Published struct {
	Delivery *CatalogState `json:"delivery"`
	Preview  *CatalogState `json:"preview"`
}

// CatalogState is one catalog row as seen from an asset.
type CatalogState struct {
	Context     Context   `json:"context"`
	Version     int       `json:"version"`
	PublishedAt time.Time `json:"published_at"`
}

// CatalogEntry is what delivery reads: which version of which asset is live
// under a name, per company, context and destination.
type CatalogEntry struct {
	CompanyID   int64
	Context     Context
	Destination Destination
	Name        string
	AssetID     int64
	AssetType   AssetType
	Version     Version
	PublishedAt time.Time
	Title       string // the asset's title (req=set labels, labelkey=)
}

// Action is a publish-state change.
type Action string

const (
	ActionPublish           Action = "publish"            // to both, or preview only under selective
	ActionUnpublish         Action = "unpublish"          // mirror of publish
	ActionPublishDelivery   Action = "publish_delivery"   // delivery only, selective mode
	ActionUnpublishDelivery Action = "unpublish_delivery" // mirror of publish_delivery
)

// Valid reports whether a is a known action.
func (a Action) Valid() bool {
	switch a {
	case ActionPublish, ActionUnpublish, ActionPublishDelivery, ActionUnpublishDelivery:
		return true
	}
	return false
}

// Marks reports whether the action marks (publishes) rather than unmarks.
func (a Action) Marks() bool { return a == ActionPublish || a == ActionPublishDelivery }

// Targets returns the destinations an action changes for an asset whose
// effective publish mode is m (SEL-6). An empty result is a visible no-op.
func (a Action) Targets(m PublishMode) []Destination {
	selective := m == PublishSelective
	switch a {
	case ActionPublish, ActionUnpublish:
		if selective {
			return []Destination{DestPreview}
		}
		return []Destination{DestDelivery, DestPreview}
	case ActionPublishDelivery, ActionUnpublishDelivery:
		if selective {
			return []Destination{DestDelivery}
		}
	}
	return nil
}

// HistoryEntry records one publish-state change of one asset (PUB-7).
type HistoryEntry struct {
	ID          int64       `json:"id"`
	AssetName   string      `json:"asset"`
	Version     int         `json:"version"`
	Context     Context     `json:"context"`
	Destination Destination `json:"destination"`
	Action      string      `json:"action"` // published, unpublished, republished
	JobID       *int64      `json:"job_id,omitempty"`
	User        string      `json:"user"`
	At          time.Time   `json:"at"`
}

// History actions.
const (
	HistPublished   = "published"
	HistUnpublished = "unpublished"
	HistRepublished = "republished" // a new version of a published asset went live
)

// PublishResult is the outcome of a publish-state change for one asset.
type PublishResult struct {
	Name    string        `json:"name"`
	Changed []Destination `json:"changed"`
	Note    string        `json:"note,omitempty"` // for example why nothing changed
}

// CatalogChange is one change made to the catalog: what caches and edges
// must forget.
type CatalogChange struct {
	Asset       string
	Context     Context
	Destination Destination
	Action      string // HistPublished, HistRepublished, HistUnpublished
	Version     int
}

// ReconcileMode says which differences between intent and catalog reconcile applies.
type ReconcileMode int

const (
	// ReconcileFull applies every difference: new entries, newer versions, removals.
	ReconcileFull ReconcileMode = iota
	// ReconcileIncremental only adds marked assets missing from the catalog
	// ("New Since Last Publish", JOB-3).
	ReconcileIncremental
)

// PlanItem is one asset of a Manage Publication plan (SEL-5): what the action
// would do to it, and why.
type PlanItem struct {
	Name        string      `json:"name"`
	Folder      string      `json:"folder"`
	Type        AssetType   `json:"type"`
	PublishMode PublishMode `json:"publish_mode"`
	Target      string      `json:"target"` // "preview and delivery", "preview", "delivery", "none"
	Reason      string      `json:"reason"`
	Blocked     bool        `json:"blocked,omitempty"` // the action would fail for this asset
}

// Publication is a publish-state change request (PUB-2, SEL-5): the one
// request type of POST /publication, of a scheduled Manage Publication job
// and of the web workspace, so no field is lost on the way.
type Publication struct {
	Action  Action   `json:"action"`
	Assets  []string `json:"assets,omitempty"`  // asset names
	Folders []string `json:"folders,omitempty"` // every untrashed asset below each folder
	// At, when set (RFC 3339), makes the publication a one-time job at
	// that time (SEL-5) instead of applying it now.
	At string `json:"at,omitempty"`
	// Quick is Quick Publish (SEL-5): the selection with its unpublished
	// references (set members, derived images), now or at At.
	Quick bool `json:"quick,omitempty"`
	// Exact applies the action to the listed assets only, without the
	// cascade: the apply step of Manage Publication, whose plan already
	// listed what publishes with the selection and let the user deselect.
	Exact bool `json:"exact,omitempty"`
	// JobID is the job applying a scheduled action (SEL-5): its history
	// rows carry the job, and the catalog follows at once even with
	// instant publish off, since the job is the publish.
	JobID int64 `json:"-"`
}

// PublicationResult is what a publication did.
type PublicationResult struct {
	Results []PublishResult `json:"results"`
	Changes []CatalogChange `json:"-"` // catalog changes, for edge purges
}

// PublishScope is what a publish job covers (JOB-3).
type PublishScope struct {
	To      Context  // "": every context
	Folders []string // clean paths; empty: the whole company
	Mode    ReconcileMode
}
