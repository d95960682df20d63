package ui_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/testenv"
)

func TestFolderProperties(t *testing.T) {
	t.Parallel()
	testenv.EachEngine(t, func(t *testing.T, engine *testenv.Env) {
		ctx := context.Background()
		e := setup(t, engine)
		if _, err := e.db.CreateFolder(ctx, e.co.Company, "/shop/shoes"); err != nil {
			t.Fatal(err)
		}
		change := func(form url.Values) (int, string) {
			t.Helper()
			return e.post(t, "/c/acme/folder", form, nil)
		}
		_, body := e.get(t, "/c/acme/folder?path=/shop/shoes")
		if !strings.Contains(body, `id="publish-effective">immediately</strong>, from <span id="publish-from">the company&#39;s default`) {
			t.Errorf("folder page does not show the company default as effective")
		}
		if st, loc := change(url.Values{"op": {"modes"}, "path": {"/shop"}, "sync_mode": {"inherit"}, "publish_mode": {"selective"}}); st != 303 || !strings.Contains(loc, "done=modes") {
			t.Fatalf("set modes: %d %s", st, loc)
		}
		_, body = e.get(t, "/c/acme/folder?path=/shop/shoes")
		if !strings.Contains(body, `id="publish-effective">selective</strong>, from <span id="publish-from">folder /shop`) {
			t.Errorf("child does not show selective inherited from /shop")
		}
		if st, body := change(url.Values{"op": {"modes"}, "path": {"/shop"}, "sync_mode": {"sometimes"}, "publish_mode": {"inherit"}}); st != 400 || !strings.Contains(body, `role="alert"`) {
			t.Errorf("bad sync mode: %d, want 400 with the message", st)
		}
		if st, loc := change(url.Values{"op": {"create"}, "path": {"/shop"}, "name": {"hats"}}); st != 303 || !strings.Contains(loc, "path=%2Fshop%2Fhats") {
			t.Errorf("create: %d %s", st, loc)
		}
		if st, loc := change(url.Values{"op": {"move"}, "path": {"/shop/hats"}, "to": {"/caps"}}); st != 303 || !strings.Contains(loc, "path=%2Fcaps") {
			t.Errorf("move: %d %s", st, loc)
		}
		if _, err := e.db.Folder(ctx, e.co.Company, "/caps"); err != nil {
			t.Errorf("moved folder: %v", err)
		}
		e.upload(t, "/shop/shoes", false, "boot")
		if st, body := change(url.Values{"op": {"delete"}, "path": {"/shop/shoes"}}); st != 409 || !strings.Contains(body, "not empty") {
			t.Errorf("delete of a folder with assets: %d", st)
		}
		if st, loc := change(url.Values{"op": {"delete"}, "path": {"/caps"}}); st != 303 || loc != "/c/acme/browse?folder=%2F" {
			t.Errorf("delete: %d %s", st, loc)
		}
		if _, err := e.db.Folder(ctx, e.co.Company, "/caps"); vitrine.ErrorCode(err) != vitrine.ENOTFOUND {
			t.Errorf("deleted folder still there: %v", err)
		}
	})
}
