package edge

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/vitrine/vitrine"
)

// maxPurgeBody bounds a purge request body: an invalidation's 1000 URLs
// (CDN-3) take far less, a full purge of maxPurgeItems keys about this.
const maxPurgeBody = 1 << 20

// purgeBodyTimeout bounds the time a purge's body may take to arrive.
const purgeBodyTimeout = 10 * time.Second

// maxPurgeItems bounds the keys and URLs of one purge.
const maxPurgeItems = 20000

// PurgeRequest names what to remove from a cache: entries tagged with any
// of Keys (the origin's Xkey values, vitrine.SurrogateKey), entries for any of
// URLs (path and query; normalised like requests), or everything.
type PurgeRequest struct {
	ID   string   `json:"id"`
	Keys []string `json:"keys,omitempty"`
	URLs []string `json:"urls,omitempty"`
	All  bool     `json:"all,omitempty"`
}

// Validate reports a request that names nothing, too much, or a URL that
// does not parse.
func (r PurgeRequest) Validate() error {
	if !r.All && len(r.Keys) == 0 && len(r.URLs) == 0 {
		return vitrine.Errorf(vitrine.EINVALID, "purge: nothing to purge")
	}
	if len(r.Keys)+len(r.URLs) > maxPurgeItems {
		return vitrine.Errorf(vitrine.EINVALID, "purge: more than %d keys and URLs", maxPurgeItems)
	}
	for _, k := range r.Keys {
		// A key with a space or comma could never match: caches split Xkey
		// on them (vitrine.SurrogateKey never makes one).
		if !vitrine.ValidSurrogateKey(k) {
			return vitrine.Errorf(vitrine.EINVALID, "purge: key %q is empty or holds a space, comma or non-ASCII byte", k)
		}
	}
	for _, u := range r.URLs {
		if _, err := url.Parse(u); err != nil || u == "" {
			return vitrine.Errorf(vitrine.EINVALID, "purge: bad URL %q", u)
		}
	}
	return nil
}

// PurgeResponse is an edge's answer to a purge.
type PurgeResponse struct {
	ID     string `json:"id"`
	Purged int    `json:"purged"`
}

// EdgeResult is one cache's answer to one purge.
type EdgeResult struct {
	Edge     string        `json:"edge"`
	OK       bool          `json:"ok"`
	Purged   int           `json:"purged"` // entries removed, when the cache says
	Attempts int           `json:"attempts"`
	Latency  time.Duration `json:"latency"` // from the first attempt to the answer
	Error    string        `json:"error,omitempty"`
}

// PurgeReport is a purge's outcome on every cache it was sent to.
type PurgeReport struct {
	ID      string       `json:"id"`
	Results []EdgeResult `json:"results"`
}

// Confirmed reports whether every cache confirmed the purge.
func (r PurgeReport) Confirmed() bool { return len(r.Unconfirmed()) == 0 }

// Unconfirmed lists the caches that did not confirm the purge.
func (r PurgeReport) Unconfirmed() []string {
	var out []string
	for _, e := range r.Results {
		if !e.OK {
			out = append(out, e.Edge)
		}
	}
	return out
}

// Purgeable is a cache, or a set of caches, that can be purged: a Node in
// process, a Purger for remote edges, a Varnish client. The report has one
// result per cache.
type Purgeable interface {
	Purge(ctx context.Context, req PurgeRequest) PurgeReport
}

var (
	_ Purgeable = (*Node)(nil)
	_ Purgeable = (*Purger)(nil)
)

// Purge removes what req names from both tiers before it returns, and
// fences off origin fetches already running for it. A Node is its own
// single-edge Purgeable.
func (n *Node) Purge(_ context.Context, req PurgeRequest) PurgeReport {
	start := n.now()
	res := EdgeResult{Edge: "local", Attempts: 1}
	if err := req.Validate(); err != nil {
		res.Error = vitrine.ErrorMessage(err)
	} else {
		res.OK, res.Purged = true, n.purge(req)
		res.Latency = n.now().Sub(start)
	}
	return PurgeReport{ID: req.ID, Results: []EdgeResult{res}}
}

// purge applies a valid request to the store.
func (n *Node) purge(req PurgeRequest) int {
	tags := make([]string, 0, len(req.Keys)+len(req.URLs))
	for _, k := range req.Keys {
		tags = append(tags, "k:"+k)
	}
	for _, raw := range req.URLs {
		u, _ := url.Parse(raw) // checked by Validate
		tags = append(tags, "u:"+n.cfg.Normalize(u.EscapedPath(), u.RawQuery))
	}
	purged := n.store.purge(req.All, tags)
	n.metrics.purges.WithLabelValues("ok").Inc()
	n.metrics.purged.Add(float64(purged))
	n.log.Info("edge: purged", "id", req.ID, "keys", len(req.Keys), "urls", len(req.URLs), "all", req.All, "entries", purged)
	return purged
}

// handlePurge is POST /_edge/purge: authenticate, purge, answer once both
// tiers are clean.
func (n *Node) handlePurge(w http.ResponseWriter, r *http.Request) {
	// Nothing is read from a caller without a well-formed, fresh signature:
	// an unauthenticated client must not hold the connection with a body.
	ts, sig := r.Header.Get(HeaderTimestamp), r.Header.Get(HeaderSignature)
	if err := checkHeaders(ts, sig, n.now(), n.cfg.PurgeMaxSkew); err != nil {
		n.metrics.purges.WithLabelValues("unauthorized").Inc()
		n.log.Warn("edge: purge rejected", "remote", r.RemoteAddr, "err", err)
		w.Header().Set("Connection", "close")
		writeJSONError(w, http.StatusUnauthorized, "bad or expired purge signature")
		return
	}
	if r.ContentLength > maxPurgeBody {
		w.Header().Set("Connection", "close")
		writeJSONError(w, http.StatusRequestEntityTooLarge, "purge request too large")
		return
	}
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(purgeBodyTimeout)) // the wall clock: a socket deadline
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxPurgeBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			writeJSONError(w, http.StatusRequestEntityTooLarge, "purge request too large")
			return
		}
		writeJSONError(w, http.StatusBadRequest, "cannot read purge request")
		return
	}
	if err := verify(n.cfg.PurgeSecret, ts, sig, body, n.now(), n.cfg.PurgeMaxSkew); err != nil {
		n.metrics.purges.WithLabelValues("unauthorized").Inc()
		n.log.Warn("edge: purge rejected", "remote", r.RemoteAddr, "err", err)
		writeJSONError(w, http.StatusUnauthorized, "bad or expired purge signature")
		return
	}
	var req PurgeRequest
	if err := json.Unmarshal(body, &req); err != nil {
		n.metrics.purges.WithLabelValues("invalid").Inc()
		writeJSONError(w, http.StatusBadRequest, "purge request is not valid JSON")
		return
	}
	if err := req.Validate(); err != nil {
		n.metrics.purges.WithLabelValues("invalid").Inc()
		writeJSONError(w, http.StatusBadRequest, vitrine.ErrorMessage(err))
		return
	}
	writeJSON(w, http.StatusOK, PurgeResponse{ID: req.ID, Purged: n.purge(req)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeJSONError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
