package ui_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/vitrine/vitrine/internal/testenv"
)

func TestManagePublication(t *testing.T) {
	t.Parallel()
	testenv.EachEngine(t, func(t *testing.T, engine *testenv.Env) {
		ctx := context.Background()
		e := setup(t, engine)
		e.upload(t, "/a", false, "one", "two", "three", "gone")
		if _, err := e.db.Trash(ctx, e.co.User, "gone"); err != nil {
			t.Fatal(err)
		}
		if st, body := e.get(t, "/c/acme/publication?a=one&a=two"); st != 200 || !strings.Contains(body, ">one\ntwo</textarea>") || !strings.Contains(body, "(UTC)") {
			t.Fatalf("wizard opened with a selection: %d, the assets or the zone are missing", st)
		}
		st, body := e.post(t, "/c/acme/publication/plan", url.Values{"action": {"publish"}, "when": {"now"},
			"assets": {"gone\n"}, "folders": {"/a"}}, nil)
		rows := regexp.MustCompile(`data-name="([^"]+)"`).FindAllStringSubmatch(body, -1)
		if st != 200 || len(rows) != 4 {
			t.Fatalf("scope: %d, %d rows, want 4", st, len(rows))
		}
		if !strings.Contains(body, `value="gone" id="scope-`) || !regexp.MustCompile(`value="gone" id="scope-\d+" disabled`).MatchString(body) {
			t.Errorf("the trashed asset is not listed as blocked")
		}
		if !strings.Contains(body, `<td class="target">preview and delivery</td>`) {
			t.Errorf("scope does not show the target")
		}
		if !strings.Contains(body, `<input type="hidden" name="back" value="/a">`) {
			t.Errorf("scope does not carry the folder it was opened on to Apply")
		}
		// "two" deselected: the form posts the others.
		st, loc := e.post(t, "/c/acme/publication/apply", url.Values{"action": {"publish"}, "a": {"one", "three"}}, nil)
		if st != 303 || loc != "/c/acme/browse?done=publish&n=2" {
			t.Fatalf("apply: %d %s", st, loc)
		}
		// With the folder it was opened on, Apply goes back to it.
		if st, loc := e.post(t, "/c/acme/publication/apply", url.Values{"action": {"publish"}, "a": {"one"}, "back": {"/a"}}, nil); st != 303 || loc != "/c/acme/browse?done=publish&folder=%2Fa&n=1" {
			t.Errorf("apply from /a: %d %s, want Browse of /a", st, loc)
		}
		for name, want := range map[string]bool{"one": true, "two": false, "three": true} {
			if got := e.asset(t, name).Published.Delivery != nil; got != want {
				t.Errorf("%s published = %v, want %v", name, got, want)
			}
		}
		// Refusals show in the service's words.
		if st, body := e.post(t, "/c/acme/publication/plan", url.Values{"action": {"publish"}, "when": {"later"}, "at": {"soon"}, "assets": {"one"}}, nil); st != 400 || !strings.Contains(body, "choose a date and time") {
			t.Errorf("bad time: %d", st)
		}
		if st, body := e.post(t, "/c/acme/publication/plan", url.Values{"action": {"publish"}, "assets": {"nosuch"}}, nil); st != 404 || !strings.Contains(body, "nosuch") {
			t.Errorf("unknown asset: %d", st)
		}
		if st, body := e.post(t, "/c/acme/publication/apply", url.Values{"action": {"publish"}, "at_rfc3339": {"2030-01-01T10:00:00Z"}, "a": {"two"}}, nil); st != 503 || !strings.Contains(body, "cannot schedule") {
			t.Errorf("scheduling without a job engine: %d", st)
		}
	})
}
