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
