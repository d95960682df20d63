package delivery

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"strings"
	"time"

	"github.com/vitrine/vitrine/internal/imaging"
)

// callback is the JSONP wrapping of a ,json answer: the handler= name
// (default s7jsonResponse) and the echoed id=; bare for an explicit empty
// handler=, which gives plain JSON.
type callback struct {
	handler, id string
	bare        bool
}

// encodeProps writes a properties answer (req=imageprops, props, exists)
// in the form Adobe's Properties pages define (c-properties.md):
//
//   - text (the default): Java properties, opened by "#S7Z OK" and a "#"
//     date line (r-text-java-properties.md); values escaped Java-style;
//   - javascript: name='value' lines, quotes doubled (r-javascript-properties.md);
//   - xml: a <prop-group> holding one named <prop-group> per object
//     ("image", "catalogRecord", "metadata") of <property name value/>
//     (r-xml-properties.md);
//   - json: JSONP, /*jsonp*/s7jsonResponse({"image.width":"…",…},"id");
//     (r-json-properties.md), as req=set,json.
//
// MIME types follow r-req.md: text/plain, text/javascript, text/xml and
// text/javascript. now is the date line's time. The returned tag hashes
// everything but the date line, so the ETag of an unchanged answer stays.
func encodeProps(props []imaging.Prop, format string, cb callback, now time.Time) (body []byte, mime, tag string) {
	var b strings.Builder
	switch format {
	case "javascript":
		for _, p := range props {
			b.WriteString(p.Name + "='" + strings.ReplaceAll(oneLine(p.Value), "'", "''") + "'\n")
		}
		mime = "text/javascript; charset=utf-8"
	case "xml":
		writePropsXML(&b, props)
		mime = "text/xml; charset=utf-8"
	case "json":
		obj := &node{name: "", attrs: make([][2]string, len(props))}
		for i, p := range props {
			obj.attrs[i] = [2]string{p.Name, p.Value}
		}
		var j strings.Builder
		obj.writeJSON(&j)
		body, mime = wrapJSONP(j.String(), cb)
		return body, mime, etagOf(body)
	default:
		for _, p := range props {
			b.WriteString(javaEscape(p.Name, true) + "=" + javaEscape(p.Value, false) + "\n")
		}
		tag = etagOf([]byte(b.String()))
		return []byte("#S7Z OK\n#" + imaging.JavaDate(now) + "\n" + b.String()), "text/plain; charset=utf-8", tag
	}
	body = []byte(b.String())
	return body, mime, etagOf(body)
}

// wrapJSONP wraps a JSON value for the callback: Adobe's JSONP form, or
// plain JSON when bare.
func wrapJSONP(value string, cb callback) ([]byte, string) {
	if cb.bare {
		return []byte(value + "\n"), "application/json"
	}
	return []byte("/*jsonp*/" + cb.handler + "(" + value + "," + quote(cb.id) + ");\n"), "text/javascript; charset=utf-8"
}

// writePropsXML writes the <prop-group> document: properties grouped by
// the object before the first dot, in order of first appearance; a name
// without a dot stays in the outer group.
func writePropsXML(b *strings.Builder, props []imaging.Prop) {
	type group struct {
		name  string
		props [][2]string
	}
	var groups []*group
	byName := map[string]*group{}
	for _, p := range props {
		obj, name := "", p.Name
		if i := strings.IndexByte(p.Name, '.'); i > 0 {
			obj, name = p.Name[:i], p.Name[i+1:]
		}
		g := byName[obj]
		if g == nil {
			g = &group{name: obj}
			byName[obj] = g
			groups = append(groups, g)
		}
		g.props = append(g.props, [2]string{name, p.Value})
	}
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<prop-group>\n")
	writeProps := func(indent string, ps [][2]string) {
		for _, p := range ps {
			b.WriteString(indent + `<property name="` + xmlAttr(p[0]) + `" value="` + xmlAttr(p[1]) + "\"/>\n")
		}
	}
	for _, g := range groups {
		if g.name == "" {
			writeProps("  ", g.props)
			continue
		}
		b.WriteString(`  <prop-group name="` + xmlAttr(g.name) + "\">\n")
		writeProps("    ", g.props)
		b.WriteString("  </prop-group>\n")
	}
	b.WriteString("</prop-group>\n")
}

func xmlAttr(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s)) //nolint:errcheck // a strings.Builder does not fail
	return b.String()
}

// javaEscape escapes a key or value as java.util.Properties.store does:
// backslash, line breaks, tabs and form feeds always; in keys also '=',
// ':', '#', '!' and spaces; in values a leading space.
func javaEscape(s string, key bool) string {
	var b strings.Builder
	for i, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\f':
			b.WriteString(`\f`)
		case '=', ':', '#', '!':
			if key {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		case ' ':
			if key || i == 0 {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// oneLine keeps a javascript value on its line.
func oneLine(s string) string { return strings.NewReplacer("\r", " ", "\n", " ", `\`, `\\`).Replace(s) }

func etagOf(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}
