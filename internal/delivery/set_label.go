package delivery

import (
	"net/http"
	"strings"

	"github.com/vitrine/vitrine"
)

// labeler gives set items their labels for labelkey=; nil gives none.
type labeler func(vitrine.SetItem) string

// labelFields are the labelkey= values Vitrine can answer, all read from
// the asset's title, the one descriptive field it keeps: "label" (what
// viewers send), "title", and the DMC/AEM metadata names of the title.
var labelFields = map[string]bool{"label": true, "title": true, "dc:title": true, "jcr:title": true}

// labelKey reads labelkey= (name in any case, as every command).
//
// Inferred (the Image Serving reference does not document labelkey=; it
// is what Scene7 viewers send with req=set): the value names the metadata
// field each item's label comes from, and the label is the l attribute of
// the item's <s> swatch element, where a colour swatch's label already is
// (catalog::ImageSet's solidColorSpecifier label) and where viewers draw
// swatch labels from. A field Vitrine does not keep gives no labels
// rather than invented ones, and so does an item without a title.
func labelKey(r *http.Request) labeler {
	for k, v := range r.URL.Query() {
		if strings.EqualFold(k, "labelkey") && labelFields[strings.ToLower(strings.TrimSpace(v[len(v)-1]))] {
			return func(it vitrine.SetItem) string { return it.Title }
		}
	}
	return nil
}

// apply sets the l attribute of a swatch element s of it, unless s has
// one already (a colour swatch's own label wins).
func (l labeler) apply(s *node, it vitrine.SetItem) {
	if l == nil {
		return
	}
	for _, a := range s.attrs {
		if a[0] == "l" {
			return
		}
	}
	if text := l(it); text != "" {
		s.attrs = append(s.attrs, [2]string{"l", text})
	}
}
