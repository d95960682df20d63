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
	"strconv"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// Handler serves delivery URLs.
type Handler struct {
	db    *sqlstore.DB
	blobs vitrine.BlobStore
	log   *slog.Logger
	mux   *http.ServeMux
}

// New returns the delivery handler.
func New(db *sqlstore.DB, blobs vitrine.BlobStore, log *slog.Logger) *Handler {
	h := &Handler{db: db, blobs: blobs, log: log, mux: http.NewServeMux()}
	h.mux.HandleFunc("GET /is/image/{company}/{name}", h.image)
	h.mux.HandleFunc("GET /is/content/{company}/{name}", h.content)
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
	return h
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

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
// each context in turn.
func (h *Handler) lookup(ctx context.Context, rootID, name string, dest vitrine.Destination, contexts ...vitrine.Context) (*vitrine.Company, *vitrine.CatalogEntry, error) {
	c, err := h.db.Company(ctx, rootID)
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
	hdr.Set("Xkey", c.RootID+"/"+e.Name)
	http.ServeContent(w, r, "", e.Version.CreatedAt, b)
}

// publicCache is the Cache-Control of published bytes (DEL-3).
func publicCache(c *vitrine.Company) string {
	return "public, max-age=" + strconv.Itoa(c.Settings.ImageTTLSeconds)
}

func (h *Handler) content(w http.ResponseWriter, r *http.Request) {
	c, e, err := h.lookup(r.Context(), r.PathValue("company"), r.PathValue("name"), vitrine.DestDelivery,
		vitrine.ContextContent, vitrine.ContextVideo, vitrine.ContextImage)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.serveVersion(w, r, c, e, `"`+e.Version.SHA256[:40]+`"`, publicCache(c))
}

func (h *Handler) image(w http.ResponseWriter, r *http.Request) {
	c, e, err := h.lookup(r.Context(), r.PathValue("company"), r.PathValue("name"), vitrine.DestDelivery, vitrine.ContextImage)
	if errors.Is(err, nil) && e.AssetType != vitrine.TypeImage {
		err = vitrine.Errorf(vitrine.ENOTPUBLISHED, "not an image")
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.serveVersion(w, r, c, e, `"`+e.Version.SHA256[:40]+`"`, publicCache(c))
}
