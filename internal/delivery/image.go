package delivery

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/imaging"
)

// image serves /is/image/{company}/{name}?{modifiers}: a rendition made by
// the image pipeline, or a request answer (req=imageprops, props, exists,
// set). Protection comes first: the reply size is checked against MaxPix
// from the stored dimensions before any pixel is decoded.
func (h *Handler) image(w http.ResponseWriter, r *http.Request) {
	h.serveImage(w, r, vitrine.DestDelivery, nil)
}

// serveImage answers an image request from dest's catalog. allowed, when
// set, decides after the company is known whether the request may see it
// (the preview host).
func (h *Handler) serveImage(w http.ResponseWriter, r *http.Request, dest vitrine.Destination, allowed func(*vitrine.Company) bool) {
	ctx := r.Context()
	c, err := h.company(ctx, r.PathValue("company"))
	if err != nil {
		h.failImage(w, r, err)
		return
	}
	if allowed != nil && !allowed(c) {
		deny(w, http.StatusForbidden, "Preview needs a token of this company, a signed-in workspace session, or an allowed address")
		return
	}
	req, err := imaging.Parse(r.URL.RawQuery, c.Settings.Presets)
	if err != nil {
		h.failImage(w, r, err)
		return
	}
	if err := h.checkSignature(r, c, req); err != nil {
		h.failImage(w, r, err)
		return
	}
	kind, format := req.Req()
	// id:crop names a smart crop of an image; ':' never occurs in an
	// asset id (UP-3), so the first one separates them.
	name, crop, hasCrop := strings.Cut(r.PathValue("name"), ":")
	if kind == imaging.ReqSet && dest == vitrine.DestDelivery {
		// "If the catalog record is specified in the net path, this
		// modifier value overrides catalog::ImageSet" (r-imageset.md).
		// Asked only here: it parses the whole query into a map.
		if v, ok := imageSetValue(r); ok {
			h.serveImageSet(w, r, c, v, format, name)
			return
		}
	}
	_, e, err := h.lookup(ctx, c.RootID, name, dest, vitrine.ContextImage)
	// asked holds the ids the request stands for: purging any of them must
	// purge an answer that depends on whether it is published.
	asked := []string{name}
	if code := vitrine.ErrorCode(err); code == vitrine.ENOTPUBLISHED || code == vitrine.ENOTFOUND {
		// An AEM DAM path as the id: the asset named by its last segment.
		for _, short := range vitrine.PathIDNames(name) {
			asked = append(asked, short)
			if _, se, serr := h.lookup(ctx, c.RootID, short, dest, vitrine.ContextImage); serr == nil {
				e, err = se, nil
				break
			}
		}
	}
	switch {
	case kind == "exists" && (err == nil || vitrine.ErrorCode(err) == vitrine.ENOTPUBLISHED):
		// Keyed by the asked ids, so that publishing one later purges exists=0.
		h.props(w, r, c, imaging.ExistsProps(err == nil), format, "", asked...)
		return
	case vitrine.ErrorCode(err) == vitrine.ENOTPUBLISHED && kind == "img" && dest == vitrine.DestDelivery:
		h.defaultImage(w, r, c, req, asked)
		return
	case err != nil:
		h.failImage(w, r, err)
		return
	}
	if e.AssetType.IsSet() {
		if kind == "set" {
			h.serveSet(w, r, c, e, format)
			return
		}
		deny(w, http.StatusForbidden, "A set has no image of its own; ask req=set")
		return
	}
	if e.AssetType != vitrine.TypeImage {
		h.failImage(w, r, vitrine.Errorf(vitrine.ENOTPUBLISHED, "not an image"))
		return
	}
	src := imaging.Source{Width: e.Version.Width, Height: e.Version.Height}
	version := strconv.Itoa(e.Version.Number)
	if hasCrop && kind != "set" {
		if req, err = h.withSmartCrop(ctx, c, e, req, crop); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	var layers map[string]*vitrine.CatalogEntry
	if kind == "img" || kind == "props" {
		if layers, err = h.layerEntries(ctx, c, req, dest); err != nil {
			h.failImage(w, r, err)
			return
		}
	}
	switch kind {
	case "set":
		h.serveImageAsSet(w, r, c, e, format)
	case "imageprops":
		release, err := h.acquire(ctx, c.ID)
		if err != nil {
			h.failImage(w, r, err)
			return
		}
		data, err := h.readVersion(ctx, e)
		if err != nil {
			release()
			h.failImage(w, r, err)
			return
		}
		info, err := imaging.Probe(data)
		release()
		if err != nil {
			h.failImage(w, r, err)
			return
		}
		h.props(w, r, c, imaging.ImageProps(info, imaging.SourceMeta{
			ID: c.RootID + "/" + e.Name, Version: version, Modified: e.PublishedAt,
			Expiration: time.Duration(c.Settings.ImageTTLSeconds) * time.Second,
		}), format, e.Version.SHA256, e.Name)
	case "props":
		plan, err := imaging.NewCompositePlan(req, src, layerHeaders(layers), imaging.SettingsFrom(c.Settings))
		if err != nil {
			h.failImage(w, r, err)
			return
		}
		// Tagged with the layer sources too: unpublishing one makes the image 403.
		h.props(w, r, c, imaging.ReplyProps(plan, h.replyMeta(c, e, req, version)), format, e.Version.SHA256, append([]string{e.Name}, layerNames(layers)...)...)
	default:
		h.render(w, r, c, e, layers, req, src, publicCache(c))
	}
}

// render answers with the rendition of e for req, from the cache when it
// can; layers holds the entries of req's layer sources (layerEntries).
// The reply is tagged with the surrogate keys of e, of the layer sources
// and of also.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, c *vitrine.Company, e *vitrine.CatalogEntry, layers map[string]*vitrine.CatalogEntry,
	req *imaging.Request, src imaging.Source, cacheControl string, also ...string) {
	hd, plan, err := h.head(r.URL.RawQuery, c, e, layers, req, src, also)
	if err != nil {
		h.failImage(w, r, err)
		return
	}
	key, etag := hd.key, hd.etag[0]
	hdr := w.Header()
	hs := newHeaderSet(hdr, 6)
	hdr["ETag"] = hd.etag
	hdr["Xkey"] = hd.xkey
	if !req.CacheControl() {
		cacheControl = "no-cache"
	}
	hs.set("Cache-Control", cacheControl)
	if noneMatch(r.Header.Values("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body, mime, ok := h.cache.getNamed(hd.sum, hd.name)
	if ok {
		h.stats.CacheHits.Add(1)
		hs.set("X-Render", "cache")
	} else {
		v, err, _ := h.renders.Do(key, func() (any, error) {
			// Detached from one client's cancellation: others may be waiting.
			ctx := imaging.WithTenant(context.WithoutCancel(r.Context()), c.ID)
			release, err := h.acquire(ctx, c.ID)
			if err != nil {
				return nil, err
			}
			defer release()
			plan, err := planFor(plan, c, req, src)
			if err != nil {
				return nil, err
			}
			out, err := h.renderVersion(ctx, e, layers, plan)
			if err != nil {
				return nil, err
			}
			h.stats.Renders.Add(1)
			if req.ServerCache() {
				if err := h.cache.put(key, out.MIME, out.Body); err != nil {
					h.log.Warn("rendition cache", "err", err)
				}
			}
			return out, nil
		})
		if err != nil {
			hdr.Del("Cache-Control")
			h.failImage(w, r, err)
			return
		}
		out := v.(*imaging.Output)
		body, mime = out.Body, out.MIME
		hs.set("X-Render", "rendered")
	}
	if st := h.pyramidState(e); st != "" {
		hs.set("X-Pyramid", st)
	}
	hs.set("Content-Type", mime)
	hs.set("X-Content-Type-Options", "nosniff")
	writeHit(w, r, &hs, e.Version.CreatedAt, hd.lastMod, body)
}

// defaultImage answers for an id that is not published: the request's or
// the company's default image when one is published (200, short TTL), else
// 403 (DEL-2).
// asked are the ids the request stands for (the path's, and the names a
// path id was read as), whose publishing must purge the stand-in.
func (h *Handler) defaultImage(w http.ResponseWriter, r *http.Request, c *vitrine.Company, req *imaging.Request, asked []string) {
	name := c.Settings.DefaultImage
	if req.DefaultImage() != "" {
		name = req.DefaultImage()
	}
	// Sites write defaultImage=company/id as well as id (Scene7 accepts
	// both); another company's prefix stays part of the id and is found
	// nowhere in this company.
	name = strings.TrimPrefix(name, c.RootID+"/")
	if name == "" || req.DefaultImageOff() || name == r.PathValue("name") {
		h.failImage(w, r, vitrine.Errorf(vitrine.ENOTPUBLISHED, "not published"))
		return
	}
	_, e, err := h.lookup(r.Context(), c.RootID, name, vitrine.DestDelivery, vitrine.ContextImage)
	if err != nil || e.AssetType != vitrine.TypeImage {
		h.failImage(w, r, vitrine.Errorf(vitrine.ENOTPUBLISHED, "not published"))
		return
	}
	src := imaging.Source{Width: e.Version.Width, Height: e.Version.Height}
	// Tagged with the asked ids too: publishing one must purge this stand-in.
	h.render(w, r, c, e, nil, req.DefaultImageRequest(), src, "public, max-age="+strconv.Itoa(c.Settings.DefaultImageTTLSeconds), asked...)
}

// props writes a request answer (encodeProps) with the non-image TTL,
// tagged with the surrogate keys of the asset ids it answers for.
func (h *Handler) props(w http.ResponseWriter, r *http.Request, c *vitrine.Company, props []imaging.Prop, format, version string, ids ...string) {
	var cb callback
	if format == "json" {
		var err error
		if cb, err = jsonpParams(r); err != nil {
			h.failImage(w, r, err)
			return
		}
	}
	body, mime, tag := encodeProps(props, format, cb, h.cfg.Now())
	hdr := w.Header()
	hdr.Set("Content-Type", mime)
	hdr.Set("Cache-Control", "public, max-age="+strconv.Itoa(c.Settings.NonImageTTLSeconds))
	hdr.Set("ETag", etagOf([]byte(version+"\x00"+tag)))
	hdr.Set("X-Content-Type-Options", "nosniff")
	setXkeys(hdr, c.RootID, ids...)
	writeBody(w, r, time.Time{}, body)
}

// acquire takes one of the slots that bound how many originals are held in
// memory at once (a 1 GB TIFF read by fifty requests would not fit), and
// returns its release. A request that waits too long answers 503, and so
// does one of a company that already holds its share of the slots.
func (h *Handler) acquire(ctx context.Context, company int64) (func(), error) {
	unshare, err := h.share.take(company)
	if err != nil {
		return nil, err
	}
	t := time.NewTimer(5 * time.Second)
	defer t.Stop()
	select {
	case h.reads <- struct{}{}:
		return func() { <-h.reads; unshare() }, nil
	case <-ctx.Done():
		unshare()
		return nil, vitrine.Errorf(vitrine.EUNAVAILABLE, "busy")
	case <-t.C:
		unshare()
		return nil, vitrine.Errorf(vitrine.EUNAVAILABLE, "busy")
	}
}

// readVersion reads a stored version whole: libvips decodes from memory.
// Callers hold a slot from acquire while they use the bytes.
func (h *Handler) readVersion(ctx context.Context, e *vitrine.CatalogEntry) ([]byte, error) {
	b, err := h.blobs.Open(ctx, e.Version.SHA256)
	if err != nil {
		return nil, fmt.Errorf("open %s v%d: %w", e.Name, e.Version.Number, err)
	}
	defer b.Close()
	data := make([]byte, b.Size())
	if _, err := io.ReadFull(b, data); err != nil {
		return nil, fmt.Errorf("read %s v%d: %w", e.Name, e.Version.Number, err)
	}
	return data, nil
}

// checkSignature enforces the company's URL signing mode.
func (h *Handler) checkSignature(r *http.Request, c *vitrine.Company, req *imaging.Request) error {
	switch c.Settings.URLSigning {
	case "", "off":
		return nil
	case "presets_only":
		if req.PresetOnly() {
			return nil
		}
	}
	keys := make([][]byte, len(c.Settings.URLSigningKeys))
	for i, k := range c.Settings.URLSigningKeys {
		keys[i] = []byte(k)
	}
	return imaging.Verify(keys, r.URL.Path, req, h.cfg.Now())
}
