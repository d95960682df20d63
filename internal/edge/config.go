package edge

import (
	"net/http"
	"net/url"
	"time"

	"github.com/vitrine/vitrine"
)

// Config is an edge node's configuration. Each field but the function
// fields maps to one flag of `vitrine edge` (docs/design/edge.md). Start from
// DefaultConfig; New checks the result with Validate.
type Config struct {
	// Origin is the delivery origin's base URL (--origin). Requests are
	// forwarded to Origin with the client's path and query appended.
	Origin *url.URL
	// MemoryBytes bounds the memory tier: bodies, headers and keys
	// (--memory-bytes).
	MemoryBytes int64
	// DiskDir holds the disk tier; empty means no disk tier (--disk-dir).
	// The edge owns DiskDir/objects and DiskDir/tmp and empties them at
	// start: purges sent while it was down cannot be replayed, so a cache
	// kept across restarts could serve what was since unpublished.
	DiskDir string
	// DiskBytes bounds the disk tier (--disk-bytes).
	DiskBytes int64
	// MaxObjectBytes is the largest body kept; larger responses (long
	// videos) stream from the origin uncached (--max-object-bytes).
	MaxObjectBytes int64
	// PurgeSecret authenticates POST /_edge/purge: an HMAC-SHA256 key
	// shared with the origin, at least 16 bytes (--purge-secret).
	PurgeSecret []byte
	// PurgeMaxSkew is how far a purge's timestamp may be from the edge's
	// clock (--purge-max-skew).
	PurgeMaxSkew time.Duration
	// StaleWhileRevalidate is how long an expired entry may still be
	// served while it is refreshed in the background, when the origin
	// does not say (--stale-while-revalidate). Zero turns it off. The
	// origin's own stale-while-revalidate, must-revalidate, proxy-
	// revalidate, no-cache and s-maxage directives take precedence.
	StaleWhileRevalidate time.Duration
	// OriginTimeout bounds one origin request, body included
	// (--origin-timeout).
	OriginTimeout time.Duration
	// ForwardHeaders are the request headers sent on to the origin and,
	// when the origin names them in Vary, made part of the cache key
	// (--forward-headers). Headers not forwarded cannot change the
	// response, so a Vary on them does not split the cache.
	ForwardHeaders []string

	// Normalize maps a request's escaped path and raw query to the cache
	// key, so that equivalent URLs share one entry. It must be a pure
	// function. Nil means DefaultNormalize.
	Normalize func(path, query string) string
	// Now is the clock. Nil means time.Now.
	Now func() time.Time
	// Transport carries origin requests. Nil means a transport tuned for
	// one origin, without transparent compression (bodies are cached as
	// the origin sent them).
	Transport http.RoundTripper
}

// DefaultConfig returns the defaults: 256 MiB of memory, 10 GiB of disk
// when a disk directory is given, objects up to 64 MiB, purges within 5
// minutes of the edge's clock, 1 minute of stale-while-revalidate, a 30 s
// origin timeout, and Accept and Accept-Language forwarded.
func DefaultConfig() Config {
	return Config{
		MemoryBytes:          256 << 20,
		DiskBytes:            10 << 30,
		MaxObjectBytes:       64 << 20,
		PurgeMaxSkew:         5 * time.Minute,
		StaleWhileRevalidate: time.Minute,
		OriginTimeout:        30 * time.Second,
		ForwardHeaders:       []string{"Accept", "Accept-Language"},
	}
}

// Validate reports the first problem with c, as an EINVALID error.
func (c *Config) Validate() error {
	switch {
	case c.Origin == nil:
		return vitrine.Errorf(vitrine.EINVALID, "edge: an origin URL is required")
	case c.Origin.Scheme != "http" && c.Origin.Scheme != "https":
		return vitrine.Errorf(vitrine.EINVALID, "edge: origin %q must be an http or https URL", c.Origin)
	case c.Origin.Host == "":
		return vitrine.Errorf(vitrine.EINVALID, "edge: origin %q has no host", c.Origin)
	case c.Origin.RawQuery != "" || c.Origin.Fragment != "":
		return vitrine.Errorf(vitrine.EINVALID, "edge: origin %q must not have a query or fragment", c.Origin)
	case c.MemoryBytes <= 0:
		return vitrine.Errorf(vitrine.EINVALID, "edge: memory bytes must be positive, got %d", c.MemoryBytes)
	case c.DiskDir != "" && c.DiskBytes <= 0:
		return vitrine.Errorf(vitrine.EINVALID, "edge: disk bytes must be positive with a disk directory, got %d", c.DiskBytes)
	case c.MaxObjectBytes <= 0:
		return vitrine.Errorf(vitrine.EINVALID, "edge: max object bytes must be positive, got %d", c.MaxObjectBytes)
	case len(c.PurgeSecret) < 16:
		return vitrine.Errorf(vitrine.EINVALID, "edge: the purge secret must be at least 16 bytes")
	case c.PurgeMaxSkew <= 0:
		return vitrine.Errorf(vitrine.EINVALID, "edge: purge max skew must be positive, got %s", c.PurgeMaxSkew)
	case c.StaleWhileRevalidate < 0:
		return vitrine.Errorf(vitrine.EINVALID, "edge: stale-while-revalidate must not be negative, got %s", c.StaleWhileRevalidate)
	case c.OriginTimeout <= 0:
		return vitrine.Errorf(vitrine.EINVALID, "edge: origin timeout must be positive, got %s", c.OriginTimeout)
	}
	for _, h := range c.ForwardHeaders {
		if h == "" || http.CanonicalHeaderKey(h) == "Authorization" || http.CanonicalHeaderKey(h) == "Cookie" {
			// A credential in the key would let one client's response
			// be served to another.
			return vitrine.Errorf(vitrine.EINVALID, "edge: cannot forward header %q", h)
		}
	}
	return nil
}
