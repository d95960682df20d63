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
// Adobe's media set requests page (r-media-set-requests.md, LabelKey):
// "labelkey= is used together with the catalog::UserData field to
// generate labels for images and swatches … the labelkey indexes in to
// this set to retrieve the value for the given key. This value is then
// returned in the l attribute for the s and i." Vitrine keeps no
// UserData; inferred: the keys above name the asset's title, its one
// descriptive field. A key Vitrine does not keep gives no labels rather
// than invented ones, and so does an item without a title.
func labelKey(r *http.Request) labeler {
	for k, v := range query(r) {
		if strings.EqualFold(k, "labelkey") && labelFields[strings.ToLower(strings.TrimSpace(v[len(v)-1]))] {
			return func(it vitrine.SetItem) string { return it.Title }
		}
	}
	return nil
}

// apply sets the l attribute of an item element's <i> and <s>, unless the
// element has one already (a colour swatch's own label wins).
func (l labeler) apply(item *node, it vitrine.SetItem) {
	if l == nil {
		return
	}
	text := l(it)
	if text == "" {
		return
	}
next:
	for _, k := range item.kids {
		if k.name != "i" && k.name != "s" {
			continue
		}
		for _, a := range k.attrs {
			if a[0] == "l" {
				continue next
			}
		}
		k.attrs = append(k.attrs, [2]string{"l", text})
	}
}
