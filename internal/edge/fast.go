package edge

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/front"
)

// ServeFast answers a request from the memory tier when it can do so at
// once, for the front's hit loop (front.FastHandler): a GET or HEAD for a
// fresh 200 entry held in memory, without credentials or preconditions,
// whose target is already in the form ServeHTTP reads it. It answers what
// ServeHTTP would (the same headers; Age and X-Cache per reply) and counts
// the hit the same way. Anything else (a miss, a stale or disk-tier entry,
// a pass, a range or conditional request, a path to normalise) is
// declined without touching rep, and goes to ServeHTTP.
//
// It never blocks: it runs on the loop's own thread.
func (n *Node) ServeFast(r *front.FastRequest, rep *front.FastReply) bool {
	target := r.Target()
	path, query, _ := strings.Cut(string(target), "?")
	if !fastPath(path) || r.Has("Authorization") || fastConditional(r) {
		return false
	}
	primary := n.keys.key(path, query)
	key := primary
	if names := n.store.varyOf(primary); len(names) > 0 {
		key = variantKey(primary, names, fastVaryValues(r, names))
	}
	now := n.now()
	e, found := n.store.mem.GetIfPresent(key)
	if !found || e.Pass || e.Status != http.StatusOK || e.hitHead == nil || !e.fresh(now) {
		return false
	}
	rep.Head = append(rep.Head, e.hitHead...)
	rep.Head = append(rep.Head, "Age: "...)
	rep.Head = strconv.AppendInt(rep.Head, int64(e.age(now)/time.Second), 10)
	rep.Head = append(rep.Head, "\r\nX-Cache: HIT\r\n"...)
	var sent int64
	if r.Method() != http.MethodHead {
		rep.Body, sent = e.Body, int64(len(e.Body))
	}
	n.metrics.request("HIT", sent)
	return true
}

// fastPath reports whether path is a delivery path that ServeHTTP reads
// as it is: under /is/, already in the form vitrine.NormalizeDeliveryPath
// gives, and made of characters that url parsing keeps as sent (no
// escapes, so that it equals the parsed URL's EscapedPath).
func fastPath(p string) bool {
	if !strings.HasPrefix(p, "/is/") {
		return false
	}
	if _, changed := vitrine.NormalizeDeliveryPath(p); changed {
		return false
	}
	for i := 0; i < len(p); i++ {
		switch b := p[i]; {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		case strings.IndexByte("/-._~!$&'()*,;=:@", b) >= 0:
		default:
			return false
		}
	}
	return true
}

// fastConditional is conditional for a FastRequest.
func fastConditional(r *front.FastRequest) bool {
	for _, k := range conditionalHeaders {
		if r.Has(k) {
			return true
		}
	}
	return false
}

// fastVaryValues is varyValues for a FastRequest. The names a response
// varies on are forwarded headers only (varyNames), so the request's own
// values are the ones the origin saw.
func fastVaryValues(r *front.FastRequest, names []string) []string {
	vals := make([]string, len(names))
	for i, name := range names {
		var vs []string
		r.Header(name, func(v []byte) bool { vs = append(vs, string(v)); return true })
		vals[i] = strings.Join(vs, ", ")
	}
	return vals
}

// hitHead is the head of a 200 reply with e, as write sends it through the
// front's Writer, without what changes per reply (Age, X-Cache, Date) and
// without the empty line: the status line, then the stored headers with
// Accept-Ranges, Content-Type (sniffed when the origin sent none) and
// Content-Length, sorted by name. Nil when e is no plain 200 or carries a
// header the front would treat specially.
func (e *entry) buildHitHead() []byte {
	if e.Status != http.StatusOK || e.Pass {
		return nil
	}
	h := make(http.Header, len(e.Header)+3)
	for k, vs := range e.Header {
		h[k] = vs
	}
	h["Accept-Ranges"] = []string{"bytes"}
	if _, ok := h["Content-Type"]; !ok {
		h["Content-Type"] = []string{http.DetectContentType(e.Body)}
	}
	h["Content-Length"] = []string{strconv.Itoa(len(e.Body))}
	for k := range h {
		switch k {
		case "Connection", "Date", "Age", "X-Cache", "Transfer-Encoding", "Trailer":
			return nil // not stored (storedHeader); a reply with one goes the long way
		}
		if !front.ValidFieldName(k) {
			return nil
		}
	}
	b, _ := front.AppendHead(nil, http.StatusOK, h, nil)
	return slices.Clip(b)
}
