package delivery_test

import (
	"strconv"
	"strings"
	"testing"
)

// req answers through the handler, one case per reference line.
func TestReqAnswerForms(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.put(t, "shoe", "/", nil) // 20×10 JPEG
	tests := []struct {
		name, path string
		status     int
		mime       string
		prefix     string   // the body starts so
		contains   []string // and holds these
	}{
		{"r-text-java-properties.md: #S7Z OK and the date line", "/is/image/acme/shoe?req=props&wid=10", 200,
			"text/plain; charset=utf-8", "#S7Z OK\n#", []string{"\nimage.width=10\n", "\nimage.quality=80\n", "\nimage.type=image/jpeg\n", "\nmetadata.version="}},
		{"r-imageprops.md: text form", "/is/image/acme/shoe?req=imageprops", 200,
			"text/plain; charset=utf-8", "#S7Z OK\n#", []string{"\nimage.anchor=10,5\n", "\nimage.translatedId=acme/shoe\n", "\nimage.expiration=10\n"}},
		{"r-exists.md: text form", "/is/image/acme/shoe?req=exists,text,UTF-8", 200,
			"text/plain; charset=utf-8", "#S7Z OK\n#", []string{"\ncatalogRecord.exists=1\n"}},
		{"r-json-properties.md: JSONP with the id echoed", "/is/image/acme/shoe?req=exists,json&id=42", 200,
			"text/javascript; charset=utf-8", `/*jsonp*/s7jsonResponse({"catalogRecord.exists":"1"},"42");`, nil},
		{"r-json-properties.md: handler= names the callback (live Scene7 takes _)", "/is/image/acme/ghost?req=exists,json&handler=my_cb&id=7", 200,
			"text/javascript; charset=utf-8", `/*jsonp*/my_cb({"catalogRecord.exists":"0"},"7");`, nil},
		{"r-javascript-properties.md", "/is/image/acme/shoe?req=imageprops,javascript", 200,
			"text/javascript; charset=utf-8", "image.anchor='10,5'\n", []string{"\nimage.width='20'\n"}},
		{"r-xml-properties.md", "/is/image/acme/shoe?req=props,xml&wid=10", 200,
			"text/xml; charset=utf-8", `<?xml version="1.0" encoding="UTF-8"?>` + "\n<prop-group>\n  <prop-group name=\"image\">\n",
			[]string{`<property name="width" value="10"/>`, `<prop-group name="metadata">`}},
		{"r-errors.md: errors of a ,json request come as JSON, 403", "/is/image/acme/shoe?req=props,json&wid=abc", 403,
			"application/json", `{"error":{"code":"invalid","message":`, nil},
		{"r-errors.md: an unknown id, JSON", "/is/image/acme/ghost?req=props,json", 403,
			"application/json", `{"error":{"code":"not_found","message":`, nil},
		{"r-errors.md: a bad modifier on an image, 403 text", "/is/image/acme/shoe?wid=-3", 403,
			"text/plain; charset=utf-8", "", nil},
		{"r-set.md: req=set answers xml or json only", "/is/image/acme/shoe?req=set,javascript", 403,
			"text/plain; charset=utf-8", "", []string{"xml or json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, body := e.get(t, tt.path)
			b := string(body)
			if r.StatusCode != tt.status || r.Header.Get("Content-Type") != tt.mime || !strings.HasPrefix(b, tt.prefix) {
				t.Fatalf("GET %s = %d %q\n%s\nwant %d %q starting %q", tt.path, r.StatusCode, r.Header.Get("Content-Type"), b, tt.status, tt.mime, tt.prefix)
			}
			for _, c := range tt.contains {
				if !strings.Contains(b, c) {
					t.Errorf("GET %s = %s, want it to hold %q", tt.path, b, c)
				}
			}
		})
	}
}

// r-props.md: image.length is the reply size once the server has cached
// it, 0 before.
func TestPropsLengthOfCachedReply(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.put(t, "shoe", "/", nil)
	_, before := e.get(t, "/is/image/acme/shoe?req=props&wid=12")
	if !strings.Contains(string(before), "\nimage.length=0\n") {
		t.Fatalf("props before a render = %s, want image.length=0", before)
	}
	_, img := e.get(t, "/is/image/acme/shoe?wid=12")
	_, after := e.get(t, "/is/image/acme/shoe?req=props&wid=12")
	if want := "\nimage.length=" + strconv.Itoa(len(img)) + "\n"; !strings.Contains(string(after), want) {
		t.Errorf("props after a render = %s, want %q", after, want)
	}
}
