package vitrine

import "fmt"

// The publish rules. Each lives here once; the stores, the job engine and
// the handlers call them.

// Blocked says why asset a cannot take action, or "" when it can: a
// trashed asset cannot be published (PUB-8), an asset in an excluded folder
// cannot be published nor unpublished from delivery (SEL-7).
func Blocked(action Action, a *Asset) string {
	switch {
	case a.Trashed() && action.Marks():
		return "asset is in the Trash; restore it first"
	case a.SyncMode == SyncExclude && (action.Marks() || action == ActionUnpublishDelivery):
		return "asset is not synced for delivery; move it to a synced folder or reprocess it"
	}
	return ""
}

// GoesLiveNow says whether a change to an asset's intent, version or name
// reaches the catalog at once (PUB-1): with instant publish on; when a job
// makes it (the job is the publish: JOB-3, SEL-5); and always when the
// asset leaves delivery (an asset moved into an excluded folder must not
// stay live). Otherwise it waits for the next publish job.
func GoesLiveNow(s Settings, byJob, leavesDelivery bool) bool {
	return s.InstantPublish || byJob || leavesDelivery
}

// NeedsPurge says whether the edges must forget an asset after a catalog
// change: always when it left the catalog (CDN-4) and when it first enters
// it (caches may hold the answers given while it was not published,
// req=exists=0 and default images, under its key), for a new version only
// when the company invalidates on republish (CDN-2; otherwise edges keep
// the old bytes until their TTL, as Scene7 does).
func NeedsPurge(ch CatalogChange, s Settings) bool {
	return ch.Action == HistUnpublished || ch.Action == HistPublished ||
		(ch.Action == HistRepublished && s.InvalidateOnRepublish)
}

// PlanFor is one asset's line of a Manage Publication plan (SEL-5, SEL-6):
// its publish target under the action, and why.
func PlanFor(action Action, a *Asset) PlanItem {
	it := PlanItem{Name: a.Name, Folder: a.Folder, Type: a.Type, PublishMode: a.PublishMode}
	targets := action.Targets(a.PublishMode)
	it.Target = TargetLabel(targets)
	switch why := Blocked(action, a); {
	case why != "":
		it.Target, it.Blocked, it.Reason = "none", true, why
	case len(targets) == 0:
		it.Reason = fmt.Sprintf("%s has no effect in publish mode %s", action, a.PublishMode)
	case a.PublishMode == PublishSelective:
		it.Reason = "publish mode selective: destinations are independent"
	default:
		it.Reason = fmt.Sprintf("publish mode %s: preview and delivery together", a.PublishMode)
	}
	return it
}

// TargetLabel names a set of destinations as the scope page shows it.
func TargetLabel(ds []Destination) string {
	var del, pre bool
	for _, d := range ds {
		del = del || d == DestDelivery
		pre = pre || d == DestPreview
	}
	switch {
	case del && pre:
		return "preview and delivery"
	case del:
		return "delivery"
	case pre:
		return "preview"
	}
	return "none"
}

// MaxPublicationItems bounds the names and folders of one publication.
const MaxPublicationItems = 10000

// Validate checks a publication request before anything is read, and
// drops repeated names and folders so the store resolves each once: a
// request of many duplicates must not hold the write transaction.
func (p *Publication) Validate() error {
	switch {
	case !p.Action.Valid():
		return Errorf(EINVALID, "action %q is not one of publish, unpublish, publish_delivery, unpublish_delivery", p.Action)
	case len(p.Assets) == 0 && len(p.Folders) == 0:
		return Errorf(EINVALID, "name at least one asset or folder")
	case len(p.Assets) > MaxPublicationItems || len(p.Folders) > MaxPublicationItems:
		return Errorf(EINVALID, "at most %d assets and %d folders per publication", MaxPublicationItems, MaxPublicationItems)
	case p.Quick && p.Exact:
		return Errorf(EINVALID, "quick publishes the selection with its references; exact publishes the list only: choose one")
	case p.Quick && !p.Action.Marks():
		return Errorf(EINVALID, "quick publish publishes; use it with action publish or publish_delivery")
	}
	p.Assets, p.Folders = Unique(p.Assets), Unique(p.Folders)
	return nil
}

// LiveNow says whether this publication reaches the catalog at once: by
// GoesLiveNow, where a job applying it and Quick Publish ("publish now",
// SEL-5) both count as the publish itself.
func (p *Publication) LiveNow(s Settings) bool {
	return GoesLiveNow(s, p.JobID != 0 || p.Quick, false)
}

// Unique returns names without repeats, in first-seen order.
func Unique(names []string) []string {
	seen := make(map[string]bool, len(names))
	out := names[:0:0]
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// Cascades says whether a publication publishes the selection's
// references with it: marking actions do (PUB-3; Quick Publish, SEL-5),
// unless the list is exact (the apply step of a reviewed plan); unmarking
// never does (PUB-4).
func (p *Publication) Cascades() bool { return p.Action.Marks() && !p.Exact }
