package delivery

import (
	"context"
	"strconv"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/imaging"
)

// smartCrops returns the smart crops of a catalog entry's version, reused
// like catalog lookups (a change of the company forgets them).
func (h *Handler) smartCrops(ctx context.Context, rootID string, e *vitrine.CatalogEntry) ([]vitrine.SmartCrop, error) {
	key := "\x00crops\x00" + strconv.FormatInt(e.Version.ID, 10)
	if r, ok := h.lookups.get(rootID, key); ok {
		return r.crops, r.err
	}
	gen := h.lookups.gen(rootID)
	crops, err := h.db.Crops(ctx, e.Version.ID)
	if err != nil {
		return nil, err
	}
	h.lookups.put(rootID, key, lookupResult{crops: crops}, gen)
	return crops, nil
}

// withSmartCrop returns req for the smart crop called name of e (AEM's
// /is/image/{co}/{id}:{crop}): the crop's box scaled to its size, with
// every modifier applied after it. An image without that crop answers as
// an unknown image does.
func (h *Handler) withSmartCrop(ctx context.Context, c *vitrine.Company, e *vitrine.CatalogEntry, req *imaging.Request, name string) (*imaging.Request, error) {
	crops, err := h.smartCrops(ctx, c.RootID, e)
	if err != nil {
		return nil, err
	}
	for _, sc := range crops {
		if sc.Name == name {
			return req.WithSmartCrop(sc), nil
		}
	}
	return nil, vitrine.Errorf(vitrine.ENOTPUBLISHED, "no crop %q", name)
}

// cropRelations lists an image's smart crops in its req=set answer as
// AEM Dynamic Media does: one <relation n="co/id:Crop"> each, with a
// <userdata> whose SmartCropDef, SmartCropWidth and SmartCropHeight the
// AEM Core image component reads (set.relation[i].userdata, in
// adobe/aem-core-wcm-components image/v3 site/js/imageDynamicMedia.js,
// getAutoSmartCrops), and SmartCropRect as req=userdata shows it (the box
// normalised to the image, then the crop's size). In JSON the relations
// are always an array, as that reader indexes them.
func cropRelations(rootID, id string, crops []vitrine.SmartCrop) []*node {
	out := make([]*node, 0, len(crops))
	for _, sc := range crops {
		b := sc.Box
		sw, sh := float64(max(sc.SourceWidth, 1)), float64(max(sc.SourceHeight, 1))
		rect := fnum(float64(b.X)/sw) + "," + fnum(float64(b.Y)/sh) + "," + fnum(float64(b.W)/sw) + "," + fnum(float64(b.H)/sh) +
			"," + strconv.Itoa(sc.Width) + "," + strconv.Itoa(sc.Height)
		out = append(out, &node{name: "relation", list: true, attrs: [][2]string{{"n", rootID + "/" + id + ":" + sc.Name}},
			kids: []*node{{name: "userdata", attrs: [][2]string{
				{"SmartCropDef", sc.Name},
				{"SmartCropHeight", strconv.FormatFloat(float64(sc.Height), 'f', 1, 64)},
				{"SmartCropRect", rect},
				{"SmartCropWidth", strconv.FormatFloat(float64(sc.Width), 'f', 1, 64)},
			}}}})
	}
	return out
}

// fnum writes a normalised coordinate with six significant digits, as
// Adobe's SmartCropRect does.
func fnum(f float64) string { return strconv.FormatFloat(f, 'g', 6, 64) }
