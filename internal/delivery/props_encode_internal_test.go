package delivery

import (
	"encoding/xml"
	"testing"
	"time"

	"github.com/vitrine/vitrine/internal/imaging"
)

// Each case follows one of Adobe's Properties pages
// (help/aem-is-ir-api/…/c-response-data/c-properties/, AdobeDocs/dynamic-media-developer-resources.en)
// and the MIME types of r-req.md.
func TestEncodeProps(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 4, 3, 44, 35, 0, time.UTC)
	props := []imaging.Prop{{Name: "image.width", Value: "300"}, {Name: "image.iccProfile", Value: `it's a<b> & "c"`}, {Name: "catalogRecord.exists", Value: "1"}}
	tests := []struct {
		name, format string
		cb           callback
		mime, body   string
	}{
		{"r-text-java-properties.md: #S7Z OK, the date line, name=value", "text", callback{},
			"text/plain; charset=utf-8",
			"#S7Z OK\n#Fri Dec 04 03:44:35 GMT 2026\nimage.width=300\nimage.iccProfile=it's a<b> & \"c\"\ncatalogRecord.exists=1\n"},
		{"r-javascript-properties.md: name='value', single quotes doubled", "javascript", callback{},
			"text/javascript; charset=utf-8",
			"image.width='300'\nimage.iccProfile='it''s a<b> & \"c\"'\ncatalogRecord.exists='1'\n"},
		{"r-xml-properties.md: prop-groups named by object", "xml", callback{},
			"text/xml; charset=utf-8",
			`<?xml version="1.0" encoding="UTF-8"?>` + "\n<prop-group>\n" +
				"  <prop-group name=\"image\">\n" +
				"    <property name=\"width\" value=\"300\"/>\n" +
				"    <property name=\"iccProfile\" value=\"it&#39;s a&lt;b&gt; &amp; &#34;c&#34;\"/>\n" +
				"  </prop-group>\n" +
				"  <prop-group name=\"catalogRecord\">\n" +
				"    <property name=\"exists\" value=\"1\"/>\n" +
				"  </prop-group>\n</prop-group>\n"},
		{"r-json-properties.md: /*jsonp*/s7jsonResponse({…},\"reqId\")", "json", callback{handler: "s7jsonResponse", id: "r1"},
			"text/javascript; charset=utf-8",
			`/*jsonp*/s7jsonResponse({"image.width":"300","image.iccProfile":"it's a\u003cb\u003e \u0026 \"c\"","catalogRecord.exists":"1"},"r1");` + "\n"},
		{"r-json-properties.md: handler= names the callback", "json", callback{handler: "s7_cb"},
			"text/javascript; charset=utf-8",
			`/*jsonp*/s7_cb({"image.width":"300","image.iccProfile":"it's a\u003cb\u003e \u0026 \"c\"","catalogRecord.exists":"1"},"");` + "\n"},
		{"inferred: an empty handler= gives bare JSON", "json", callback{bare: true},
			"application/json",
			`{"image.width":"300","image.iccProfile":"it's a\u003cb\u003e \u0026 \"c\"","catalogRecord.exists":"1"}` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			body, mime, _ := encodeProps(props, tt.format, tt.cb, now)
			if mime != tt.mime || string(body) != tt.body {
				t.Errorf("encodeProps(%s) = %q\n%s\nwant %q\n%s", tt.format, mime, body, tt.mime, tt.body)
			}
		})
	}
	// The XML parses; the text answer's ETag tag ignores the date line.
	body, _, _ := encodeProps(props, "xml", callback{}, now)
	var doc struct {
		Groups []struct {
			Name  string `xml:"name,attr"`
			Props []struct {
				Name  string `xml:"name,attr"`
				Value string `xml:"value,attr"`
			} `xml:"property"`
		} `xml:"prop-group"`
	}
	if err := xml.Unmarshal(body, &doc); err != nil || len(doc.Groups) != 2 || doc.Groups[0].Props[1].Value != `it's a<b> & "c"` {
		t.Errorf("xml round trip = %+v, %v", doc, err)
	}
	_, _, tag1 := encodeProps(props, "text", callback{}, now)
	_, _, tag2 := encodeProps(props, "text", callback{}, now.Add(time.Hour))
	if tag1 != tag2 {
		t.Errorf("text tags differ with the time: %s %s", tag1, tag2)
	}
}

// java.util.Properties escapes (r-text-java-properties.md: "JAVA-style
// escape characters, such as \n, \t, \:, or \\").
func TestJavaEscape(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		key  bool
		want string
	}{
		{"a\nb\tc\\d", false, `a\nb\tc\\d`},
		{" lead", false, `\ lead`},
		{"a=b:c d", true, `a\=b\:c\ d`},
		{"a=b:c d", false, `a=b:c d`},
	} {
		if got := javaEscape(tc.in, tc.key); got != tc.want {
			t.Errorf("javaEscape(%q, %v) = %q, want %q", tc.in, tc.key, got, tc.want)
		}
	}
}
