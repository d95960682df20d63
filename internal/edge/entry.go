package edge

import (
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// entry is one response as the edge keeps it. Entries are immutable once
// built: a revalidation makes a new one sharing the body, so readers need
// no lock.
type entry struct {
	Key     string // cache key: the normalised URL plus the Vary values
	Primary string // normalised URL alone; URL purges match on it
	Status  int
	Header  http.Header // end-to-end headers as the origin sent them
	Body    []byte      `json:"-"`
	// Tags are what a purge can name: "u:"+Primary and "k:"+each Xkey.
	Tags []string
	// Born is when the response had age 0: the fetch time minus the
	// origin's Age header.
	Born time.Time
	TTL  time.Duration // freshness lifetime
	SWR  time.Duration // stale-while-revalidate window after TTL
	// Vary holds the forwarded request headers the response depends on,
	// and VaryValues the values the fetching request had for them.
	Vary       []string
	VaryValues []string
	// Pass marks a "hit for pass": the URL is not cacheable (private or
	// too large), so requests go straight to the origin for a while
	// instead of queueing behind each other's fetches.
	Pass bool
	// hitHead is the head of a 200 reply with this entry, less what
	// changes per reply (buildHitHead), for the hit loop's fast path;
	// nil sends its requests the long way. Set with seal before the
	// entry is shared.
	hitHead []byte
}

// seal computes what is derived from the entry's response once it is
// complete; call it before the entry is stored or shared.
func (e *entry) seal() *entry {
	e.hitHead = e.buildHitHead()
	return e
}

func (e *entry) age(now time.Time) time.Duration { return max(now.Sub(e.Born), 0) }

func (e *entry) fresh(now time.Time) bool { return e.age(now) < e.TTL }

// usableStale reports whether an expired entry may still be served while a
// background revalidation runs.
func (e *entry) usableStale(now time.Time) bool {
	a := e.age(now)
	return a >= e.TTL && a < e.TTL+e.SWR
}

func (e *entry) hasValidators() bool {
	return e.Header.Get("ETag") != "" || e.Header.Get("Last-Modified") != ""
}

// modTime is the Last-Modified time http.ServeContent compares
// If-Modified-Since with; zero when the origin sent none.
func (e *entry) modTime() time.Time {
	t, err := http.ParseTime(e.Header.Get("Last-Modified"))
	if err != nil {
		return time.Time{}
	}
	return t
}

// weight is the entry's share of the memory bound: body, headers, key and
// a fixed overhead for the structures around them.
func (e *entry) weight() uint32 {
	w := int64(len(e.Body)) + int64(len(e.Key)) + int64(len(e.hitHead)) + 256
	for k, vs := range e.Header {
		w += int64(len(k))
		for _, v := range vs {
			w += int64(len(v)) + 16
		}
	}
	return uint32(min(w, math.MaxUint32))
}

// notStored are the response headers an edge never keeps: hop-by-hop
// headers (RFC 9110 §7.6.1), headers it recomputes for every reply, and
// cookies, which are never shared.
var notStored = []string{
	"Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Connection",
	"Te", "Trailer", "Transfer-Encoding", "Upgrade",
	"Age", "Date", "Content-Length", "Set-Cookie", "X-Cache",
}

// storedHeader copies the end-to-end headers of an origin response. Each
// value slice is clipped so that a handler appending to the header of one
// reply reallocates instead of writing into memory other replies share.
func storedHeader(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		out[k] = slices.Clip(slices.Clone(vs))
	}
	for _, f := range h.Values("Connection") {
		for name := range strings.SplitSeq(f, ",") {
			out.Del(strings.TrimSpace(name))
		}
	}
	for _, k := range notStored {
		out.Del(k)
	}
	return out
}

// refreshedHeaders are the headers a 304 updates in the stored response
// (RFC 9111 §4.3.4, restricted to the ones that matter to an edge).
var refreshedHeaders = []string{"Cache-Control", "Expires", "ETag", "Last-Modified", "Xkey", "Vary"}

// revalidated returns a copy of e brought up to date by a 304 that arrived
// at now with header h. The caller sets its TTL from the merged headers.
func (e *entry) revalidated(h http.Header, now time.Time) *entry {
	c := *e
	c.Header = e.Header.Clone()
	for _, k := range refreshedHeaders {
		if vs := h.Values(k); len(vs) > 0 {
			c.Header[k] = slices.Clip(slices.Clone(vs))
		}
	}
	c.Born = now.Add(-originAge(h))
	c.Tags = tags(c.Primary, c.Header)
	return c.seal()
}

// originAge is the Age the origin (or a cache before us) reported.
func originAge(h http.Header) time.Duration {
	n, err := strconv.ParseInt(h.Get("Age"), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return min(time.Duration(n)*time.Second, maxLifetime)
}

// tags lists what a purge can name an entry by: its normalised URL and
// each surrogate key of its Xkey headers (space or comma separated, as
// Varnish's xkey reads them; vitrine.SurrogateKey encodes both away, and
// a purge naming a key with either is refused, so a key cannot split).
func tags(primary string, h http.Header) []string {
	t := []string{"u:" + primary}
	for _, v := range h.Values("Xkey") {
		for _, k := range strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' }) {
			if !slices.Contains(t, "k:"+k) {
				t = append(t, "k:"+k)
			}
		}
	}
	return t
}

// varyNames lists the forwarded headers named by the response's Vary, in
// canonical form and sorted, so that the same Vary always yields the same
// key.
func varyNames(h http.Header, forwarded []string) []string {
	var names []string
	for _, v := range h.Values("Vary") {
		for f := range strings.SplitSeq(v, ",") {
			name := http.CanonicalHeaderKey(strings.TrimSpace(f))
			if slices.Contains(forwarded, name) && !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
	}
	slices.Sort(names)
	return names
}

// varyValues reads the request's values for names, one string each.
func varyValues(req http.Header, names []string) []string {
	if len(names) == 0 {
		return nil
	}
	vals := make([]string, len(names))
	for i, n := range names {
		vals[i] = strings.Join(req.Values(n), ", ")
	}
	return vals
}

// variantKey is the cache key of a request for primary when the response
// varies on names.
func variantKey(primary string, names, values []string) string {
	if len(names) == 0 {
		return primary
	}
	var b strings.Builder
	b.WriteString(primary)
	for i, n := range names {
		b.WriteByte(0)
		b.WriteString(n)
		b.WriteByte('=')
		b.WriteString(values[i])
	}
	return b.String()
}
