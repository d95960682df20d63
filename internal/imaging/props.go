package imaging

import (
	"fmt"
	"strconv"
	"time"
)

// Prop is one property of a req=imageprops|props|exists answer, named as
// Scene7 names it (image.width, catalogRecord.exists, …). The part before
// the first dot is the object (the <prop-group> of the XML form).
type Prop struct{ Name, Value string }

// SourceMeta is what the catalog knows of a source image beyond its
// header, for req=imageprops.
type SourceMeta struct {
	ID         string        // the catalog id as company/id (image.translatedId)
	Version    string        // the asset version (image.version; SPEC DEL-5)
	Modified   time.Time     // when this version went live (image.timeStamp)
	Expiration time.Duration // the company's image TTL (image.expiration, in hours)
}

// ImageProps answers req=imageprops: the properties of the source image
// that Adobe's imageprops page lists and Vitrine knows, in that page's
// order (r-imageprops.md). image.format and image.version are Vitrine's
// additions (SPEC DEL-5). Omitted, because Vitrine cannot know them:
// image.resolution (a catalog object resolution), image.thumbRes,
// image.thumbType, image.photoshopPathNames, image.embeddedPhotoshopPaths,
// image.embeddedXmpData; image.printRes and image.iccProfile when the file
// records none.
func ImageProps(info Info, m SourceMeta) []Prop {
	w, h := info.Upright()
	props := []Prop{
		// catalog::Anchor is never set, so the default: the centre (r-anchor.md).
		{"image.anchor", strconv.Itoa(w/2) + "," + strconv.Itoa(h/2)},
		{"image.embeddedIccProfile", bit(info.ICC)},
		{"image.expiration", strconv.FormatFloat(m.Expiration.Hours(), 'f', -1, 64)},
		{"image.format", info.Format},
		{"image.height", strconv.Itoa(h)},
	}
	if info.ICCName != "" {
		props = append(props, Prop{"image.iccProfile", info.ICCName})
	}
	// 0 no mask; 2 non-premultiplied alpha, what PNG, WebP, TIFF and AVIF
	// carry (r-imageprops.md: 1 is premultiplied, 3 a separate mask).
	mask := "0"
	if info.Alpha {
		mask = "2"
	}
	props = append(props,
		Prop{"image.mask", mask},
		Prop{"image.modifier", ""}, // Vitrine has no catalog::Modifier
		Prop{"image.pixTyp", pixTyp(info.PixelType)},
		Prop{"image.postModifier", ""},
	)
	if info.PrintRes > 0 {
		props = append(props, Prop{"image.printRes", strconv.Itoa(info.PrintRes)})
	}
	if !m.Modified.IsZero() {
		props = append(props, Prop{"image.timeStamp", JavaDate(m.Modified)})
	}
	if m.ID != "" {
		props = append(props, Prop{"image.translatedId", m.ID})
	}
	if m.Version != "" {
		props = append(props, Prop{"image.version", m.Version})
	}
	return append(props, Prop{"image.width", strconv.Itoa(w)})
}

// ReplyMeta is what req=props reports beyond the plan.
type ReplyMeta struct {
	Length          int    // the cached reply's size; 0 when not cached (r-props.md)
	Version         string // image.version
	MetadataVersion string // metadata.version; "" leaves it out
}

// ReplyProps answers req=props: the properties of the reply the request
// would produce, in the order of Adobe's props page (r-props.md). The
// reply is never rendered for it: image.length is the size of the cached
// reply, 0 when the server has not cached it, as Adobe documents.
// Renditions never embed an ICC profile, paths or XMP, so iccEmbed,
// pathEmbed and xmpEmbed are 0, and every rendition is sRGB.
// image.printRes is left out: Vitrine has no printRes= and writes none.
func ReplyProps(p *Plan, m ReplyMeta) []Prop {
	mask := "0"
	if p.Alpha {
		mask = "1"
	}
	bg := p.Background
	props := []Prop{
		{"image.bgc", fmt.Sprintf("0x%02x%02x%02x", bg.R, bg.G, bg.B)},
		{"image.height", strconv.Itoa(p.Height)},
		{"image.iccEmbed", "0"},
		{"image.iccProfile", "sRGB IEC61966-2.1"},
		{"image.length", strconv.Itoa(m.Length)},
		{"image.mask", mask},
		{"image.pathEmbed", "0"},
		{"image.pixTyp", "RGB"},
		{"image.quality", strconv.Itoa(p.Quality)},
		{"image.type", p.MIME},
		{"image.width", strconv.Itoa(p.Width)},
		{"image.xmpEmbed", "0"},
	}
	if m.Version != "" {
		props = append(props, Prop{"image.version", m.Version})
	}
	if m.MetadataVersion != "" {
		props = append(props, Prop{"metadata.version", m.MetadataVersion})
	}
	return props
}

// ExistsProps answers req=exists (r-exists.md).
func ExistsProps(exists bool) []Prop {
	return []Prop{{"catalogRecord.exists", bit(exists)}}
}

// pixTyp names a pixel type as Scene7 does: CMYK, RGB or BW (gray).
func pixTyp(t string) string {
	switch t {
	case "gray":
		return "BW"
	case "cmyk":
		return "CMYK"
	}
	return "RGB"
}

// JavaDate writes a time as Java's Date.toString does in GMT, the form of
// the date line Java's Properties.store writes and Scene7's text answers
// begin with ("#Fri Dec 04 03:44:35 GMT 2026").
func JavaDate(t time.Time) string {
	u := t.UTC()
	return u.Format("Mon Jan 02 15:04:05") + " GMT " + strconv.Itoa(u.Year())
}

// AsImage returns the req=img request that a req=props request
// describes, whose cache key names the reply it reports on.
func (r *Request) AsImage() *Request {
	c := *r
	c.reqKind, c.reqFormat = ReqImg, ""
	return &c
}
