package delivery

import (
	"crypto/sha256"
	"net/http"
	"sync"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/imaging"
)

// renditionHead is what a rendition request derives before the cache is
// asked: the rendition key, the cache file's name, and the header values
// that depend on nothing else. Header values are clipped one-element
// slices shared read-only by every reply that uses them: a handler that
// appends to one reallocates, and http.Header.Clone copies them.
type renditionHead struct {
	key     string
	sum     [sha256.Size]byte
	name    string   // hex of sum: the cache file's name
	etag    []string // ETag
	xkey    []string // Xkey lines
	lastMod []string // Last-Modified, nil without a modification time
}

// headKey names a head by what decides it. The company and entry are the
// lookup cache's own values, which are never modified: a change to the
// catalog or the settings makes new ones (Invalidate, LookupTTL), so a
// head found under them cannot be stale, and holding them here keeps
// their addresses from being reused.
type headKey struct {
	c     *vitrine.Company
	e     *vitrine.CatalogEntry
	query string // the raw query the request was parsed from
}

// headMemo keeps heads for the requests seen lately, up to max; when full
// it starts over rather than tracking recency.
type headMemo struct {
	mu  sync.Mutex
	m   map[headKey]*renditionHead
	max int
}

func newHeadMemo(max int) *headMemo {
	return &headMemo{m: map[headKey]*renditionHead{}, max: max}
}

func (m *headMemo) get(k headKey) *renditionHead {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.m[k]
}

func (m *headMemo) put(k headKey, hd *renditionHead) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.m) >= m.max {
		clear(m.m)
	}
	m.m[k] = hd
}

// head returns the head of rendering e for req, and the plan when it had
// to be made. A request whose head is memoised made a valid plan before
// with the same inputs, so its plan is made again only on a cache miss
// (planFor). Requests tagged with other ids (a default image), moved by
// a smart crop or composited with layer sources (each looked up on its
// own) are not memoised: their inputs are more than the key's.
func (h *Handler) head(query string, c *vitrine.Company, e *vitrine.CatalogEntry, layers map[string]*vitrine.CatalogEntry,
	req *imaging.Request, src imaging.Source, also []string) (*renditionHead, *imaging.Plan, error) {
	sc := req.SmartCropKey()
	memo := len(also) == 0 && sc == "" && len(layers) == 0
	k := headKey{c: c, e: e, query: query}
	if memo {
		if hd := h.heads.get(k); hd != nil {
			return hd, nil, nil
		}
	}
	settings := imaging.SettingsFrom(c.Settings)
	plan, err := imaging.NewCompositePlan(req, src, layerHeaders(layers), settings)
	if err != nil {
		return nil, nil, err
	}
	mods := req.CacheKey()
	if sc != "" {
		mods += "&" + sc // a moved box is another rendition
	}
	mods += layerVersions(req, layers)
	key := renditionKey(c.RootID, e.Version.SHA256, mods, h.fingerprint(c, settings))
	hd := &renditionHead{key: key, etag: []string{renditionETag(key)}}
	hd.sum, hd.name = nameFor(key)
	xk := http.Header{}
	setXkeys(xk, c.RootID, append(append([]string{e.Name}, layerNames(layers)...), also...)...)
	hd.xkey = clipped(xk["Xkey"])
	if modtime := e.Version.CreatedAt; !isZeroTime(modtime) {
		hd.lastMod = []string{modtime.UTC().Format(http.TimeFormat)}
	}
	if memo {
		h.heads.put(k, hd)
	}
	return hd, plan, nil
}

// planFor returns plan, or makes it when the head came from the memo
// (never for a request with layer sources: those are not memoised).
func planFor(plan *imaging.Plan, c *vitrine.Company, req *imaging.Request, src imaging.Source) (*imaging.Plan, error) {
	if plan != nil {
		return plan, nil
	}
	return imaging.NewPlan(req, src, imaging.SettingsFrom(c.Settings))
}

func clipped(s []string) []string { return s[:len(s):len(s)] }
