package delivery

import (
	"context"
	"net/http"
	"regexp"
	"strings"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/imaging"
)

// maxImageSetItems bounds imageSet=: Adobe allows at most 1000 assets in a
// set (reference notes §1.8, DMC limitations.md).
const maxImageSetItems = 1000

// imageSetRequest answers /is/image/{company}?imageSet=…&req=set: a set
// made of the listed ids (r-imageset.md: "Specifies an image set value for
// use when generating req=set response"; the example is
// http://server/myRootId?imageSet={asset1,asset2,asset3}&req=set). The
// value follows catalog::ImageSet's basic swatch set syntax
// (r-imageset-cat.md): items separated by ',', each an image id and
// optionally ';' and a swatch, the swatch an image id or a colour
// {0xrrggbb label}; ids are catalog/id or id. The whole value may be
// enclosed in braces.
//
// The answer is the set a saved swatch set of those members would give:
// type img_set, published images only (an unknown or unpublished id is
// left out, as a set leaves out an unpublished member, PUB-4), tagged with
// the purge key of every listed id, published or not, so that publishing
// or unpublishing any of them purges it.
func (h *Handler) imageSetRequest(w http.ResponseWriter, r *http.Request) {
	c, err := h.company(r.Context(), r.PathValue("company"))
	if err != nil {
		h.failImage(w, r, err)
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
	value, ok := imageSetValue(r)
	if kind, _ := req.Req(); kind != imaging.ReqSet || !ok {
		h.failImage(w, r, vitrine.Errorf(vitrine.EINVALID, "a request without an id takes imageSet= and req=set"))
		return
	}
	_, format := req.Req()
	h.serveImageSet(w, r, c, value, format)
}

// serveImageSet answers req=set for an imageSet= value. also names more
// ids the answer depends on: with an id in the path, imageSet= overrides
// that record's set (r-imageset.md), and the answer carries its key too.
func (h *Handler) serveImageSet(w http.ResponseWriter, r *http.Request, c *vitrine.Company, value, format string, also ...string) {
	items, err := parseImageSet(value, c.RootID)
	if err != nil {
		h.failImage(w, r, err)
		return
	}
	tree, keys, err := h.imageSetTree(r.Context(), c, items)
	if err != nil {
		h.failImage(w, r, err)
		return
	}
	h.writeSet(w, r, c, tree, format, append(keys, also...)...)
}

// imageSetValue is the imageSet= value (name in any case).
func imageSetValue(r *http.Request) (string, bool) {
	for k, v := range query(r) {
		if strings.EqualFold(k, "imageSet") {
			return v[len(v)-1], true
		}
	}
	return "", false
}

// imageSetItem is one item of an imageSet= value.
type imageSetItem struct {
	id     string // the image id, without the company
	swatch string // a swatch image id; "" for none or a colour
	color  string // rrggbb of a colour swatch
	label  string // the colour swatch's label
}

// colorSwatch is catalog::ImageSet's solidColorSpecifier: '{0x' rrggbb [label] '}'.
var colorSwatch = regexp.MustCompile(`^[{(]0x([0-9A-Fa-f]{6})(?:\s+(.*))?[})]$`)

// parseImageSet reads an imageSet= value (r-imageset-cat.md, basic swatch
// sets). Nested sets and the other set syntaxes are refused by name.
func parseImageSet(v, rootID string) ([]imageSetItem, error) {
	v = strings.TrimSpace(v)
	if len(v) >= 2 && (v[0] == '{' && v[len(v)-1] == '}' || v[0] == '(' && v[len(v)-1] == ')') {
		v = v[1 : len(v)-1]
	}
	if v == "" {
		return nil, vitrine.Errorf(vitrine.EINVALID, "imageSet= is empty")
	}
	parts := strings.Split(v, ",")
	if len(parts) > maxImageSetItems {
		return nil, vitrine.Errorf(vitrine.EINVALID, "imageSet= lists %d items; at most %d", len(parts), maxImageSetItems)
	}
	id := func(s string) string { return strings.TrimPrefix(strings.TrimSpace(s), rootID+"/") }
	items := make([]imageSetItem, 0, len(parts))
	for _, p := range parts {
		image, swatch, hasSwatch := strings.Cut(p, ";")
		it := imageSetItem{id: id(image)}
		if it.id == "" || strings.ContainsAny(it.id, "{}():") || strings.Contains(swatch, ";") {
			return nil, vitrine.Errorf(vitrine.EINVALID, "imageSet= item %q is not id or id;swatch (nested sets are not supported)", p)
		}
		if hasSwatch {
			swatch = strings.TrimSpace(swatch)
			if m := colorSwatch.FindStringSubmatch(swatch); m != nil {
				it.color, it.label = strings.ToLower(m[1]), strings.TrimSpace(m[2])
			} else if it.swatch = id(swatch); strings.ContainsAny(it.swatch, "{}():") {
				return nil, vitrine.Errorf(vitrine.EINVALID, "imageSet= swatch %q is not an id or {0xrrggbb label}", swatch)
			}
		}
		items = append(items, it)
	}
	return items, nil
}

// imageSetTree resolves the items against the live delivery catalog. keys
// lists every id named, for the purge keys.
func (h *Handler) imageSetTree(ctx context.Context, c *vitrine.Company, items []imageSetItem) (*vitrine.SetTree, []string, error) {
	tree := &vitrine.SetTree{Type: vitrine.TypeSwatchSet, Items: []vitrine.SetItem{}}
	var keys []string
	live := func(name string) (*vitrine.CatalogEntry, error) {
		keys = append(keys, name)
		_, e, err := h.lookup(ctx, c.RootID, name, vitrine.DestDelivery, vitrine.ContextImage)
		switch {
		case vitrine.ErrorCode(err) == vitrine.ENOTPUBLISHED || vitrine.ErrorCode(err) == vitrine.ENOTFOUND:
			return nil, nil
		case err != nil:
			return nil, err
		case e.AssetType != vitrine.TypeImage:
			return nil, vitrine.Errorf(vitrine.EINVALID, "imageSet= lists %s, which is not an image", name)
		}
		return e, nil
	}
	for pos, it := range items {
		e, err := live(it.id)
		if err != nil {
			return nil, nil, err
		}
		var sw *vitrine.LiveSwatch
		switch {
		case it.color != "":
			sw = &vitrine.LiveSwatch{Color: it.color, Label: it.label}
		case it.swatch != "":
			s, err := live(it.swatch)
			if err != nil {
				return nil, nil, err
			}
			if s != nil {
				sw = &vitrine.LiveSwatch{Name: s.Name}
			}
		}
		if e == nil {
			continue
		}
		tree.Items = append(tree.Items, vitrine.SetItem{Position: pos, Name: e.Name, Type: vitrine.TypeImage,
			Width: e.Version.Width, Height: e.Version.Height, Version: e.Version.Number, MIME: e.Version.MIME,
			Title: e.Title, Swatch: sw})
	}
	return tree, keys, nil
}
