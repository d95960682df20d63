package delivery

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/vitrine/vitrine"
)

// serveSet answers req=set for a set (DEL-5): its published members, in the
// JSON or XML shape Scene7 viewers read. format is "", "json" or "xml".
//
// The shape (docs/sets.md lists what is verified and what inferred): a <set pv="1.0" type=… n=…>
// root holding one <item> per published member, an image item being
// <i n="company/id"/><s n="company/swatch"/><dx>width</dx><dy>height</dy>
// <iv>version</iv>. The JSON is the same tree converted the way Scene7
// converts it (attributes and leaf elements become string fields, a
// repeated element an array, a single one an object) and wrapped as JSONP:
// /*jsonp*/s7jsonResponse({…},"id"); handler= names the callback, id= is
// echoed, and an empty handler= gives bare JSON. Members that are not
// published are left out (PUB-4). The answer carries the company's
// non-image TTL and an ETag of its bytes.
func (h *Handler) serveSet(w http.ResponseWriter, r *http.Request, c *vitrine.Company, e *vitrine.CatalogEntry, format string) {
	tree, err := h.db.PublishedSet(r.Context(), e)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeSet(w, r, c, tree, format)
}

// serveImageAsSet answers req=set on a plain image as Scene7 does: a set
// of type img holding the image as its one item. Viewers and the AEM Core
// image component pointed at a single image ask for it (live behaviour;
// the reference describes req=set for sets only).
func (h *Handler) serveImageAsSet(w http.ResponseWriter, r *http.Request, c *vitrine.Company, e *vitrine.CatalogEntry, format string) {
	tree := &vitrine.SetTree{Name: e.Name, Type: vitrine.TypeImage, Items: []vitrine.SetItem{{
		Name: e.Name, Type: vitrine.TypeImage, Width: e.Version.Width, Height: e.Version.Height, Version: e.Version.Number,
		Title: e.Title,
	}}}
	crops, err := h.smartCrops(r.Context(), c.RootID, e)
	if err != nil {
		h.failImage(w, r, err)
		return
	}
	root := setNode(c.RootID, tree, labelKey(r))
	root.kids = append(root.kids, cropRelations(c.RootID, e.Name, crops)...)
	h.writeSetNode(w, r, c, root, setIDs(tree, nil), format)
}

// writeSet writes a set tree in the asked format, tagged with the keys of
// every asset in it.
func (h *Handler) writeSet(w http.ResponseWriter, r *http.Request, c *vitrine.Company, tree *vitrine.SetTree, format string, also ...string) {
	h.writeSetNode(w, r, c, setNode(c.RootID, tree, labelKey(r)), append(setIDs(tree, nil), also...), format)
}

// writeSetNode writes a req=set answer tagged with the keys of ids.
func (h *Handler) writeSetNode(w http.ResponseWriter, r *http.Request, c *vitrine.Company, root *node, ids []string, format string) {
	var body []byte
	var mime string
	if format == "json" {
		cb, err := jsonpParams(r)
		if err != nil {
			h.failImage(w, r, err)
			return
		}
		body, mime = root.jsonp(cb)
	} else {
		body, mime = root.xmlDoc(), "text/xml; charset=utf-8"
	}
	sum := sha256.Sum256(body)
	hdr := w.Header()
	hdr.Set("Content-Type", mime)
	hdr.Set("Cache-Control", "public, max-age="+strconv.Itoa(c.Settings.NonImageTTLSeconds))
	hdr.Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
	hdr.Set("X-Content-Type-Options", "nosniff")
	setXkeys(hdr, c.RootID, ids...)
	writeBody(w, r, time.Time{}, body)
}

// handlerPattern is what handler= may name: the reference says letters and
// digits; live Scene7 also accepts '_' (s7_callback), which viewers send.
var handlerPattern = regexp.MustCompile(`^[A-Za-z0-9_]{1,64}$`)

// jsonpParams reads handler= and id= (names in any case, as every Scene7
// command). An explicit empty handler= asks for bare JSON.
func jsonpParams(r *http.Request) (callback, error) {
	cb := callback{handler: "s7jsonResponse"}
	for k, v := range query(r) {
		switch strings.ToLower(k) {
		case "handler":
			if v[len(v)-1] == "" {
				cb.bare = true
				continue
			}
			if !handlerPattern.MatchString(v[len(v)-1]) {
				return callback{}, vitrine.Errorf(vitrine.EINVALID, "handler= takes letters, digits and '_' only")
			}
			cb.handler = v[len(v)-1]
		case "id":
			cb.id = v[len(v)-1]
		}
	}
	return cb, nil
}

// setTypes are the set types as req=set names them (Adobe's output types:
// img, img_set, spin, video, video_set, ecat; and media_set, as live
// answers show). Swatch sets answer as img_set, as Adobe maps
// advanced_swatchset.
var setTypes = map[vitrine.AssetType]string{
	vitrine.TypeImageSet: "img_set", vitrine.TypeSwatchSet: "img_set", vitrine.TypeSpinSet: "spin",
	vitrine.TypeMixedMediaSet: "media_set", vitrine.TypeECatalog: "ecat", vitrine.TypeVideoSet: "video_set",
	vitrine.TypeImage: "img", // req=set on a plain image
}

// setNode builds the <set> element of a tree.
func setNode(rootID string, t *vitrine.SetTree, label labeler) *node {
	n := &node{name: "set", attrs: [][2]string{{"pv", "1.0"}, {"type", setTypes[t.Type]}}}
	if t.Name != "" {
		n.attrs = append(n.attrs, [2]string{"n", rootID + "/" + t.Name})
	}
	if t.Type == vitrine.TypeSpinSet && t.Rows > 1 && t.Columns > 0 {
		return spinRows(rootID, t, n, label)
	}
	for _, it := range t.Items {
		n.kids = append(n.kids, itemNode(rootID, t.Type, it, label))
	}
	return n
}

// spinRows lays a two-dimensional spin set out as Adobe defines 2-D spin
// sets: one item per row, each an in-line spin set of that row's images.
// Rows follow the saved grid, so an unpublished image leaves its row
// shorter instead of shifting the rows after it.
func spinRows(rootID string, t *vitrine.SetTree, n *node, label labeler) *node {
	rows := make([]*node, t.Rows)
	for _, it := range t.Items {
		r := min(it.Position/t.Columns, t.Rows-1)
		if rows[r] == nil {
			rows[r] = &node{name: "set", attrs: [][2]string{{"pv", "1.0"}, {"type", "spin"}}}
		}
		rows[r].kids = append(rows[r].kids, itemNode(rootID, t.Type, it, label))
	}
	for _, row := range rows {
		if row != nil {
			n.kids = append(n.kids, &node{name: "item", attrs: [][2]string{{"type", "spin"}}, kids: []*node{row}})
		}
	}
	return n
}

// itemNode builds one <item>.
func itemNode(rootID string, parent vitrine.AssetType, it vitrine.SetItem, label labeler) *node {
	n := &node{name: "item"}
	full := rootID + "/" + it.Name
	switch {
	case it.Set != nil:
		n.attrs = append(n.attrs, [2]string{"type", setTypes[it.Type]})
		n.kids = append(n.kids, setNode(rootID, it.Set, label))
	case it.Type == vitrine.TypeVideo:
		if parent == vitrine.TypeMixedMediaSet {
			n.attrs = append(n.attrs, [2]string{"type", "video"})
		}
		n.kids = append(n.kids, &node{name: "v", attrs: [][2]string{{"n", full}}})
	default:
		n.kids = append(n.kids, &node{name: "i", attrs: [][2]string{{"n", full}}})
	}
	if s := swatchNode(rootID, it); s != nil {
		n.kids = append(n.kids, s)
	}
	label.apply(n, it)
	if it.Set == nil {
		if it.Width > 0 && it.Height > 0 {
			n.kids = append(n.kids, leaf("dx", strconv.Itoa(it.Width)), leaf("dy", strconv.Itoa(it.Height)))
		}
		n.kids = append(n.kids, leaf("iv", strconv.Itoa(it.Version)))
	}
	return n
}

// swatchNode is an item's <s>: its swatch, else the item itself for an
// image (viewers draw thumbnails from s), a video's poster, or a nested
// set's first image.
func swatchNode(rootID string, it vitrine.SetItem) *node {
	s := &node{name: "s"}
	switch w := it.Swatch; {
	case w != nil && w.Color != "":
		s.attrs = [][2]string{{"c", "0x" + w.Color}}
		if w.Label != "" {
			s.attrs = append(s.attrs, [2]string{"l", w.Label})
		}
	case w != nil && w.Crop != "":
		s.attrs = [][2]string{{"n", rootID + "/" + w.Name}, {"crop", w.Crop}}
	case w != nil:
		s.attrs = [][2]string{{"n", rootID + "/" + w.Name}}
	case it.Type == vitrine.TypeImage:
		s.attrs = [][2]string{{"n", rootID + "/" + it.Name}}
	case it.Type == vitrine.TypeVideo && it.Poster != "":
		s.attrs = [][2]string{{"n", rootID + "/" + it.Poster}}
	case it.Set != nil:
		first := firstImage(it.Set)
		if first == "" {
			return nil
		}
		s.attrs = [][2]string{{"n", rootID + "/" + first}}
	default:
		return nil
	}
	return s
}

// firstImage is the name of a tree's first published image, depth first.
func firstImage(t *vitrine.SetTree) string {
	for _, it := range t.Items {
		if it.Type == vitrine.TypeImage {
			return it.Name
		}
		if it.Set != nil {
			if n := firstImage(it.Set); n != "" {
				return n
			}
		}
	}
	return ""
}
