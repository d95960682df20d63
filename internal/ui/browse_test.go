package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/testenv"
)

// names lists the asset names of a Browse page in order.
func names(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`class="asset" data-name="([^"]+)"`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestBrowseGridListSearch(t *testing.T) {
	t.Parallel()
	testenv.EachEngine(t, func(t *testing.T, engine *testenv.Env) {
		e := setup(t, engine)
		e.upload(t, "/shoes", true, "red", "green")
		e.upload(t, "/shoes", false, "blue")
		e.upload(t, "/shoes/kids", true, "tiny")

		st, body := e.get(t, "/c/acme/browse?folder=/shoes")
		if st != 200 || !slices.Equal(names(body), []string{"blue", "green", "red"}) {
			t.Fatalf("grid of /shoes: %d %v", st, names(body))
		}
		for _, want := range []string{
			`srcset="/is/image/acme/red?wid=200 1x, /is/image/acme/red?wid=400 2x"`, `loading="lazy"`,
			`href="/c/acme/assets/red"`, `aria-label="red: published. Unpublish"`, `aria-label="blue: unpublished. Publish"`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("grid lacks %s", want)
			}
		}
		if strings.Contains(body, "/is/image/acme/blue") {
			t.Errorf("grid loads unpublished blue from delivery")
		}
		// Unticking "Search subfolders too" must send something: the box,
		// then a hidden false read only when the box is not sent.
		if box, hidden := strings.Index(body, `name="recursive" value="true"`), strings.Index(body, `type="hidden" name="recursive" value="false"`); box < 0 || hidden < box {
			t.Errorf("the search form's recursive fields: box at %d, hidden false at %d; want the box first", box, hidden)
		}

		cases := []struct {
			query string
			want  []string
		}{
			{"folder=/shoes&view=list&sort=name&order=desc", []string{"red", "green", "blue"}},
			{"folder=/shoes&q=re", []string{"green", "red"}},
			{"folder=/shoes&published=false", []string{"blue"}},
			{"folder=/shoes&published=true", []string{"green", "red", "tiny"}},
			{"folder=/shoes&published=true&recursive=false&view=list", []string{"green", "red"}},
			// What the search form sends with its box unticked (the hidden
			// field) and ticked (the box first).
			{"folder=/shoes&published=true&recursive=false", []string{"green", "red"}},
			{"folder=/shoes&published=true&recursive=true&recursive=false", []string{"green", "red", "tiny"}},
			{"folder=/&modified_after=2000-01-01&type=image", []string{"blue", "green", "red", "tiny"}},
			{"folder=/&modified_before=2000-01-01", nil},
		}
		for _, tc := range cases {
			st, body := e.get(t, "/c/acme/browse?"+tc.query)
			if got := names(body); st != 200 || !slices.Equal(got, tc.want) {
				t.Errorf("browse?%s = %d %v, want %v", tc.query, st, got, tc.want)
			}
		}
		if st, body := e.get(t, "/c/acme/browse?folder=/shoes&view=list&sort=size"); st != 200 || !strings.Contains(body, `aria-sort="ascending"><a href="/c/acme/browse?folder=%2Fshoes&amp;order=desc&amp;sort=size&amp;view=list"`) {
			t.Errorf("list sorted by size: %d, the Size header does not offer descending", st)
		}
		if st, body := e.get(t, "/c/acme/browse?modified_after=yesterday"); st != 400 || !strings.Contains(body, "modified_after must be a date") {
			t.Errorf("bad date: %d, want 400 with the message", st)
		}
	})
}

func TestBrowsePaging(t *testing.T) {
	t.Parallel()
	e := setup(t, testenv.Open(t, testenv.SQLite))
	var all []string
	for i := range 130 {
		all = append(all, fmt.Sprintf("a%03d", i))
	}
	e.upload(t, "/many", true, all...)
	_, body := e.get(t, "/c/acme/browse?folder=/many")
	first := names(body)
	next := regexp.MustCompile(`class="next" href="([^"]+)"`).FindStringSubmatch(body)
	if len(first) != 100 || next == nil {
		t.Fatalf("first page: %d assets, next link %v", len(first), next)
	}
	_, body = e.get(t, strings.ReplaceAll(next[1], "&amp;", "&"))
	if got := append(first, names(body)...); !slices.Equal(got, all) || strings.Contains(body, `class="next"`) {
		t.Errorf("two pages = %d assets, want all 130 in order and no third page", len(got))
	}
}

func TestPublishToggle(t *testing.T) {
	t.Parallel()
	testenv.EachEngine(t, func(t *testing.T, engine *testenv.Env) {
		ctx := context.Background()
		e := setup(t, engine)
		e.upload(t, "/shoes", false, "blue")
		sel := vitrine.PublishSelective
		if _, err := e.db.CreateFolder(ctx, e.co.Company, "/sel"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.db.UpdateFolder(ctx, e.co.Company, "/sel", vitrine.FolderPatch{PublishMode: &sel}); err != nil {
			t.Fatal(err)
		}
		e.upload(t, "/sel", false, "sandal")
		back := "/c/acme/browse?folder=/shoes"

		// Without script: a form post, back to the page.
		st, loc := e.post(t, "/c/acme/publish-toggle", url.Values{"name": {"blue"}, "action": {"publish"}, "back": {back}}, nil)
		if a := e.asset(t, "blue"); st != http.StatusSeeOther || loc != back || a.Published.Delivery == nil || a.Published.Preview == nil {
			t.Fatalf("toggle blue on: %d %s, published %+v", st, loc, a.Published)
		}
		// With script: the icons come back to be swapped in.
		st, frag := e.post(t, "/c/acme/publish-toggle", url.Values{"name": {"blue"}, "action": {"unpublish"}, "back": {back}, "slot": {"4"}},
			map[string]string{"X-Fragment": "pubs"})
		if a := e.asset(t, "blue"); st != 200 || a.Published.Delivery != nil || !strings.Contains(frag, `id="pubs-4"`) ||
			!strings.Contains(frag, `value="publish"`) || strings.Contains(frag, "<html") {
			t.Fatalf("toggle blue off: %d, published %+v, fragment %s", st, a.Published, frag)
		}

		// Selective Publish: both destinations, each toggled on its own.
		_, body := e.get(t, "/c/acme/browse?folder=/sel")
		for _, want := range []string{`aria-label="sandal on Preview: unpublished. Publish"`, `aria-label="sandal on Delivery: unpublished. Publish"`,
			`value="publish_delivery"`} {
			if !strings.Contains(body, want) {
				t.Errorf("selective grid lacks %s", want)
			}
		}
		e.post(t, "/c/acme/publish-toggle", url.Values{"name": {"sandal"}, "action": {"publish_delivery"}, "back": {back}}, nil)
		if a := e.asset(t, "sandal"); a.Published.Delivery == nil || a.Published.Preview != nil {
			t.Errorf("publish_delivery under selective: %+v, want delivery only", a.Published)
		}
		e.post(t, "/c/acme/publish-toggle", url.Values{"name": {"sandal"}, "action": {"publish"}, "back": {back}}, nil)
		_, body = e.get(t, "/c/acme/browse?folder=/sel")
		if !strings.Contains(body, `aria-label="sandal on Preview: published. Unpublish"`) || !strings.Contains(body, `value="unpublish_delivery"`) {
			t.Errorf("selective grid after both: icons do not show both published")
		}

		// A refusal shows on the page, in the API's words.
		if _, err := e.db.Trash(ctx, e.co.User, "blue"); err != nil {
			t.Fatal(err)
		}
		st, body = e.post(t, "/c/acme/publish-toggle", url.Values{"name": {"blue"}, "action": {"publish"}, "back": {back}}, nil)
		if st != http.StatusConflict && st != http.StatusBadRequest || !strings.Contains(body, "Trash") || !strings.Contains(body, `role="alert"`) {
			t.Errorf("publishing a trashed asset: %d, want the refusal on the page", st)
		}
	})
}

func TestSelectionActions(t *testing.T) {
	t.Parallel()
	testenv.EachEngine(t, func(t *testing.T, engine *testenv.Env) {
		e := setup(t, engine)
		e.upload(t, "/a", false, "one", "two", "three")
		back := "/c/acme/browse?folder=/a"
		do := func(op string, names []string, extra url.Values) (int, string) {
			t.Helper()
			form := url.Values{"op": {op}, "a": names, "back": {back}}
			for k, v := range extra {
				form[k] = v
			}
			return e.post(t, "/c/acme/selection", form, nil)
		}
		if st, loc := do("publish", []string{"one", "two"}, nil); st != 303 || loc != "/c/acme/browse?done=publish&folder=%2Fa&n=2" {
			t.Fatalf("publish: %d %s", st, loc)
		}
		if e.asset(t, "one").Published.Delivery == nil || e.asset(t, "three").Published.Delivery != nil {
			t.Errorf("publish of one, two: wrong assets published")
		}
		if _, body := e.get(t, "/c/acme/browse?folder=/a&done=publish&n=2"); !strings.Contains(body, "2 assets published.") {
			t.Errorf("no confirmation after publish")
		}
		do("unpublish", []string{"one"}, nil)
		if e.asset(t, "one").Published.Delivery != nil {
			t.Errorf("unpublish left one published")
		}
		if st, _ := do("copy", []string{"three"}, url.Values{"to": {"/b"}}); st != 303 || e.asset(t, "three-1").Folder != "/b" {
			t.Errorf("copy: %d", st)
		}
		if st, _ := do("move", []string{"two"}, url.Values{"to": {"/b"}}); st != 303 || e.asset(t, "two").Folder != "/b" {
			t.Errorf("move: %d", st)
		}
		if st, body := do("move", []string{"one"}, nil); st != 400 || !strings.Contains(body, "name the folder") {
			t.Errorf("move without a folder: %d", st)
		}
		if st, body := do("delete", nil, nil); st != 400 || !strings.Contains(body, "Select at least one") {
			t.Errorf("delete of nothing: %d", st)
		}
		if st, _ := do("delete", []string{"one", "three"}, nil); st != 303 || !e.asset(t, "one").Trashed() || !e.asset(t, "three").Trashed() {
			t.Errorf("delete: %d", st)
		}
		_, body := e.get(t, "/c/acme/browse?trashed=true")
		if got := names(body); !slices.Equal(got, []string{"one", "three"}) || !strings.Contains(body, `value="restore"`) {
			t.Errorf("Trash = %v, want one, three and Restore", got)
		}
		if st, _ := do("restore", []string{"one", "three"}, nil); st != 303 || e.asset(t, "one").Trashed() {
			t.Errorf("restore: %d", st)
		}
		if st, loc := do("manage", []string{"one", "two"}, nil); st != 303 || loc != "/c/acme/publication?a=one&a=two" {
			t.Errorf("manage: %d %s", st, loc)
		}
		if _, loc := e.post(t, "/c/acme/selection", url.Values{"op": {"publish"}, "a": {"one"}, "back": {"https://evil.example/"}}, nil); loc != "/c/acme/browse?done=publish&n=1" {
			t.Errorf("back to another site: redirected to %s", loc)
		}
	})
}
