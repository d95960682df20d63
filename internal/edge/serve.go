package edge

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// serveCache answers a GET or HEAD from the cache, from a fetch another
// request already started, or from a new origin fetch.
func (n *Node) serveCache(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "" {
		// A credential may change the answer; such a response is the
		// client's alone.
		n.pass(w, r)
		return
	}
	primary := n.keys.key(r.URL.EscapedPath(), r.URL.RawQuery)
	fwd := n.forwardHeader(r.Header)
	// A second or third round happens only when a collapsed fetch turned
	// out to vary on a header this request has a different value for.
	for range 3 {
		epoch := n.store.epoch.Load()
		names := n.store.varyOf(primary)
		key := variantKey(primary, names, varyValues(fwd, names))
		now := n.now()
		e, found := n.store.get(key)
		if found && e.Pass {
			if e.fresh(now) {
				n.pass(w, r)
				return
			}
			e, found = nil, false
		}
		if found {
			switch {
			case e.fresh(now):
				n.write(w, r, e, "HIT", now)
				return
			case e.usableStale(now):
				n.refreshInBackground(fetchJob{primary, key, r.URL.EscapedPath(), r.URL.RawQuery, fwd, e, epoch})
				n.write(w, r, e, "STALE", now)
				return
			}
		}
		job := fetchJob{primary, key, r.URL.EscapedPath(), r.URL.RawQuery, fwd, e, epoch}
		out, leader, err := n.flight.do(r.Context(), flightKey(key, epoch), func() outcome { return n.fetch(job) })
		if err != nil {
			return // the client left while waiting
		}
		if !leader {
			n.metrics.collapsed.Inc()
		}
		switch {
		case out.err != nil:
			// Shared with the waiters too: a down origin gets one
			// request per URL, not one per client.
			n.log.Warn("edge: origin fetch failed", "url", r.URL.RequestURI(), "err", out.err)
			n.metrics.request("ERROR", 0)
			badGateway(w)
			return
		case out.pass || (!leader && !out.share):
			n.pass(w, r)
			return
		case !leader && !slices.Equal(varyValues(fwd, out.e.Vary), out.e.VaryValues):
			continue
		}
		n.write(w, r, out.e, out.label, n.now())
		return
	}
	n.pass(w, r)
}

// flightKey includes the purge epoch so that a request arriving after a
// purge never waits on a fetch that started before it.
func flightKey(key string, epoch uint64) string {
	return strconv.FormatUint(epoch, 10) + "#" + key
}

// refreshInBackground revalidates a stale entry after it has been served,
// once per key however many requests see it stale.
func (n *Node) refreshInBackground(j fetchJob) {
	if _, busy := n.refreshing.LoadOrStore(j.key, struct{}{}); busy {
		return
	}
	started := n.goBackground(func() {
		defer n.refreshing.Delete(j.key)
		n.flight.do(n.ctx, flightKey(j.key, j.epoch), func() outcome { return n.fetch(j) })
	})
	if !started {
		n.refreshing.Delete(j.key)
	}
}

// forwardHeader copies the request headers the origin may see.
// A request without any of them gets nil, read like an empty header.
func (n *Node) forwardHeader(h http.Header) http.Header {
	var out http.Header
	for _, k := range n.cfg.ForwardHeaders {
		if vs := h.Values(k); len(vs) > 0 {
			if out == nil {
				out = make(http.Header, len(n.cfg.ForwardHeaders))
			}
			out[k] = vs
		}
	}
	return out
}

// write sends e, answering the client's conditional and range requests
// from the stored bytes.
func (n *Node) write(w http.ResponseWriter, r *http.Request, e *entry, label string, now time.Time) {
	h := w.Header()
	for k, vs := range e.Header {
		h[k] = vs // clipped at store time, so appends cannot reach the entry
	}
	// The reply's own headers share one allocation; each value is a
	// clipped slice, so appending to one never reaches another.
	vals := make([]string, 0, 5)
	set := func(k, v string) {
		vals = append(vals, v)
		h[k] = vals[len(vals)-1 : len(vals) : len(vals)]
	}
	set("Age", strconv.FormatInt(int64(e.age(now)/time.Second), 10))
	set("X-Cache", label)
	cw := &countingWriter{ResponseWriter: w}
	switch {
	case e.Status == http.StatusOK && conditional(r):
		http.ServeContent(cw, r, "", e.modTime(), bytes.NewReader(e.Body))
	default:
		// The common case, written in one call: ServeContent's copy
		// would allocate a 32 KB buffer for every reply.
		if e.Status == http.StatusOK {
			set("Accept-Ranges", "bytes")
			if _, ok := h["Content-Type"]; !ok {
				set("Content-Type", http.DetectContentType(e.Body))
			}
		}
		set("Content-Length", strconv.Itoa(len(e.Body)))
		cw.WriteHeader(e.Status)
		if r.Method != http.MethodHead {
			cw.Write(e.Body)
		}
	}
	n.metrics.request(label, cw.n)
}

// conditional reports whether a request needs http.ServeContent: a range,
// or a precondition to check against the stored validators.
func conditional(r *http.Request) bool {
	for _, k := range conditionalHeaders {
		if _, ok := r.Header[k]; ok {
			return true
		}
	}
	return false
}

// conditionalHeaders are the request headers that make a reply partial or
// conditional.
var conditionalHeaders = []string{"Range", "If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since"}

// badGateway answers when the origin cannot be reached. Like every error
// it is not cacheable downstream.
func badGateway(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Cache", "ERROR")
	w.WriteHeader(http.StatusBadGateway)
	w.Write([]byte("Origin unavailable\n"))
}

// countingWriter counts the body bytes written, for the bytes-served metric.
type countingWriter struct {
	http.ResponseWriter
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.ResponseWriter.Write(b)
	c.n += int64(n)
	return n, err
}

// ReadFrom keeps io.Copy (and so http.ServeContent) on the server's own
// pooled-buffer copy instead of allocating 32 KB for every reply.
func (c *countingWriter) ReadFrom(r io.Reader) (int64, error) {
	n, err := io.Copy(c.ResponseWriter, r)
	c.n += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (c *countingWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }
