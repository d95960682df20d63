package main_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vitrine/vitrine/internal/testenv"
)

// TestUnpublishLeavesNoCacheBehind (issue 15, items 1 and 2) runs `vitrine
// serve` with a real `vitrine edge` and a real varnishd (the shipped VCL)
// in front. Ids with a space, unicode and slash-like characters are cached
// in every URL form, in both, then unpublished: every form answers 403
// or exists=0 through both, the set no longer lists them, and the id that
// shares their first word stays cached. '+' and '%' never reach an id
// (vitrine.CleanAssetName strips them); their keys are covered by
// TestSurrogateKey.
func TestUnpublishLeavesNoCacheBehind(t *testing.T) {
	t.Parallel()
	const secret = "e2e-purge-secret-0123456789"
	edgeAddr, varnishAddr := freeAddr(t), freeAddr(t)
	s := startServer(t, "--edges", "http://"+edgeAddr, "--purge-secret", secret, "--varnish", "http://"+varnishAddr)
	startEdge(t, s.url, edgeAddr, secret)
	varnishURL := testenv.StartVarnish(t, "../../deploy/varnish/vitrine.vcl", s.url, varnishAddr)
	caches := map[string]string{"edge": "http://" + edgeAddr, "varnish": varnishURL}

	dir := t.TempDir()
	gone := []string{"summer sale", "été 2024", "a／b∕c"} // U+FF0F and U+2215: slash-like
	for i, id := range append(gone, "summer") {
		s.cli(t, s.token, "upload", writeJPEG(t, dir, id+".jpg", 40, 30, byte(i)))
	}
	s.cli(t, s.token, "sets", "create", "look", "--type", "image_set", "summer sale", "été 2024", "a／b∕c", "summer")

	forms := func(id string) []string {
		p := url.PathEscape(id)
		return []string{"/is/image/demo/" + p + "?wid=60", "/is/image/demo/" + p, "/is/image/demo/" + p + "?req=props",
			"/is/image/demo/" + p + "?req=imageprops", "/is/image/demo/" + p + "?req=exists", "/is/content/demo/" + p}
	}
	get := func(base, path string) (int, string, string) {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("X-Cache"), string(b)
	}
	const set = "/is/image/demo/look?req=set"
	// The same members listed with imageSet= (issue 14): the answer carries
	// every member's key, so an unpublish purges it too.
	imageSet := "/is/image/demo?imageSet=" + url.QueryEscape(strings.Join(append(gone, "summer"), ",")) + "&req=set"
	sets := []string{set, imageSet}
	for name, base := range caches {
		for _, id := range append(gone, "summer") {
			for _, p := range append(forms(id), sets...) {
				get(base, p)
				if st, xc, _ := get(base, p); st != 200 || xc != "HIT" {
					t.Fatalf("%s: GET %s twice = %d %s, want 200 HIT", name, p, st, xc)
				}
			}
		}
	}

	st, out := s.api(t, s.token, "POST", "/companies/demo/publication", map[string]any{"action": "unpublish", "assets": gone, "exact": true})
	if st != 200 || !strings.Contains(strings.ReplaceAll(toJSON(out), " ", ""), `"confirmed":true`) {
		t.Fatalf("unpublish = %d %v", st, out)
	}
	for name, base := range caches {
		for _, id := range gone {
			for _, p := range forms(id) {
				st, _, body := get(base, p)
				if strings.HasSuffix(p, "req=exists") {
					if st != 200 || !strings.Contains(body, "exists=0") {
						t.Errorf("%s: after unpublish %s = %d %q, want exists=0", name, p, st, body)
					}
				} else if st != 403 {
					t.Errorf("%s: after unpublish %s = %d, want 403", name, p, st)
				}
			}
		}
		for _, p := range sets {
			st, _, body := get(base, p)
			for _, id := range gone {
				if st != 200 || strings.Contains(body, id) || !strings.Contains(body, "demo/summer") {
					t.Errorf("%s: %s after unpublishing %q = %d %s", name, p, id, st, body)
				}
			}
		}
		if st, xc, _ := get(base, "/is/image/demo/summer?wid=60"); st != 200 || xc != "HIT" {
			t.Errorf("%s: summer = %d %s, want 200 HIT: its key must not collide", name, st, xc)
		}
	}
}
