package delivery

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/imaging"
)

// layerEntries looks up the src= images of req's layers in the company's
// catalog, with the checks of the main image: published to dest, an
// image. An id may carry the company's root id ("acme/badge", as
// [CMD]r-src.md writes it); any other prefix stays part of the id, which
// is then found nowhere in this company, so a tenant never reads another
// company's asset. A missing or unpublished src answers as a missing
// image does (403).
func (h *Handler) layerEntries(ctx context.Context, c *vitrine.Company, req *imaging.Request, dest vitrine.Destination) (map[string]*vitrine.CatalogEntry, error) {
	ids := req.LayerSources()
	if len(ids) == 0 {
		return nil, nil
	}
	out := make(map[string]*vitrine.CatalogEntry, len(ids))
	for _, id := range ids {
		_, e, err := h.lookup(ctx, c.RootID, strings.TrimPrefix(id, c.RootID+"/"), dest, vitrine.ContextImage)
		switch code := vitrine.ErrorCode(err); {
		case code == vitrine.ENOTFOUND || code == vitrine.ENOTPUBLISHED:
			return nil, vitrine.Errorf(vitrine.ENOTPUBLISHED, "layer src not published")
		case err != nil:
			return nil, err
		case e.AssetType != vitrine.TypeImage:
			return nil, vitrine.Errorf(vitrine.ENOTPUBLISHED, "layer src is not an image")
		}
		out[id] = e
	}
	return out, nil
}

// layerHeaders returns the headers NewCompositePlan needs.
func layerHeaders(layers map[string]*vitrine.CatalogEntry) map[string]imaging.Source {
	if len(layers) == 0 {
		return nil
	}
	out := make(map[string]imaging.Source, len(layers))
	for id, e := range layers {
		out[id] = imaging.Source{Width: e.Version.Width, Height: e.Version.Height}
	}
	return out
}

// layerVersions is what the rendition key adds for the layers' sources:
// each id with its version's digest, in the request's layer order, so
// that republishing a layer source never serves the old composite.
func layerVersions(req *imaging.Request, layers map[string]*vitrine.CatalogEntry) string {
	var b strings.Builder
	for _, id := range req.LayerSources() {
		b.WriteString("&layersrc=")
		b.WriteString(strconv.Quote(id))
		b.WriteByte(':')
		b.WriteString(layers[id].Version.SHA256)
	}
	return b.String()
}

// layerNames lists the asset names a composite is made from, for its
// surrogate keys: a purge of any of them purges the composite.
func layerNames(layers map[string]*vitrine.CatalogEntry) []string {
	names := make([]string, 0, len(layers))
	for _, e := range layers {
		names = append(names, e.Name)
	}
	slices.Sort(names) // a stable header
	return names
}

// readLayers reads the layers' sources whole, as readVersion does.
func (h *Handler) readLayers(ctx context.Context, layers map[string]*vitrine.CatalogEntry) (map[string][]byte, error) {
	if len(layers) == 0 {
		return nil, nil
	}
	out := make(map[string][]byte, len(layers))
	for id, e := range layers {
		data, err := h.readVersion(ctx, e)
		if err != nil {
			return nil, err
		}
		out[id] = data
	}
	return out, nil
}
