package ui

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/vitrine/vitrine"
)

// assetRow is one asset as Grid and List show it, with what its publish
// icons need to toggle.
type assetRow struct {
	*vitrine.Asset
	Slot      int    // position on the page, for the icons' element id
	Company   string // root id
	Back      string // where the icons' forms come back to
	Detail    string // the Detail page
	Thumb     string // "" when no thumbnail can be shown
	Thumb2x   string
	Size      int64
	Selective bool // the two destinations are toggled apart (SEL-6)
	Delivery  bool // live on delivery
	Preview   bool // live on preview
}

// newAssetRow makes a row. Thumbnails come from delivery when the asset is
// live there, else from the preview host, which takes the workspace
// session; an asset live nowhere has none.
func newAssetRow(company string, a *vitrine.Asset, slot int, back, view string) assetRow {
	row := assetRow{Asset: a, Slot: slot, Company: company, Back: back,
		Detail:    "/c/" + company + "/assets/" + url.PathEscape(a.Name),
		Selective: a.PublishMode == vitrine.PublishSelective,
		Delivery:  a.Published.Delivery != nil, Preview: a.Published.Preview != nil}
	if a.CurrentVersion != nil {
		row.Size = a.CurrentVersion.Size
	}
	width := gridWidth
	if view == "list" {
		width = listWidth
	}
	if a.Type == vitrine.TypeImage && !a.Trashed() {
		base := ""
		switch {
		case row.Delivery:
			base = "/is/image/" + company + "/" + url.PathEscape(a.Name)
		case row.Preview:
			base = "/preview/is/image/" + company + "/" + url.PathEscape(a.Name)
		}
		if base != "" {
			row.Thumb = base + "?wid=" + strconv.Itoa(width)
			row.Thumb2x = base + "?wid=" + strconv.Itoa(2*width)
		}
	}
	return row
}

// Live is the one state shown outside Selective Publish: live on
// delivery (publish and unpublish move both destinations together).
func (r assetRow) Live() bool { return r.Delivery }

// Label is how the asset is named to people: its title, else its id.
func (r assetRow) Label() string {
	if r.Title != "" {
		return r.Title
	}
	return r.Name
}

// sortColumn is a List column header: a link sorting by it.
type sortColumn struct {
	Label, URL string
	Sort       string // aria-sort: ascending, descending, none
}

// sortColumns are the List's sortable headers: a click sorts by the
// column, a second click reverses the order.
func sortColumns(link func(map[string]string) string, f vitrine.AssetFilter) []sortColumn {
	cur := f.Sort
	if cur == "" {
		cur = vitrine.SortName
	}
	var out []sortColumn
	for _, c := range []struct {
		label string
		sort  vitrine.AssetSort
	}{{"Name", vitrine.SortName}, {"Type", vitrine.SortType}, {"Size", vitrine.SortSize}, {"Modified", vitrine.SortModified}} {
		col := sortColumn{Label: c.label, Sort: "none"}
		order := ""
		if c.sort == cur {
			col.Sort = "ascending"
			order = "desc"
			if f.Desc {
				col.Sort, order = "descending", ""
			}
		}
		sort := string(c.sort)
		if c.sort == vitrine.SortName {
			sort = ""
		}
		col.URL = link(map[string]string{"sort": sort, "order": order, "cursor": ""})
		out = append(out, col)
	}
	return out
}

// doneTexts say what an action on the selection did.
var doneTexts = map[string]string{
	"publish":   "published",
	"unpublish": "unpublished",
	"quick":     "published with their references (Quick Publish)",
	"move":      "moved",
	"copy":      "copied",
	"delete":    "moved to the Trash",
	"restore":   "restored from the Trash",
	"scheduled": "scheduled; see Jobs",
}

func doneText(q url.Values) string {
	what, ok := doneTexts[q.Get("done")]
	if !ok {
		return ""
	}
	n, _ := strconv.Atoi(q.Get("n"))
	if n == 1 {
		return "1 asset " + what + "."
	}
	return fmt.Sprintf("%d assets %s.", n, what)
}

// humanSize writes a byte count for people.
func humanSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// listedTypes are the types search filters by.
var listedTypes = []vitrine.AssetType{vitrine.TypeImage, vitrine.TypeVideo, vitrine.TypeStatic, vitrine.TypeImageSet,
	vitrine.TypeSwatchSet, vitrine.TypeSpinSet, vitrine.TypeMixedMediaSet, vitrine.TypeECatalog, vitrine.TypeVideoSet}

// pubIcon is one publish icon: its destination (under Selective Publish),
// its state, and the action a click takes.
type pubIcon struct {
	Row           assetRow
	Dest, Label   string
	On            bool
	OnAction, Off vitrine.Action
}

func newPubIcon(row assetRow, dest, label string, on bool, onAction, off vitrine.Action) pubIcon {
	return pubIcon{Row: row, Dest: dest, Label: label, On: on, OnAction: onAction, Off: off}
}
