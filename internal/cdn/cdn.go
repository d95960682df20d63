// Package cdn is the origin side of cache invalidation (SPEC §6): it turns
// catalog changes and Invalidate CDN requests into purges sent to every
// edge and CDN the operator configured, and records each invalidation as a
// job with every edge's confirmation.
package cdn

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/edge"
)

// MaxURLs bounds one Invalidate CDN request (CDN-3).
const MaxURLs = 1000

// Store is what the invalidator reads and writes: assets, to expand a
// request's templates, and the invalidation's job record.
type Store interface {
	vitrine.AssetReader
	vitrine.JobRecorder
}

// Invalidator sends purges to the configured targets.
type Invalidator struct {
	db      Store
	targets []edge.Purgeable
	log     *slog.Logger
	now     func() time.Time
}

// New returns an Invalidator for targets (edge purgers, Varnish clients).
// With no targets every purge is trivially confirmed.
func New(db Store, targets []edge.Purgeable, log *slog.Logger) *Invalidator {
	return &Invalidator{db: db, targets: targets, log: log, now: time.Now}
}

// Report is what a purge achieved.
type Report struct {
	ID          string            `json:"id"`
	Confirmed   bool              `json:"confirmed"`
	Unconfirmed []string          `json:"unconfirmed,omitempty"` // edges that did not confirm
	Edges       []edge.EdgeResult `json:"edges"`
}

// purge sends req to every target and merges their reports.
func (v *Invalidator) purge(ctx context.Context, req edge.PurgeRequest) Report {
	rep := Report{ID: req.ID, Confirmed: true, Edges: []edge.EdgeResult{}}
	for _, t := range v.targets {
		r := t.Purge(ctx, req)
		rep.Edges = append(rep.Edges, r.Results...)
		if !r.Confirmed() {
			rep.Confirmed = false
			rep.Unconfirmed = append(rep.Unconfirmed, r.Unconfirmed()...)
		}
	}
	return rep
}

// Key is the surrogate key of everything derived from an asset, the Xkey
// delivery sends (vitrine.SurrogateKey: encoded so it can neither split nor
// collide).
func Key(company, asset string) string { return vitrine.SurrogateKey(company, asset) }

// maxKeysPerPurge bounds one purge request's keys, well under what an edge
// accepts (edge.PurgeRequest.Validate), so a large unpublish is sent in
// several requests instead of being refused whole.
const maxKeysPerPurge = 5000

// AfterChange purges what catalog changes require: an asset leaving the
// catalog always (CDN-4: no edge may serve it once the call returns), a new
// version only when the company invalidates on republish (CDN-2; otherwise
// edges keep the old bytes until their TTL, as Scene7 does). It waits for
// the edges' confirmations.
func (v *Invalidator) AfterChange(ctx context.Context, c *vitrine.Company, changes []vitrine.CatalogChange) *Report {
	seen := map[string]bool{}
	var keys []string
	for _, ch := range changes {
		if k := Key(c.RootID, ch.Asset); vitrine.NeedsPurge(ch, c.Settings) && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	return v.purgeKeys(ctx, keys)
}

func (v *Invalidator) purgeKeys(ctx context.Context, keys []string) *Report {
	if len(keys) == 0 || len(v.targets) == 0 {
		return nil
	}
	id := fmt.Sprintf("chg-%d", v.now().UnixNano())
	rep := Report{ID: id, Confirmed: true, Edges: []edge.EdgeResult{}}
	for part := 0; len(keys) > 0; part++ {
		n := min(len(keys), maxKeysPerPurge)
		pid := id
		if part > 0 {
			pid = fmt.Sprintf("%s-%d", id, part)
		}
		r := v.purge(ctx, edge.PurgeRequest{ID: pid, Keys: keys[:n]})
		rep.Edges = append(rep.Edges, r.Edges...)
		if !r.Confirmed {
			rep.Confirmed = false
			rep.Unconfirmed = append(rep.Unconfirmed, r.Unconfirmed...)
			v.log.WarnContext(ctx, "purge not confirmed by every edge", "id", pid, "keys", n, "unconfirmed", r.Unconfirmed)
		}
		keys = keys[n:]
	}
	return &rep
}

// Request is an Invalidate CDN request (CDN-3).
type Request struct {
	Assets        []string `json:"assets"`
	URLs          []string `json:"urls"`
	AllRenditions bool     `json:"all_renditions"` // also every rendition of each asset (its surrogate key)
}

// Result is an accepted invalidation.
type Result struct {
	JobID           int64    `json:"id"`
	Status          string   `json:"status"`
	URLs            []string `json:"urls"`
	Keys            []string `json:"keys,omitempty"`
	EstimateSeconds int      `json:"estimate_seconds"`
	Report          Report   `json:"purge"`
}

// Invalidate checks and expands a request, purges every target, and
// records the invalidation as a job. Company admins only.
func (v *Invalidator) Invalidate(ctx context.Context, p *vitrine.Principal, req Request) (*Result, error) {
	if err := vitrine.CanInvalidate(p); err != nil {
		return nil, err
	}
	urls, keys, err := v.expand(ctx, p, req)
	if err != nil {
		return nil, err
	}
	started := v.now()
	name := vitrine.JobName("Invalidate", started)
	rep := v.purge(ctx, edge.PurgeRequest{ID: name, Keys: keys, URLs: urls})
	lines := []vitrine.JobLine{}
	for _, e := range rep.Edges {
		if e.OK {
			lines = append(lines, vitrine.JobLine{Level: vitrine.LogInfo, Message: fmt.Sprintf("%s confirmed in %v (%d entries)", e.Edge, e.Latency.Round(time.Millisecond), e.Purged)})
		} else {
			lines = append(lines, vitrine.JobLine{Level: vitrine.LogError, Message: fmt.Sprintf("%s did not confirm: %s", e.Edge, e.Error)})
		}
	}
	if len(v.targets) == 0 {
		lines = append(lines, vitrine.JobLine{Level: vitrine.LogInfo, Message: "no edges or CDNs are configured; nothing to purge"})
	}
	job, err := v.db.RecordJob(ctx, p, vitrine.JobInvalidate, name, map[string]any{"urls": urls, "keys": keys}, len(rep.Edges), lines)
	if err != nil {
		return nil, err
	}
	return &Result{JobID: job.ID, Status: string(job.Status), URLs: urls, Keys: keys, Report: rep,
		EstimateSeconds: int(time.Since(started).Seconds()) + 1}, nil
}

// expand turns a request into URLs and surrogate keys, refusing the whole
// request when any URL is malformed or outside the company's namespace.
func (v *Invalidator) expand(ctx context.Context, p *vitrine.Principal, req Request) ([]string, []string, error) {
	company := p.Company.RootID
	var urls, keys []string
	if len(req.Assets) == 0 && len(req.URLs) == 0 {
		return nil, nil, vitrine.Errorf(vitrine.EINVALID, "name assets, URLs or both")
	}
	var missing []vitrine.ErrorDetail
	for _, name := range req.Assets {
		if _, err := v.db.Asset(ctx, p.Company.ID, name); vitrine.ErrorCode(err) == vitrine.ENOTFOUND {
			missing = append(missing, vitrine.ErrorDetail{Item: name, Message: "asset not found"})
			continue
		} else if err != nil {
			return nil, nil, err
		}
		for _, line := range p.Company.Settings.InvalidationTemplate {
			// Template lines are checked like explicit URLs: a template that
			// names another company's namespace must not purge it.
			u, err := CheckURL(ExpandTemplate(line, company, name), company)
			if err != nil {
				return nil, nil, vitrine.Errorf(vitrine.EINVALID, "invalidation template line %q: %v; fix it in the settings", line, err)
			}
			urls = append(urls, u)
		}
		if req.AllRenditions {
			keys = append(keys, Key(company, name))
		}
	}
	if len(missing) > 0 {
		e := vitrine.Errorf(vitrine.ENOTFOUND, "%d asset(s) not found; nothing was invalidated", len(missing))
		e.Details = missing
		return nil, nil, e
	}
	var bad []vitrine.ErrorDetail
	for _, raw := range req.URLs {
		u, err := CheckURL(raw, company)
		if err != nil {
			bad = append(bad, vitrine.ErrorDetail{Item: raw, Message: err.Error()})
			continue
		}
		urls = append(urls, u)
	}
	if len(bad) > 0 {
		e := vitrine.Errorf(vitrine.EINVALID, "%d URL(s) are malformed or outside /is/…/%s/; nothing was invalidated", len(bad), company)
		e.Details = bad
		return nil, nil, e
	}
	if len(urls) > MaxURLs {
		return nil, nil, vitrine.Errorf(vitrine.EINVALID, "%d URLs; at most %d per request", len(urls), MaxURLs)
	}
	return urls, keys, nil
}

// ExpandTemplate fills a CDN invalidation template line: <ID> is the asset
// id (URL-escaped), <COMPANY> the company's root id.
func ExpandTemplate(line, company, asset string) string {
	return strings.NewReplacer("<ID>", url.PathEscape(asset), "<COMPANY>", company).Replace(line)
}

// CheckURL accepts a delivery URL of the company, absolute or a path, and
// returns it as path?query.
func CheckURL(raw, company string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || raw == "" {
		return "", fmt.Errorf("not a URL")
	}
	if u.IsAbs() && u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("only http and https URLs")
	}
	p := u.EscapedPath()
	ok := false
	for _, prefix := range []string{"/is/image/", "/is/content/", "/preview/is/image/", "/preview/is/content/"} {
		rest, found := strings.CutPrefix(p, prefix)
		if found && strings.HasPrefix(rest, company+"/") && len(rest) > len(company)+1 {
			ok = true
		}
	}
	if !ok {
		return "", fmt.Errorf("not a delivery URL of company %s", company)
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p, nil
}
