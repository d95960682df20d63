package edge

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// passTTL is how long a URL found uncacheable (private, too large) goes
// straight to the origin before the edge tries to cache it again.
const passTTL = 30 * time.Second

var errFetchPanicked = errors.New("edge: origin fetch panicked")

// fetchJob is one origin request, made for every client collapsed onto it.
type fetchJob struct {
	primary string      // normalised URL
	key     string      // cache key looked up, with the Vary known then
	path    string      // escaped path, as the client sent it
	query   string      // raw query, as the client sent it
	header  http.Header // forwarded request headers
	old     *entry      // expired entry being refreshed, or nil
	epoch   uint64      // purge epoch when the lookup was made
}

// outcome is what a fetch gives the requests that waited on it.
type outcome struct {
	e     *entry // the response; nil with pass or err
	label string // X-Cache for it: MISS or REVALIDATED
	share bool   // may answer requests other than the leader's
	pass  bool   // too large to buffer: every request goes to the origin itself
	err   error  // the origin could not be reached
}

// fetch asks the origin for j, revalidating j.old when it has validators,
// and stores what may be stored. It runs on the goroutine of the request
// that leads the flight (or a background refresh), with a context that
// ends at Close or OriginTimeout but not when that client leaves: the
// other waiters still want the response.
func (n *Node) fetch(j fetchJob) outcome {
	ctx, cancel := context.WithTimeout(n.ctx, n.cfg.OriginTimeout)
	defer cancel()
	target := strings.TrimRight(n.cfg.Origin.String(), "/") + j.path
	if j.query != "" {
		target += "?" + j.query
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return outcome{err: fmt.Errorf("edge: origin request for %s: %w", j.path, err)}
	}
	for k, vs := range j.header {
		req.Header[k] = vs
	}
	req.Header.Set("Via", "1.1 vitrine-edge")
	revalidating := j.old != nil && j.old.hasValidators()
	if revalidating {
		if v := j.old.Header.Get("ETag"); v != "" {
			req.Header.Set("If-None-Match", v)
		}
		if v := j.old.Header.Get("Last-Modified"); v != "" {
			req.Header.Set("If-Modified-Since", v)
		}
	}
	resp, err := n.client.Do(req)
	if err != nil {
		n.metrics.originFetch(0)
		return outcome{err: fmt.Errorf("edge: fetch %s: %w", j.path, err)}
	}
	defer resp.Body.Close()
	n.metrics.originFetch(resp.StatusCode)
	now := n.now()

	if resp.StatusCode == http.StatusNotModified && revalidating {
		return n.refreshed(j, resp.Header, now)
	}
	if resp.ContentLength > n.cfg.MaxObjectBytes {
		return n.tooLarge(j, now)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, n.cfg.MaxObjectBytes+1))
	if err != nil {
		return outcome{err: fmt.Errorf("edge: read %s from origin: %w", j.path, err)}
	}
	if int64(len(body)) > n.cfg.MaxObjectBytes {
		return n.tooLarge(j, now)
	}

	p := decide(resp.StatusCode, resp.Header, now, n.cfg.StaleWhileRevalidate)
	h := storedHeader(resp.Header)
	names := varyNames(resp.Header, n.cfg.ForwardHeaders)
	vals := varyValues(j.header, names)
	e := &entry{
		Key:        variantKey(j.primary, names, vals),
		Primary:    j.primary,
		Status:     resp.StatusCode,
		Header:     h,
		Body:       body,
		Tags:       tags(j.primary, h),
		Born:       now.Add(-originAge(resp.Header)),
		TTL:        p.ttl,
		SWR:        p.swr,
		Vary:       names,
		VaryValues: vals,
	}
	e.seal()
	switch {
	case p.store:
		if !n.store.put(e, j.epoch) {
			n.log.Debug("edge: response fetched before a purge not stored", "key", e.Key)
		}
		if e.Key != j.key {
			// The URL's Vary changed: the entry under the old key
			// would never be looked up again.
			n.store.remove(j.key)
		}
	case !p.share:
		n.store.putPass(&entry{Key: j.key, Primary: j.primary, Born: now, TTL: passTTL, Pass: true})
	case j.old != nil:
		// The origin no longer lets this be cached (unpublished, an
		// error, no-store): the expired copy must not be served again.
		n.store.remove(j.key)
	}
	return outcome{e: e, label: "MISS", share: p.share}
}

// refreshed handles a 304: the stored entry is fresh again, with the
// headers the origin updated.
func (n *Node) refreshed(j fetchJob, h http.Header, now time.Time) outcome {
	e := j.old.revalidated(h, now)
	p := decide(http.StatusOK, e.Header, now, n.cfg.StaleWhileRevalidate)
	e.TTL, e.SWR = p.ttl, p.swr
	if p.store {
		n.store.put(e, j.epoch)
	} else {
		n.store.remove(j.key)
	}
	return outcome{e: e, label: "REVALIDATED", share: p.share}
}

// tooLarge marks the URL for pass-through: the body is not buffered, and
// every waiting request streams its own copy (with its own Range).
func (n *Node) tooLarge(j fetchJob, now time.Time) outcome {
	n.store.putPass(&entry{Key: j.key, Primary: j.primary, Born: now, TTL: passTTL, Pass: true})
	return outcome{pass: true}
}
