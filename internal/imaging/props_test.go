package imaging

import (
	"encoding/json"
	"encoding/xml"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/vitrine/vitrine"
)

func TestImageProps(t *testing.T) {
	t.Parallel()
	info := Info{Source: Source{Width: 2000, Height: 1500, Orientation: 6}, Format: "jpeg", PixelType: "cmyk", ICC: true}
	got := ImageProps(info, "v3", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	want := []Prop{
		{"image.width", "1500"}, {"image.height", "2000"}, // upright
		{"image.format", "jpeg"}, {"image.pixTyp", "CMYK"}, {"image.mask", "0"}, {"image.embeddedIccProfile", "1"},
		{"image.version", "v3"}, {"image.timeStamp", "2026-01-02T03:04:05Z"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ImageProps (-want +got):\n%s", diff)
	}
	if got := ImageProps(Info{Source: Source{Width: 1, Height: 1}}, "", time.Time{}); len(got) != 6 {
		t.Errorf("ImageProps without version and time = %v, want 6 props", got)
	}
}

func TestReplyProps(t *testing.T) {
	t.Parallel()
	p := mustPlan(t, "wid=300&hei=300&fmt=png-alpha&qlt=90,1", Source{Width: 2000, Height: 1500}, Settings{})
	want := []Prop{
		{"image.width", "300"}, {"image.height", "300"}, {"image.type", "image/png"},
		{"image.quality", "90,1"}, {"image.mask", "1"}, {"image.length", "1234"}, {"image.version", "7"},
	}
	if diff := cmp.Diff(want, ReplyProps(p, &Output{Body: make([]byte, 1234)}, "7")); diff != "" {
		t.Errorf("ReplyProps (-want +got):\n%s", diff)
	}
	if got := ReplyProps(p, nil, ""); len(got) != 5 {
		t.Errorf("ReplyProps without output = %v, want 5 props", got)
	}
}

func TestFormatProps(t *testing.T) {
	t.Parallel()
	props := []Prop{{"image.width", "300"}, {"image.type", `a<b>&"c"`}, {"x", "line\nbreak"}}
	tests := []struct {
		format, mime, body string
	}{
		{"text", "text/plain; charset=utf-8", "image.width=300\nimage.type=a<b>&\"c\"\nx=line break\n"},
		{"", "text/plain; charset=utf-8", "image.width=300\nimage.type=a<b>&\"c\"\nx=line break\n"},
		{"json", "application/json", `{"image.width":"300","image.type":"a\u003cb\u003e\u0026\"c\"","x":"line\nbreak"}` + "\n"},
		{"xml", "application/xml; charset=utf-8", xml.Header + "<properties>\n" +
			`  <property name="image.width" value="300"/>` + "\n" +
			`  <property name="image.type" value="a&lt;b&gt;&amp;&#34;c&#34;"/>` + "\n" +
			`  <property name="x" value="line&#xA;break"/>` + "\n</properties>\n"},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			t.Parallel()
			body, mime, err := FormatProps(props, tt.format)
			if err != nil {
				t.Fatal(err)
			}
			if mime != tt.mime || string(body) != tt.body {
				t.Errorf("FormatProps(%s) = %q, %q; want %q, %q", tt.format, mime, body, tt.mime, tt.body)
			}
		})
	}
	// The JSON and XML forms parse back to the same values.
	body, _, _ := FormatProps(props, "json")
	var m map[string]string
	if err := json.Unmarshal(body, &m); err != nil || m["image.type"] != `a<b>&"c"` {
		t.Errorf("json round trip = %v, %v", m, err)
	}
	body, _, _ = FormatProps(props, "xml")
	var doc struct {
		Props []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value,attr"`
		} `xml:"property"`
	}
	if err := xml.Unmarshal(body, &doc); err != nil || len(doc.Props) != 3 || doc.Props[1].Value != `a<b>&"c"` {
		t.Errorf("xml round trip = %+v, %v", doc, err)
	}
	if _, _, err := FormatProps(props, "yaml"); vitrine.ErrorCode(err) != vitrine.EINVALID {
		t.Errorf("FormatProps(yaml) error %v, want %s", err, vitrine.EINVALID)
	}
	if body, _, _ := FormatProps(ExistsProps(true), "text"); string(body) != "catalogRecord.exists=1\n" {
		t.Errorf("ExistsProps text = %q", body)
	}
}
