package imaging

import (
	"encoding/json"
	"encoding/xml"
	"strconv"
	"strings"
	"time"

	"github.com/vitrine/vitrine"
)

// Prop is one property of a req=imageprops|props|exists answer, named as
// Scene7 names it (image.width, catalogRecord.exists, …).
type Prop struct{ Name, Value string }

// ImageProps answers req=imageprops: properties of the source image
// (reference notes §1.3.2; SPEC DEL-5 adds the format and version).
// version is the asset version id and modified its time; zero values are
// left out.
func ImageProps(info Info, version string, modified time.Time) []Prop {
	w, h := info.Upright()
	props := []Prop{
		{"image.width", strconv.Itoa(w)},
		{"image.height", strconv.Itoa(h)},
		{"image.format", info.Format},
		{"image.pixTyp", strings.ToUpper(info.PixelType)},
		{"image.mask", bit(info.Alpha)},
		{"image.embeddedIccProfile", bit(info.ICC)},
	}
	if version != "" {
		props = append(props, Prop{"image.version", version})
	}
	if !modified.IsZero() {
		props = append(props, Prop{"image.timeStamp", modified.UTC().Format(time.RFC3339)})
	}
	return props
}

// ReplyProps answers req=props: properties of the reply the request would
// produce. out may be nil when the reply was not rendered; image.length
// (the encoded size) is then left out.
func ReplyProps(p *Plan, out *Output, version string) []Prop {
	props := []Prop{
		{"image.width", strconv.Itoa(p.Width)},
		{"image.height", strconv.Itoa(p.Height)},
		{"image.type", p.MIME},
		{"image.quality", strconv.Itoa(p.Quality) + "," + bit(p.NoSubsample)},
		{"image.mask", bit(p.Alpha)},
	}
	if out != nil {
		props = append(props, Prop{"image.length", strconv.Itoa(len(out.Body))})
	}
	if version != "" {
		props = append(props, Prop{"image.version", version})
	}
	return props
}

// ExistsProps answers req=exists.
func ExistsProps(exists bool) []Prop {
	return []Prop{{"catalogRecord.exists", bit(exists)}}
}

// FormatProps encodes properties as Scene7 does for req=…,text (the
// default: name=value lines), json (one object of strings) or xml (a
// <properties> list; the element names are ours, Adobe documents none).
// JSONP (handler=) is not supported.
func FormatProps(props []Prop, format string) (body []byte, mime string, err error) {
	var b strings.Builder
	switch format {
	case "", "text":
		for _, p := range props {
			b.WriteString(p.Name + "=" + strings.NewReplacer("\r", " ", "\n", " ").Replace(p.Value) + "\n")
		}
		return []byte(b.String()), "text/plain; charset=utf-8", nil
	case "json":
		b.WriteByte('{')
		for i, p := range props {
			if i > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(p.Name)
			v, _ := json.Marshal(p.Value)
			b.Write(k)
			b.WriteByte(':')
			b.Write(v)
		}
		b.WriteString("}\n")
		return []byte(b.String()), "application/json", nil
	case "xml":
		b.WriteString(xml.Header + "<properties>\n")
		for _, p := range props {
			b.WriteString(`  <property name="`)
			xml.EscapeText(&b, []byte(p.Name)) //nolint:errcheck // strings.Builder cannot fail
			b.WriteString(`" value="`)
			xml.EscapeText(&b, []byte(p.Value)) //nolint:errcheck
			b.WriteString("\"/>\n")
		}
		b.WriteString("</properties>\n")
		return []byte(b.String()), "application/xml; charset=utf-8", nil
	}
	return nil, "", vitrine.Errorf(vitrine.EINVALID, "req format %q is not text, json or xml", format)
}
