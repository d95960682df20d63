package edge

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxLifetime caps freshness so arithmetic on it cannot overflow.
const maxLifetime = 365 * 24 * time.Hour

// directives is a parsed Cache-Control header: lower-case names to their
// unquoted values ("" for a bare directive).
type directives map[string]string

func parseCacheControl(values []string) directives {
	d := directives{}
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			name, value, _ := strings.Cut(strings.TrimSpace(part), "=")
			if name == "" {
				continue
			}
			d[strings.ToLower(name)] = strings.Trim(strings.TrimSpace(value), `"`)
		}
	}
	return d
}

func (d directives) has(name string) bool {
	_, ok := d[name]
	return ok
}

// seconds reads a delta-seconds value; anything unreadable is 0, which
// RFC 9111 §1.2.2 says to treat as already stale.
func (d directives) seconds(name string) (time.Duration, bool) {
	v, ok := d[name]
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, true
	}
	return min(time.Duration(n)*time.Second, maxLifetime), true
}

// policy is what the edge may do with one origin response.
type policy struct {
	store bool          // keep it in the cache
	share bool          // hand it to the other requests collapsed onto the fetch
	ttl   time.Duration // freshness lifetime, counted from the response's age 0
	swr   time.Duration // how long after ttl it may be served while refreshed
}

// decide applies the origin's cache headers (RFC 9111 for a shared cache)
// to a response. Only 200s are ever stored: errors and denials (DEL-2)
// are shared with the requests waiting on the same fetch, never kept.
// Private responses, cookies and Vary: * are not even shared.
func decide(status int, h http.Header, now time.Time, defaultSWR time.Duration) policy {
	cc := parseCacheControl(h.Values("Cache-Control"))
	if cc.has("private") || len(h.Values("Set-Cookie")) > 0 || varyStar(h) {
		return policy{}
	}
	p := policy{share: true}
	if status != http.StatusOK || cc.has("no-store") {
		return p
	}
	noCache := cc.has("no-cache")
	ttl, ok := lifetime(cc, h, now)
	switch {
	case noCache:
		ttl = 0 // kept, but revalidated before every use
	case !ok:
		// No explicit freshness: heuristic caching would guess a TTL the
		// origin never chose, so such a response is not kept.
		return p
	}
	if ttl == 0 && h.Get("ETag") == "" && h.Get("Last-Modified") == "" {
		return p // stale at once and nothing to revalidate with
	}
	p.store, p.ttl = true, ttl
	switch swr, explicit := cc.seconds("stale-while-revalidate"); {
	case noCache || cc.has("must-revalidate") || cc.has("proxy-revalidate"):
	case explicit:
		p.swr = swr
	case !cc.has("s-maxage"):
		// s-maxage implies proxy-revalidate (RFC 9111 §5.2.2.10): only
		// an explicit directive may relax it.
		p.swr = defaultSWR
	}
	return p
}

// lifetime is the freshness lifetime: s-maxage, then max-age, then
// Expires minus Date.
func lifetime(cc directives, h http.Header, now time.Time) (time.Duration, bool) {
	if d, ok := cc.seconds("s-maxage"); ok {
		return d, true
	}
	if d, ok := cc.seconds("max-age"); ok {
		return d, true
	}
	exp := h.Get("Expires")
	if exp == "" {
		return 0, false
	}
	t, err := http.ParseTime(exp)
	if err != nil {
		return 0, true
	}
	date := now
	if d, err := http.ParseTime(h.Get("Date")); err == nil {
		date = d
	}
	return min(max(t.Sub(date), 0), maxLifetime), true
}

func varyStar(h http.Header) bool {
	for _, v := range h.Values("Vary") {
		for f := range strings.SplitSeq(v, ",") {
			if strings.TrimSpace(f) == "*" {
				return true
			}
		}
	}
	return false
}
