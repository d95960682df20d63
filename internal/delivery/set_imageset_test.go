package delivery_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// /is/image/{company}?imageSet=…&req=set (r-imageset.md, r-media-set-requests.md):
// a set of the listed ids, unpublished ones left out as a set leaves them
// out, every listed id's purge key on the answer.
func TestImageSetRequest(t *testing.T) {
	t.Parallel()
	e := setEnv(t) // a, b, c, sw published; d not
	tests := []struct {
		name, query string
		status      int
		body        string
		keys        []string
	}{
		{"r-imageset.md example, XML (req=set's default)", "imageSet={a,acme/b}&req=set", 200,
			xmlHead + `<set pv="1.0" type="img_set">` + ximg("a") + ximg("b") + "</set>\n", []string{"acme/a", "acme/b"}},
		{"unpublished d and unknown ghost are left out, their keys kept", "imageSet=a,d,ghost&req=set,json,UTF-8&id=7", 200,
			`/*jsonp*/s7jsonResponse({"set":{"pv":"1.0","type":"img_set","item":` + jimg("a") + `}},"7");` + "\n",
			[]string{"acme/a", "acme/d", "acme/ghost"}},
		{"r-imageset-cat.md: swatch image and colour swatch", "imageSet=" + url.QueryEscape("a;sw,b;{0x00FF00 Green}") + "&req=set", 200,
			xmlHead + `<set pv="1.0" type="img_set">` +
				`<item><i n="acme/a"/><s n="acme/sw"/><dx>20</dx><dy>10</dy><iv>1</iv></item>` +
				`<item><i n="acme/b"/><s c="0x00ff00" l="Green"/><dx>20</dx><dy>10</dy><iv>1</iv></item></set>` + "\n",
			[]string{"acme/a", "acme/sw", "acme/b"}},
		{"the same with ';' as sites send it, unescaped", "imageSet=a;sw,b;{0x00FF00%20Green}&req=set", 200,
			xmlHead + `<set pv="1.0" type="img_set">` +
				`<item><i n="acme/a"/><s n="acme/sw"/><dx>20</dx><dy>10</dy><iv>1</iv></item>` +
				`<item><i n="acme/b"/><s c="0x00ff00" l="Green"/><dx>20</dx><dy>10</dy><iv>1</iv></item></set>` + "\n",
			[]string{"acme/a", "acme/sw", "acme/b"}},
		{"without req=set: 403 (r-errors.md)", "imageSet=a", 403, "", nil},
		{"r-imageset.md: with an id in the path, imageSet= overrides its set", "../acme/views?imageSet=b&req=set", 200,
			xmlHead + `<set pv="1.0" type="img_set">` + ximg("b") + "</set>\n", []string{"acme/b", "acme/views"}},
		{"without imageSet=: 403", "req=set", 403, "", nil},
		{"a nested set: 403", "imageSet=" + url.QueryEscape("{a,{b}}") + "&req=set", 403, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := "/is/image/acme?" + tt.query
			if strings.HasPrefix(tt.query, "../") {
				path = "/is/image/" + strings.TrimPrefix(tt.query, "../")
			}
			r, body := e.get(t, path)
			if r.StatusCode != tt.status {
				t.Fatalf("GET ?%s = %d %s, want %d", tt.query, r.StatusCode, body, tt.status)
			}
			if tt.status != 200 {
				return
			}
			if diff := cmp.Diff(tt.body, string(body)); diff != "" {
				t.Errorf("GET ?%s (-want +got):\n%s", tt.query, diff)
			}
			got := strings.Fields(strings.Join(r.Header.Values("Xkey"), " "))
			var want []string
			for _, k := range tt.keys {
				id := strings.TrimPrefix(k, "acme/")
				want = append(want, vitrine.SurrogateKey("acme", id))
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("GET ?%s Xkey (-want +got):\n%s", tt.query, diff)
			}
		})
	}
	// The trailing-slash and double-slash forms reach the same handler.
	if r, _ := e.get(t, "/is/image//acme/?imageSet=a&req=set"); r.StatusCode != 200 {
		t.Errorf("/is/image//acme/?imageSet= = %d, want 200", r.StatusCode)
	}
}

// labelkey= (r-media-set-requests.md, LabelKey: the value "is then
// returned in the l attribute for the s and i"; the title as the value is
// inferred): a colour swatch keeps its own label.
func TestSetLabelKey(t *testing.T) {
	t.Parallel()
	e := setEnv(t)
	ctx := context.Background()
	for n, title := range map[string]string{"a": "Front view", "b": `Side "B"`} {
		if _, err := e.db.UpdateMetadata(ctx, e.p, n, sqlstore.MetadataPatch{Title: &title}); err != nil {
			t.Fatal(err)
		}
	}
	e.set(t, vitrine.SetSpec{Name: "colors", Type: vitrine.TypeSwatchSet, Members: []vitrine.SetMember{
		{Name: "a", Swatch: &vitrine.Swatch{Color: "FF0000", Label: "Red"}}, {Name: "b", Swatch: &vitrine.Swatch{Image: "b"}}, {Name: "c", Swatch: &vitrine.Swatch{Image: "c"}},
	}})
	tests := []struct{ name, path, want string }{
		{"labelkey=label on a saved set; c has no title, a keeps its colour label", "/is/image/acme/colors?req=set&labelkey=label",
			xmlHead + `<set pv="1.0" type="img_set" n="acme/colors">` +
				`<item><i n="acme/a" l="Front view"/><s c="0xff0000" l="Red"/><dx>20</dx><dy>10</dy><iv>1</iv></item>` +
				`<item><i n="acme/b" l="Side &#34;B&#34;"/><s n="acme/b" l="Side &#34;B&#34;"/><dx>20</dx><dy>10</dy><iv>1</iv></item>` +
				ximg("c") + "</set>\n"},
		{"LABELKEY=title on a plain image", "/is/image/acme/a?req=set,json&LABELKEY=title&handler=",
			`{"set":{"pv":"1.0","type":"img","n":"acme/a","item":{"i":{"n":"acme/a","l":"Front view"},"s":{"n":"acme/a","l":"Front view"},"dx":"20","dy":"10","iv":"1"}}}` + "\n"},
		{"labelkey= on imageSet=", "/is/image/acme?imageSet=a&req=set&labelkey=label",
			xmlHead + `<set pv="1.0" type="img_set"><item><i n="acme/a" l="Front view"/><s n="acme/a" l="Front view"/><dx>20</dx><dy>10</dy><iv>1</iv></item></set>` + "\n"},
		{"a field Vitrine does not keep gives no labels", "/is/image/acme/a?req=set&labelkey=sku",
			xmlHead + `<set pv="1.0" type="img" n="acme/a">` + ximg("a") + "</set>\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, body := e.get(t, tt.path)
			if diff := cmp.Diff(tt.want, string(body)); r.StatusCode != 200 || diff != "" {
				t.Errorf("GET %s = %d (-want +got):\n%s", tt.path, r.StatusCode, diff)
			}
		})
	}
}
