package delivery_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// Expected req=set answers are written out by hand from these pieces: an
// image item as Scene7 shows it (i, s, dx, dy, iv), in XML and in JSON.
func ximg(name string) string {
	return fmt.Sprintf(`<item><i n="acme/%s"/><s n="acme/%s"/><dx>20</dx><dy>10</dy><iv>1</iv></item>`, name, name)
}

func jimg(name string) string {
	return fmt.Sprintf(`{"i":{"n":"acme/%s"},"s":{"n":"acme/%s"},"dx":"20","dy":"10","iv":"1"}`, name, name)
}

const xmlHead = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// setEnv publishes images a, b, c and sw, leaves d unpublished, and adds
// a video with a poster and two encodes.
func setEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	for _, n := range []string{"a", "b", "c", "sw"} {
		e.put(t, n, "/", nil)
	}
	e.put(t, "d", "/", func() *bool { b := false; return &b }())
	ctx := context.Background()
	for i, n := range []string{"clip", "clip-720", "clip-360"} {
		_, err := e.db.Ingest(ctx, e.p, []vitrine.NewFile{{Filename: n + ".mp4", Type: vitrine.TypeVideo, Format: "mp4", MIME: "video/mp4",
			Ext: "mp4", SHA256: fmt.Sprintf("%064x", i+1), Size: 100}}, vitrine.UploadOptions{})
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := e.db.Derive(ctx, e.p, "clip", vitrine.Derivation{Name: "clip-poster", Recipe: "poster"}, vitrine.NewFile{Filename: "clip-poster.jpg",
		Type: vitrine.TypeImage, Format: "jpeg", MIME: "image/jpeg", Ext: "jpg", Width: 64, Height: 48, SHA256: fmt.Sprintf("%064x", 9), Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) set(t *testing.T, spec vitrine.SetSpec) {
	t.Helper()
	if _, err := e.db.SaveSet(context.Background(), e.p, spec, true); err != nil {
		t.Fatalf("SaveSet(%s): %v", spec.Name, err)
	}
}

func members(names ...string) []vitrine.SetMember {
	var out []vitrine.SetMember
	for _, n := range names {
		out = append(out, vitrine.SetMember{Name: n})
	}
	return out
}

func TestReqSet(t *testing.T) {
	t.Parallel()
	e := setEnv(t)
	e.set(t, vitrine.SetSpec{Name: "views", Type: vitrine.TypeImageSet, Members: members("a", "b", "d"), PublishAfterSave: new(bool)})
	e.set(t, vitrine.SetSpec{Name: "colors", Type: vitrine.TypeSwatchSet, Members: []vitrine.SetMember{
		{Name: "a", Swatch: &vitrine.Swatch{Color: "FF0000", Label: "Red & Co"}},
		{Name: "b", Swatch: &vitrine.Swatch{Image: "sw"}},
		{Name: "c", Swatch: &vitrine.Swatch{Crop: "0,0,5,5"}},
	}})
	e.set(t, vitrine.SetSpec{Name: "spin", Type: vitrine.TypeSpinSet, Rows: 2, Columns: 2, Members: members("a", "b", "c", "a")})
	e.set(t, vitrine.SetSpec{Name: "turn", Type: vitrine.TypeSpinSet, Members: members("c", "b")})
	e.set(t, vitrine.SetSpec{Name: "cat", Type: vitrine.TypeECatalog, Members: []vitrine.SetMember{{Name: "a", Keywords: []string{"boots"}}, {Name: "b"}}})
	e.set(t, vitrine.SetSpec{Name: "clip-AVS", Type: vitrine.TypeVideoSet, Source: "clip", Members: members("clip-720", "clip-360")})
	// Publishing the mixed media set publishes views (and, through it, d).
	e.set(t, vitrine.SetSpec{Name: "mms", Type: vitrine.TypeMixedMediaSet, Members: members("views", "clip", "c")})
	if _, err := e.db.Publish(context.Background(), e.p, sqlPub(vitrine.ActionUnpublish, "d")); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		set       string
		xml, json string
	}{
		{"views",
			`<set pv="1.0" type="img_set" n="acme/views">` + ximg("a") + ximg("b") + `</set>`,
			`{"set":{"pv":"1.0","type":"img_set","n":"acme/views","item":[` + jimg("a") + `,` + jimg("b") + `]}}`},
		{"colors",
			`<set pv="1.0" type="img_set" n="acme/colors">` +
				`<item><i n="acme/a"/><s c="0xff0000" l="Red &amp; Co"/><dx>20</dx><dy>10</dy><iv>1</iv></item>` +
				`<item><i n="acme/b"/><s n="acme/sw"/><dx>20</dx><dy>10</dy><iv>1</iv></item>` +
				`<item><i n="acme/c"/><s n="acme/c" crop="0,0,5,5"/><dx>20</dx><dy>10</dy><iv>1</iv></item></set>`,
			`{"set":{"pv":"1.0","type":"img_set","n":"acme/colors","item":[` +
				`{"i":{"n":"acme/a"},"s":{"c":"0xff0000","l":"Red \u0026 Co"},"dx":"20","dy":"10","iv":"1"},` +
				`{"i":{"n":"acme/b"},"s":{"n":"acme/sw"},"dx":"20","dy":"10","iv":"1"},` +
				`{"i":{"n":"acme/c"},"s":{"n":"acme/c","crop":"0,0,5,5"},"dx":"20","dy":"10","iv":"1"}]}}`},
		{"spin",
			`<set pv="1.0" type="spin" n="acme/spin">` +
				`<item type="spin"><set pv="1.0" type="spin">` + ximg("a") + ximg("b") + `</set></item>` +
				`<item type="spin"><set pv="1.0" type="spin">` + ximg("c") + ximg("a") + `</set></item></set>`,
			`{"set":{"pv":"1.0","type":"spin","n":"acme/spin","item":[` +
				`{"type":"spin","set":{"pv":"1.0","type":"spin","item":[` + jimg("a") + `,` + jimg("b") + `]}},` +
				`{"type":"spin","set":{"pv":"1.0","type":"spin","item":[` + jimg("c") + `,` + jimg("a") + `]}}]}}`},
		{"turn",
			`<set pv="1.0" type="spin" n="acme/turn">` + ximg("c") + ximg("b") + `</set>`,
			`{"set":{"pv":"1.0","type":"spin","n":"acme/turn","item":[` + jimg("c") + `,` + jimg("b") + `]}}`},
		{"cat",
			`<set pv="1.0" type="ecat" n="acme/cat">` + ximg("a") + ximg("b") + `</set>`,
			`{"set":{"pv":"1.0","type":"ecat","n":"acme/cat","item":[` + jimg("a") + `,` + jimg("b") + `]}}`},
		{"clip-AVS",
			`<set pv="1.0" type="video_set" n="acme/clip-AVS"><item><v n="acme/clip-720"/><iv>1</iv></item><item><v n="acme/clip-360"/><iv>1</iv></item></set>`,
			`{"set":{"pv":"1.0","type":"video_set","n":"acme/clip-AVS","item":[{"v":{"n":"acme/clip-720"},"iv":"1"},{"v":{"n":"acme/clip-360"},"iv":"1"}]}}`},
		{"mms",
			`<set pv="1.0" type="media_set" n="acme/mms">` +
				`<item type="img_set"><set pv="1.0" type="img_set" n="acme/views">` + ximg("a") + ximg("b") + `</set><s n="acme/a"/></item>` +
				`<item type="video"><v n="acme/clip"/><s n="acme/clip-poster"/><iv>1</iv></item>` +
				ximg("c") + `</set>`,
			`{"set":{"pv":"1.0","type":"media_set","n":"acme/mms","item":[` +
				`{"type":"img_set","set":{"pv":"1.0","type":"img_set","n":"acme/views","item":[` + jimg("a") + `,` + jimg("b") + `]},"s":{"n":"acme/a"}},` +
				`{"type":"video","v":{"n":"acme/clip"},"s":{"n":"acme/clip-poster"},"iv":"1"},` +
				jimg("c") + `]}}`},
	}
	for _, tt := range tests {
		resp, body := e.get(t, "/is/image/acme/"+tt.set+"?req=set")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/xml; charset=utf-8" {
			t.Errorf("%s xml: %d %s %s", tt.set, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		if diff := cmp.Diff(xmlHead+tt.xml+"\n", string(body)); diff != "" {
			t.Errorf("%s req=set (-want +got):\n%s", tt.set, diff)
		}
		if _, xb := e.get(t, "/is/image/acme/"+tt.set+"?req=set,xml"); string(xb) != string(body) {
			t.Errorf("%s: req=set,xml differs from req=set", tt.set)
		}
		resp, body = e.get(t, "/is/image/acme/"+tt.set+"?req=set,json")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/javascript; charset=utf-8" {
			t.Errorf("%s json: %d %s", tt.set, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if diff := cmp.Diff(`/*jsonp*/s7jsonResponse(`+tt.json+`,"");`+"\n", string(body)); diff != "" {
			t.Errorf("%s req=set,json (-want +got):\n%s", tt.set, diff)
		}
	}
}

func TestReqSetHeaders(t *testing.T) {
	t.Parallel()
	e := setEnv(t)
	e.set(t, vitrine.SetSpec{Name: "one", Type: vitrine.TypeImageSet, Members: members("a")})
	e.set(t, vitrine.SetSpec{Name: "draft", Type: vitrine.TypeImageSet, Members: members("a"), PublishAfterSave: new(bool)})

	resp, body := e.get(t, "/is/image/acme/one?req=set,json&handler=cb1&id=r%2242")
	want := `/*jsonp*/cb1({"set":{"pv":"1.0","type":"img_set","n":"acme/one","item":` + jimg("a") + `}},"r\"42");` + "\n"
	if diff := cmp.Diff(want, string(body)); diff != "" {
		t.Errorf("handler and id (-want +got):\n%s", diff)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=360" {
		t.Errorf("Cache-Control = %q, want the non-image TTL", cc)
	}
	if r, _ := e.get(t, "/is/image/acme/one?req=set,json&handler=cb1&id=r%2242", "If-None-Match", resp.Header.Get("ETag")); r.StatusCode != 304 {
		t.Errorf("If-None-Match = %d, want 304", r.StatusCode)
	}
	resp, body = e.get(t, "/is/image/acme/one?req=set,json&HANDLER=")
	if resp.Header.Get("Content-Type") != "application/json" || strings.TrimSpace(string(body)) != `{"set":{"pv":"1.0","type":"img_set","n":"acme/one","item":`+jimg("a")+`}}` {
		t.Errorf("bare JSON: %s %s", resp.Header.Get("Content-Type"), body)
	}
	for path, status := range map[string]int{
		"/is/image/acme/one?req=set,json&handler=x()": 403, // r-errors.md: most errors 403
		"/is/image/acme/draft?req=set":                403,
		"/is/image/acme/one":                          403,
	} {
		if r, b := e.get(t, path); r.StatusCode != status || r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s = %d (%s), want %d, not cached", path, r.StatusCode, b, status)
		}
	}
	// req=set on a plain image: a set of type img with the image as its one
	// item (live Scene7; viewers and the AEM Core image component ask it).
	resp, body = e.get(t, "/is/image/acme/a?req=set,json,UTF-8&handler=s7_cb")
	want = `/*jsonp*/s7_cb({"set":{"pv":"1.0","type":"img","n":"acme/a","item":` + jimg("a") + `}},"");` + "\n"
	if diff := cmp.Diff(want, string(body)); diff != "" || resp.StatusCode != 200 || resp.Header.Get("Xkey") == "" {
		t.Errorf("req=set on an image = %d, Xkey %q (-want +got):\n%s", resp.StatusCode, resp.Header.Get("Xkey"), diff)
	}
	// Unpublishing the only member empties the answer; the set stays.
	if _, err := e.db.Publish(context.Background(), e.p, sqlPub(vitrine.ActionUnpublish, "a")); err != nil {
		t.Fatal(err)
	}
	if _, body := e.get(t, "/is/image/acme/one?req=set"); string(body) != xmlHead+`<set pv="1.0" type="img_set" n="acme/one"/>`+"\n" {
		t.Errorf("empty set: %s", body)
	}
}

func TestSearch(t *testing.T) {
	t.Parallel()
	e := setEnv(t)
	e.set(t, vitrine.SetSpec{Name: "cat", Type: vitrine.TypeECatalog, Members: []vitrine.SetMember{
		{Name: "a", Keywords: []string{"boots"}, Text: "Hiking boots"}, {Name: "b", Text: "Sandals"}}})
	if r, b := e.get(t, "/is/search/acme?q=boots"); r.StatusCode != 200 || string(b) != `{"query":"boots","results":[]}`+"\n" {
		t.Errorf("before a search publish: %d %s", r.StatusCode, b)
	}
	if err := e.db.PublishSearchData(context.Background(), e.p.Company.ID); err != nil {
		t.Fatal(err)
	}
	r, b := e.get(t, "/is/search/acme?q=Hiking+BOOTS")
	want := `{"query":"Hiking BOOTS","results":[{"catalog":"acme/cat","page":1,"image":"acme/a","keywords":["boots"],"text":"Hiking boots"}]}` + "\n"
	if r.StatusCode != 200 || string(b) != want || r.Header.Get("Cache-Control") != "public, max-age=360" {
		t.Errorf("search = %d %s", r.StatusCode, b)
	}
	for _, p := range []string{"/is/search/acme", "/is/search/nope?q=x"} {
		if r, _ := e.get(t, p); r.StatusCode < 400 {
			t.Errorf("GET %s = %d, want an error", p, r.StatusCode)
		}
	}
	for _, tc := range []struct {
		limit string
		want  int
	}{{"1", 200}, {"500", 200}, {"501", 400}, {"0", 400}, {"-1", 400}, {"x", 400}} {
		if r, b := e.get(t, "/is/search/acme?q=boots&limit="+tc.limit); r.StatusCode != tc.want {
			t.Errorf("search limit=%s = %d %s, want %d", tc.limit, r.StatusCode, b, tc.want)
		}
	}
}

func sqlPub(a vitrine.Action, names ...string) sqlstore.Publication {
	return sqlstore.Publication{Action: a, Assets: names}
}
