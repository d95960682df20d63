// Package delivery serves published assets at their Scene7 URLs:
// /is/image/{company}/{id} and /is/content/{company}/{id} (DEL-1), reading
// only the catalog. Anything not published answers 403 with a short text
// and is never cached (DEL-2); published bytes carry the company TTL, a
// strong ETag, and answer conditional and range requests (DEL-3).
package delivery

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/imaging"
)

// Config configures delivery.
type Config struct {
	// CacheDir holds rendered images; CacheBytes bounds it.
	CacheDir   string
	CacheBytes int64
	// LookupTTL is how long a catalog lookup is reused. Changes made through
	// this process drop it at once (Invalidate); other nodes' changes show
	// within the TTL.
	LookupTTL time.Duration
	// Now is the clock (tests replace it).
	Now func() time.Time
	// MaxReads bounds the originals held in memory for rendering at once
	// (default 2 per CPU); more requests wait, then answer 503.
	MaxReads int
	// PyramidDir is where the pyramids of large originals are kept
	// (pyramid.go); "" renders every request from the original.
	PyramidDir string
	// OnPyramid, when set, is called after each pyramid build with the
	// original's digest and the build's error (tests wait on it).
	OnPyramid func(digest string, err error)
}

// DefaultConfig returns the defaults: 1 GiB of renditions, 1 s lookups.
func DefaultConfig(cacheDir string) Config {
	return Config{CacheDir: cacheDir, CacheBytes: 1 << 30, LookupTTL: time.Second, Now: time.Now}
}

// Handler serves delivery URLs.
type Handler struct {
	cfg      Config
	db       vitrine.CatalogReader
	blobs    vitrine.BlobStore
	renderer *imaging.Renderer
	cache    *renditionCache
	renders  singleflight.Group
	lookups  *ttlCache[lookupResult]
	missed   singleflight.Group // lookups being read from the database (lookupOnce)
	heads    *headMemo          // rendition heads by company, entry and query (renditionhead.go)
	stats    Stats
	reads    chan struct{} // bounds originals read into memory at once
	share    *readShare    // each company's share of reads (readshare.go)
	log      *slog.Logger
	mux      *http.ServeMux
	sessions Sessions  // nil: preview by token or address only
	pyramids *pyramids // nil: no pyramids (Config.PyramidDir "")
}

type lookupResult struct {
	c   *vitrine.Company
	e   *vitrine.CatalogEntry
	err error
	fp  string // the render settings fingerprint of c (fingerprint)

	crops []vitrine.SmartCrop // a version's smart crops (smartCrops)
}

// New returns the delivery handler.
func New(cfg Config, db vitrine.CatalogReader, blobs vitrine.BlobStore, renderer *imaging.Renderer, log *slog.Logger) (*Handler, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.CacheBytes <= 0 {
		return nil, errors.New("delivery: CacheBytes must be positive")
	}
	cache, err := newRenditionCache(cfg.CacheDir, cfg.CacheBytes)
	if err != nil {
		return nil, err
	}
	if cfg.MaxReads <= 0 {
		cfg.MaxReads = 2 * runtime.GOMAXPROCS(0)
	}
	h := &Handler{cfg: cfg, db: db, blobs: blobs, renderer: renderer, cache: cache, log: log, mux: http.NewServeMux(),
		reads:   make(chan struct{}, cfg.MaxReads),
		share:   newReadShare(cfg.MaxReads),
		lookups: newTTLCache[lookupResult](cfg.LookupTTL, 100_000, cfg.Now), heads: newHeadMemo(10_000)}
	if cfg.PyramidDir != "" {
		if h.pyramids, err = newPyramids(cfg.PyramidDir, blobs, h.reads, cfg.OnPyramid, log); err != nil {
			return nil, err
		}
	}
	h.mux.HandleFunc("GET /is/image/{company}/{name}", h.image)
	// A name may hold a path (vitrine.PathIDNames). The one-segment pattern
	// above is the more specific and serves most requests: matching "..."
	// allocates on every request.
	h.mux.HandleFunc("GET /is/image/{company}/{name...}", h.image)
	h.mux.HandleFunc("GET /is/image/{company}", h.imageSetRequest) // imageSet= (set_imageset.go)
	h.mux.HandleFunc("GET /is/content/{company}/{name}", h.content)
	h.mux.HandleFunc("GET /is/search/{company}", h.search) // DEL-6 (search.go)
	h.mux.HandleFunc("GET /preview/is/image/{company}/{name}", h.previewImage)
	h.mux.HandleFunc("GET /preview/is/content/{company}/{name}", h.previewContent)
	h.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			deny(w, http.StatusMethodNotAllowed, "Method not allowed")
			return
		}
		deny(w, http.StatusForbidden, "Unknown request")
	})
	return h, nil
}

// Close stops the pyramid builder once the build in progress is done.
func (h *Handler) Close() {
	if h.pyramids != nil {
		h.pyramids.close()
	}
}

// Stats counts delivery work, for metrics and tests.
type Stats struct {
	Renders   atomic.Int64 // renditions made by the pipeline
	CacheHits atomic.Int64 // renditions served from the rendition cache
}

// Stats returns the handler's counters.
func (h *Handler) Stats() *Stats { return &h.stats }

// Invalidate drops what delivery remembers of a company's catalog and
// settings; call it after any change to them.
func (h *Handler) Invalidate(rootID string) { h.lookups.drop(rootID) }

// Forget is Invalidate, for the service layer's fan-out of changes.
func (h *Handler) Forget(rootID string) { h.Invalidate(rootID) }

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mux.ServeHTTP(w, vitrine.NormalizeDeliveryRequest(r))
}

// deny writes a short text error that no cache keeps.
func deny(w http.ResponseWriter, status int, msg string) {
	hdr := w.Header()
	hdr.Del("ETag")
	hdr.Del("Last-Modified")
	hdr.Set("Content-Type", "text/plain; charset=utf-8")
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	fmt.Fprintln(w, msg)
}

// lookup finds the company and the live catalog entry for a request, trying
// each context in turn. Answers are reused for LookupTTL.
func (h *Handler) lookup(ctx context.Context, rootID, name string, dest vitrine.Destination, contexts ...vitrine.Context) (*vitrine.Company, *vitrine.CatalogEntry, error) {
	key := string(dest) + "\x00" + name
	for _, cx := range contexts {
		key += "\x00" + string(cx)
	}
	r, err := h.lookupOnce(ctx, rootID, key, func(ctx context.Context) (lookupResult, bool) {
		c, e, err := h.lookupDB(ctx, rootID, name, dest, contexts...)
		keep := err == nil || vitrine.ErrorCode(err) == vitrine.ENOTPUBLISHED || vitrine.ErrorCode(err) == vitrine.ENOTFOUND
		return lookupResult{c: c, e: e, err: err}, keep
	})
	if err != nil {
		return nil, nil, err
	}
	return r.c, r.e, r.err
}

// recoverRead runs read, turning a panic into an error answer that is not
// kept: inside a flight a panic would end the process (singleflight's
// DoChan re-panics where nothing can recover), not just the request.
func recoverRead(ctx context.Context, read func(context.Context) (lookupResult, bool)) (r lookupResult, keep bool) {
	defer func() {
		if p := recover(); p != nil {
			r, keep = lookupResult{err: fmt.Errorf("catalog lookup: panic: %v\n%s", p, debug.Stack())}, false
		}
	}()
	return read(ctx)
}

// lookupTimeout bounds one database read made for every request waiting
// on the same lookup.
const lookupTimeout = 10 * time.Second

// lookupOnce answers key from the cache, or else reads it once for all
// the requests that miss it together, and keeps the answer when read says
// to. Without it,
// every request in flight when a hot name's entry expired read the
// database itself: 16 reads a second per node for one image under load,
// each a transaction and often a ping on PostgreSQL. The read runs
// without the first caller's cancellation (the others still wait on it);
// each caller stops waiting when its own context ends.
func (h *Handler) lookupOnce(ctx context.Context, rootID, key string, read func(context.Context) (lookupResult, bool)) (lookupResult, error) {
	if r, ok := h.lookups.get(rootID, key); ok {
		return r, nil
	}
	if h.lookups.ttl <= 0 { // LookupTTL 0: every request reads, none shares a read
		r, _ := recoverRead(ctx, read)
		return r, nil
	}
	// The generation is part of the flight's key: a request that comes
	// after a change (Forget) must not share a read begun before it.
	gen := h.lookups.gen(rootID)
	ch := h.missed.DoChan(strconv.FormatUint(gen, 10)+"\x00"+rootID+"\x00"+key, func() (any, error) {
		// A flight that ended just before this one began may have kept it.
		if r, ok := h.lookups.get(rootID, key); ok {
			return r, nil
		}
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), lookupTimeout)
		defer cancel()
		r, keep := recoverRead(rctx, read)
		if keep {
			h.lookups.put(rootID, key, r, gen)
		}
		return r, nil
	})
	select {
	case res := <-ch:
		return res.Val.(lookupResult), nil
	case <-ctx.Done():
		return lookupResult{}, ctx.Err()
	}
}

func (h *Handler) lookupDB(ctx context.Context, rootID, name string, dest vitrine.Destination, contexts ...vitrine.Context) (*vitrine.Company, *vitrine.CatalogEntry, error) {
	c, err := h.company(ctx, rootID)
	if err != nil {
		return nil, nil, err
	}
	for _, cx := range contexts {
		e, err := h.db.Lookup(ctx, c.ID, cx, dest, name)
		if err == nil {
			return c, e, nil
		} else if vitrine.ErrorCode(err) != vitrine.ENOTPUBLISHED {
			return c, nil, err
		}
	}
	return c, nil, vitrine.Errorf(vitrine.ENOTPUBLISHED, "not published")
}

// company returns a company, reused for LookupTTL.
func (h *Handler) company(ctx context.Context, rootID string) (*vitrine.Company, error) {
	r, err := h.lookupOnce(ctx, rootID, "\x00company", func(ctx context.Context) (lookupResult, bool) {
		c, err := h.db.Company(ctx, rootID)
		return lookupResult{c: c, err: err}, err == nil || vitrine.ErrorCode(err) == vitrine.ENOTFOUND
	})
	if err != nil {
		return nil, err
	}
	return r.c, r.err
}

// fingerprint returns the fingerprint of c's render settings, reused with
// the company for LookupTTL: every rendition request needs it, a hit too.
func (h *Handler) fingerprint(c *vitrine.Company, s imaging.Settings) string {
	if r, ok := h.lookups.get(c.RootID, "\x00fingerprint"); ok && r.c == c {
		return r.fp
	}
	gen := h.lookups.gen(c.RootID)
	fp := s.Fingerprint()
	h.lookups.put(c.RootID, "\x00fingerprint", lookupResult{c: c, fp: fp}, gen)
	return fp
}

// fail answers a lookup error: 403 for anything not served (unknown company,
// unpublished, unknown or trashed asset, all alike), 500 otherwise.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch vitrine.ErrorCode(err) {
	case vitrine.ENOTPUBLISHED, vitrine.ENOTFOUND:
		deny(w, http.StatusForbidden, "Image or content not found or not published")
	case vitrine.EFORBIDDEN:
		deny(w, http.StatusForbidden, vitrine.ErrorMessage(err))
	case vitrine.EINVALID:
		deny(w, http.StatusBadRequest, vitrine.ErrorMessage(err))
	case vitrine.EUNAVAILABLE:
		w.Header().Set("Retry-After", "1")
		deny(w, http.StatusServiceUnavailable, "Busy; retry shortly")
	default:
		h.log.ErrorContext(r.Context(), "delivery error", "path", r.URL.Path, "err", err)
		deny(w, http.StatusInternalServerError, "Internal error")
	}
}

// serveVersion streams a stored version with cache headers and ranges.
func (h *Handler) serveVersion(w http.ResponseWriter, r *http.Request, c *vitrine.Company, e *vitrine.CatalogEntry, etag, cacheControl string) {
	b, err := h.blobs.Open(r.Context(), e.Version.SHA256)
	if err != nil {
		h.fail(w, r, fmt.Errorf("open blob of %s v%d: %w", e.Name, e.Version.Number, err))
		return
	}
	defer b.Close()
	hdr := w.Header()
	hdr.Set("Content-Type", e.Version.MIME)
	hdr.Set("ETag", etag)
	hdr.Set("Cache-Control", cacheControl)
	hdr.Set("X-Content-Type-Options", "nosniff")
	// Stored files (SVG, PDF, XML) could carry script: never let them run
	// in this origin.
	hdr.Set("Content-Security-Policy", "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox")
	setXkeys(hdr, c.RootID, e.Name)
	writeFile(w, r, e.Version.CreatedAt, b)
}

// publicCache is the Cache-Control of published bytes (DEL-3).
func publicCache(c *vitrine.Company) string {
	return "public, max-age=" + strconv.Itoa(c.Settings.ImageTTLSeconds)
}

func (h *Handler) content(w http.ResponseWriter, r *http.Request) {
	c, e, err := h.lookup(r.Context(), r.PathValue("company"), r.PathValue("name"), vitrine.DestDelivery,
		vitrine.ContextContent, vitrine.ContextVideo, vitrine.ContextImage)
	if err == nil && e.AssetType == vitrine.TypeImage && c.Settings.URLSigning != "off" && c.Settings.URLSigning != "" {
		// An image's original is behind the same signatures as its renditions.
		var req *imaging.Request
		if req, err = imaging.Parse(r.URL.RawQuery, c.Settings.Presets); err == nil {
			err = h.checkSignature(r, c, req)
		}
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.serveVersion(w, r, c, e, `"`+e.Version.SHA256[:40]+`"`, publicCache(c))
}
