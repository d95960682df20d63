package ui_test

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/testenv"
)

var memberPattern = regexp.MustCompile(`<li class="member[^"]*" data-name="([^"]+)"`)

// members are the member rows of an editor page, in order.
func members(body string) []string {
	var out []string
	for _, m := range memberPattern.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestSetEditorWithoutScript drives the set editor as a browser without
// JavaScript does: every button is a post of the whole form.
func TestSetEditorWithoutScript(t *testing.T) {
	t.Parallel()
	testenv.EachEngine(t, func(t *testing.T, engine *testenv.Env) {
		ctx := context.Background()
		e := setup(t, engine)
		e.upload(t, "/spin", false, "s1", "s2", "s3", "s4")
		if st, body := e.get(t, "/c/acme/sets"); st != 200 || !strings.Contains(body, `href="/c/acme/sets/new?type=spin_set"`) || !strings.Contains(body, "No sets yet") {
			t.Fatalf("empty list: %d", st)
		}
		form := func(op string, names ...string) url.Values {
			return url.Values{"create": {"1"}, "type": {"spin_set"}, "name": {"turn"}, "folder": {"/spin"}, "publish": {"on"}, "op": {op}, "m": names}
		}
		// Pick members from the picker, then move and remove.
		f := form("add", "s1")
		f["pick"] = []string{"s2", "s3", "s4"}
		st, body := e.post(t, "/c/acme/sets/new", f, nil)
		if got := members(body); st != 200 || !slices.Equal(got, []string{"s1", "s2", "s3", "s4"}) {
			t.Fatalf("add: %d %v", st, got)
		}
		if !strings.Contains(body, `id="publish" checked`) {
			t.Errorf("Publish after save lost its tick across a post")
		}
		if _, body = e.post(t, "/c/acme/sets/new", form("up-3", "s1", "s2", "s3", "s4"), nil); !slices.Equal(members(body), []string{"s1", "s2", "s4", "s3"}) {
			t.Errorf("up-3: %v", members(body))
		}
		if _, body = e.post(t, "/c/acme/sets/new", form("down-0", "s1", "s2", "s4", "s3"), nil); !slices.Equal(members(body), []string{"s2", "s1", "s4", "s3"}) {
			t.Errorf("down-0: %v", members(body))
		}
		if _, body = e.post(t, "/c/acme/sets/new", form("remove-1", "s2", "s1", "s4", "s3"), nil); !slices.Equal(members(body), []string{"s2", "s4", "s3"}) {
			t.Errorf("remove-1: %v", members(body))
		}

		// The use case's refusals show on the editor, the draft kept.
		bad := form("save", "s2", "s4", "s3")
		bad.Set("rows", "2")
		bad.Set("columns", "2")
		st, body = e.post(t, "/c/acme/sets/new", bad, nil)
		if st != 400 || !strings.Contains(body, "a 2 × 2 spin set needs 4 images; it has 3") || !slices.Equal(members(body), []string{"s2", "s4", "s3"}) {
			t.Errorf("wrong spin size: %d %v", st, members(body))
		}
		st, body = e.post(t, "/c/acme/sets/new", form("save", "s2", "ghost"), nil)
		if st != 400 || !strings.Contains(body, "ghost: asset not found") || !strings.Contains(body, `class="member bad" data-name="ghost"`) {
			t.Errorf("missing member: %d", st)
		}

		// Save: publish after save publishes the set and its members (PUB-5).
		ok := form("save", "s2", "s4", "s3", "s1")
		ok.Set("rows", "2")
		ok.Set("columns", "2")
		st, loc := e.post(t, "/c/acme/sets/new", ok, nil)
		if st != 303 || !strings.HasPrefix(loc, "/c/acme/sets/turn?done=published") {
			t.Fatalf("save: %d %s", st, loc)
		}
		set, err := e.db.Set(ctx, e.co.ID, "turn")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range set.Members {
			got = append(got, m.Name)
		}
		if !slices.Equal(got, []string{"s2", "s4", "s3", "s1"}) || set.Rows != 2 || set.Columns != 2 {
			t.Errorf("saved %v %d×%d", got, set.Rows, set.Columns)
		}
		for _, n := range []string{"turn", "s1", "s2", "s3", "s4"} {
			if e.asset(t, n).Published.Delivery == nil {
				t.Errorf("%s not published after save", n)
			}
		}
		st, body = e.get(t, loc)
		if st != 200 || !slices.Equal(members(body), got) || !strings.Contains(body, "Saved and published") || !strings.Contains(body, "row 2, column 1") {
			t.Errorf("editor after save: %d %v", st, members(body))
		}
		if !strings.Contains(body, `data-src="/preview/is/image/acme/turn?req=set,json&amp;handler="`) {
			t.Errorf("editor has no viewer preview of the req=set answer")
		}
		st, body = e.get(t, "/c/acme/sets")
		if st != 200 || !regexp.MustCompile(`(?s)data-name="turn">.*?Spin set.*?>4<.*?published`).MatchString(body) {
			t.Errorf("list does not show turn, a spin set of 4, published: %d", st)
		}

		// Edit with Publish after save off: a new member keeps its own
		// state, the set stays published (PUB-5).
		e.upload(t, "/spin", false, "s5")
		edit := url.Values{"op": {"save"}, "m": {"s5", "s2", "s4", "s3", "s1"}}
		if st, loc := e.post(t, "/c/acme/sets/turn", edit, nil); st != 303 || !strings.Contains(loc, "done=saved") {
			t.Fatalf("edit: %d %s", st, loc)
		}
		if e.asset(t, "s5").Published.Delivery != nil || e.asset(t, "turn").Published.Delivery == nil {
			t.Errorf("publish after save off changed publish state")
		}

		// Add to set… from Browse's toolbar: the list, then the chosen
		// set's editor with the assets added, unsaved.
		e.upload(t, "/spin", false, "s6")
		st, loc = e.post(t, "/c/acme/selection", url.Values{"op": {"set"}, "a": {"s6"}, "back": {"/c/acme/browse?folder=/spin"}}, nil)
		if st != 303 || loc != "/c/acme/sets?a=s6" {
			t.Fatalf("Add to set…: %d %s", st, loc)
		}
		_, body = e.get(t, loc)
		if !strings.Contains(body, `href="/c/acme/sets/turn?a=s6"`) || !strings.Contains(body, `href="/c/acme/sets/new?type=spin_set&amp;a=s6"`) {
			t.Errorf("the list does not carry the assets to the editors")
		}
		_, body = e.get(t, "/c/acme/sets/turn?a=s6")
		if got := members(body); !slices.Equal(got, []string{"s5", "s2", "s4", "s3", "s1", "s6"}) || !strings.Contains(body, "Save to keep them") {
			t.Errorf("editor with an asset from Browse: %v", got)
		}
		if set, _ := e.db.Set(ctx, e.co.ID, "turn"); len(set.Members) != 5 {
			t.Errorf("opening the editor saved the added asset")
		}

		// A member's Detail page links to the set's editor.
		if st, body := e.get(t, "/c/acme/assets/s1"); st != 200 || !strings.Contains(body, `<a href="/c/acme/sets/turn">turn</a>`) {
			t.Errorf("detail of s1 = %d: no link to the set's editor /c/acme/sets/turn", st)
		}
		// Another company's set is not found; eCatalogs are the API's.
		if st, _ := e.get(t, "/c/acme/sets/nope"); st != 404 {
			t.Errorf("unknown set: %d", st)
		}
		if st, body := e.get(t, "/c/acme/sets/new?type=image_set"); st != 200 || !strings.Contains(body, "New image set") || strings.Contains(body, `name="rows"`) || strings.Contains(body, `name="sk"`) {
			t.Errorf("new image set: %d", st)
		}
		if st, _ := e.get(t, "/c/acme/sets/new?type=ecatalog"); st != 404 {
			t.Errorf("new eCatalog: %d, want 404", st)
		}
		if _, err := e.svc.SaveSet(ctx, e.co.User, vitrine.SetSpec{Name: "pages", Type: vitrine.TypeECatalog, Members: []vitrine.SetMember{{Name: "s1"}}}, true); err != nil {
			t.Fatal(err)
		}
		if st, loc := e.get(t, "/c/acme/sets/pages"); st != 303 && st != 200 {
			t.Errorf("eCatalog editor: %d %s", st, loc)
		}
		// A post to it (stale or hand-made) is refused: a save from the
		// editor would drop the pages' text.
		for _, op := range []string{"save", "add", "up"} {
			if st, _ := e.post(t, "/c/acme/sets/pages", url.Values{"op": {op}, "m": {"s1"}, "publish": {"1"}}, nil); st != 404 {
				t.Errorf("post op=%s to an eCatalog = %d, want 404", op, st)
			}
		}
		if got, err := e.db.Set(ctx, e.co.User.Company.ID, "pages"); err != nil || len(got.Members) != 1 {
			t.Errorf("the eCatalog after the posts = %+v, %v", got, err)
		}
	})
}

// TestSwatchSetEditor saves a hierarchical swatch set: colour, crop and
// image swatches, and a swatch set as a member.
func TestSwatchSetEditor(t *testing.T) {
	t.Parallel()
	testenv.EachEngine(t, func(t *testing.T, engine *testenv.Env) {
		ctx := context.Background()
		e := setup(t, engine)
		e.upload(t, "/sw", true, "red", "blue", "chip")
		sub := url.Values{"create": {"1"}, "type": {"swatch_set"}, "name": {"sub"}, "folder": {"/sw"}, "op": {"add"}, "pick": {"red"}}
		_, body := e.post(t, "/c/acme/sets/new", sub, nil)
		if !strings.Contains(body, `<option value="image" selected>`) || !strings.Contains(body, `name="si" value="red"`) {
			t.Errorf("a picked image does not start as its own swatch image")
		}
		sub.Set("op", "save")
		sub["m"], sub["sk"], sub["sc"], sub["sl"], sub["sr"], sub["si"] = []string{"red"}, []string{"color"}, []string{"#FF0000"}, []string{"Red"}, []string{""}, []string{""}
		if st, loc := e.post(t, "/c/acme/sets/new", sub, nil); st != 303 {
			t.Fatalf("save sub: %d %s", st, loc)
		}
		top := url.Values{"create": {"1"}, "type": {"swatch_set"}, "name": {"top"}, "folder": {"/sw"}, "op": {"save"}, "publish": {"on"},
			"m": {"blue", "sub", "red"}, "sk": {"crop", "color", "image"}, "sc": {"#cccccc", "#00ff00", "#cccccc"}, "sl": {"", "", ""},
			"sr": {"0,0,10,10", "", ""}, "si": {"", "", "chip"}}
		if st, loc := e.post(t, "/c/acme/sets/new", top, nil); st != 303 {
			t.Fatalf("save top: %d %s", st, loc)
		}
		set, err := e.db.Set(ctx, e.co.ID, "top")
		if err != nil {
			t.Fatal(err)
		}
		want := []vitrine.Swatch{{Crop: "0,0,10,10"}, {Color: "00ff00"}, {Image: "chip"}}
		for i, m := range set.Members {
			if m.Swatch == nil || *m.Swatch != want[i] {
				t.Errorf("member %d swatch = %+v, want %+v", i, m.Swatch, want[i])
			}
		}
		_, body = e.get(t, "/c/acme/sets/top")
		if !strings.Contains(body, `name="sc" value="#00ff00"`) || !strings.Contains(body, `name="sr" class="crop" value="0,0,10,10"`) {
			t.Errorf("editor does not show the saved swatches")
		}
		// A mixed media set: swatches optional, sets as members.
		mixed := url.Values{"create": {"1"}, "type": {"mixed_media_set"}, "name": {"look"}, "folder": {"/sw"}, "op": {"save"}, "publish": {"on"},
			"m": {"top", "blue"}, "sk": {"", "color"}, "sc": {"#cccccc", "#0000FF"}, "sl": {"", "Blue"}, "sr": {"", ""}, "si": {"", ""}}
		if st, loc := e.post(t, "/c/acme/sets/new", mixed, nil); st != 303 {
			t.Fatalf("save mixed: %d %s", st, loc)
		}
		if set, err := e.db.Set(ctx, e.co.ID, "look"); err != nil || len(set.Members) != 2 || set.Members[0].Swatch != nil || *set.Members[1].Swatch != (vitrine.Swatch{Color: "0000ff", Label: "Blue"}) {
			t.Errorf("mixed media set saved as %+v (%v)", set, err)
		}
		_, body = e.post(t, "/c/acme/sets/look", url.Values{"op": {"search"}, "pt": {"swatch_set"}, "m": {"top"}, "sk": {""}, "sc": {""}, "sl": {""}, "sr": {""}, "si": {""}}, nil)
		if !strings.Contains(body, `value="top" class="pick-box"`) || strings.Contains(body, `value="blue" class="pick-box"`) {
			t.Errorf("picker for swatch sets in a mixed media set does not list just the swatch sets")
		}
		if st, _ := e.post(t, "/c/acme/sets/look", url.Values{"op": {"add"}, "m": {"top"}}, nil); st != 400 {
			t.Errorf("member rows without their swatch fields: %d, want 400", st)
		}

		bad := url.Values{"op": {"save"}, "m": {"blue"}, "sk": {"crop"}, "sc": {""}, "sl": {""}, "sr": {"0,0,0,0"}, "si": {""}}
		if st, body := e.post(t, "/c/acme/sets/top", bad, nil); st != 400 || !strings.Contains(body, "has no area") {
			t.Errorf("crop without area: %d", st)
		}
	})
}
