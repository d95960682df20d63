package main_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowseAndPublishInBrowser drives Browse, the publish icons, the
// selection toolbar, folder properties and Manage Publication in chromium
// against the real binary, checking each change through delivery and the
// API, and runs axe on every page.
func TestBrowseAndPublishInBrowser(t *testing.T) {
	t.Parallel()
	ctx := browserFor(t, 8*time.Minute) // many pages, each checked by axe, on a shared machine
	c := &checker{t: t, ctx: ctx, axe: axeSource(t), dir: screenshotDir(t)}
	s := startServer(t)
	defer func() { t.Logf("screenshots of %v in %s", c.seen, c.dir) }()
	dir := t.TempDir()
	s.cli(t, s.token, "upload", "--folder", "/shoes", "--publish", "false",
		writeJPEG(t, dir, "blue.jpg", 320, 240, 1), writeJPEG(t, dir, "green.jpg", 320, 240, 2), writeJPEG(t, dir, "red.jpg", 320, 240, 3))
	if st, out := s.api(t, s.token, "POST", "/companies/demo/folders", map[string]any{"path": "/sel", "publish_mode": "selective"}); st != 201 {
		t.Fatalf("create /sel: %d %v", st, out)
	}
	s.cli(t, s.token, "upload", "--folder", "/sel", writeJPEG(t, dir, "sandal.jpg", 320, 240, 4))
	m := linkPattern.FindStringSubmatch(s.log.String())
	if m == nil {
		t.Fatalf("serve logged no set-password link:\n%s", s.log)
	}
	setPassword(ctx, t, m[1], "admin pass phrase 1")
	signIn(ctx, t, s.url, "admin", "admin pass phrase 1")
	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	published := func(name, dest string) bool {
		t.Helper()
		st, a := s.api(t, s.token, "GET", "/companies/demo/assets/"+name, nil)
		if st != 200 {
			t.Fatalf("GET asset %s: %d", name, st)
		}
		p, _ := a["published"].(map[string]any)
		return p[dest] != nil
	}

	// The publish icon: click, the delivery URL answers; click back, 403.
	shoes := s.url + "/c/demo/browse?folder=/shoes"
	blue := `li.asset[data-name="blue"] `
	run("grid", chromedp.Navigate(shoes), chromedp.WaitVisible(blue+"button.pub.off", chromedp.ByQuery))
	c.check("browse-grid-unpublished")
	var sameDoc bool // the script toggled in place; no reload
	run("publish blue", chromedp.Evaluate(`window.stayed = true`, nil), chromedp.Click(blue+"button.pub", chromedp.ByQuery),
		chromedp.WaitVisible(blue+"button.pub.on", chromedp.ByQuery), chromedp.Evaluate(`window.stayed === true`, &sameDoc))
	if !sameDoc {
		t.Errorf("the publish icon reloaded the page: the script did not toggle it")
	}
	if st := status(t, s, "/is/image/demo/blue?wid=100"); st != http.StatusOK {
		t.Errorf("after the icon published blue, delivery = %d, want 200", st)
	}
	run("unpublish blue", chromedp.Click(blue+"button.pub", chromedp.ByQuery), chromedp.WaitVisible(blue+"button.pub.off", chromedp.ByQuery))
	if st := status(t, s, "/is/image/demo/blue?wid=100"); st != http.StatusForbidden {
		t.Errorf("after the icon unpublished blue, delivery = %d, want 403", st)
	}

	// Selective Publish: both destinations, toggled apart; the thumbnail of
	// an asset on preview only loads through /preview with the session.
	sandal := `li.asset[data-name="sandal"] `
	run("selective grid", chromedp.Navigate(s.url+"/c/demo/browse?folder=/sel"), chromedp.WaitVisible(sandal+".pubs", chromedp.ByQuery))
	if got := text(ctx, t, sandal+".pubs"); !strings.Contains(got, "Preview") || !strings.Contains(got, "Delivery") {
		t.Errorf("selective icons = %q, want Preview and Delivery", got)
	}
	run("publish sandal to preview", chromedp.Click(sandal+"button.pub.preview", chromedp.ByQuery),
		chromedp.WaitVisible(sandal+"button.pub.on.preview", chromedp.ByQuery))
	if published("sandal", "delivery") || !published("sandal", "preview") {
		t.Errorf("the Preview icon did not publish sandal to preview only")
	}
	var loaded bool
	run("preview thumbnail", chromedp.Reload(), chromedp.WaitVisible(sandal+"img", chromedp.ByQuery),
		chromedp.Poll(`(() => { const i = document.querySelector('li.asset[data-name="sandal"] img'); return i.complete && i.naturalWidth > 0 && i.currentSrc.includes("/preview/is/image/") })()`,
			&loaded, chromedp.WithPollingTimeout(20*time.Second)))
	c.check("browse-selective")

	// Manage Publication: three assets, one deselected, applied; the API
	// says which went live.
	run("wizard", chromedp.Navigate(s.url+"/c/demo/publication?a=red&a=green&a=blue"), chromedp.WaitVisible("#assets", chromedp.ByID))
	c.check("publication")
	run("scope", chromedp.Click("main button[type=submit]", chromedp.ByQuery), chromedp.WaitVisible("#apply", chromedp.ByID))
	c.check("publication-scope")
	run("deselect green and apply", chromedp.Click(`input[value="green"]`, chromedp.ByQuery), chromedp.Click("#apply", chromedp.ByID),
		chromedp.WaitVisible(".info", chromedp.ByQuery))
	if got := text(ctx, t, ".info"); !strings.Contains(got, "2 assets published") {
		t.Errorf("after apply: %q", got)
	}
	for name, want := range map[string]bool{"red": true, "blue": true, "green": false} {
		if got := published(name, "delivery"); got != want {
			t.Errorf("after Manage Publication %s on delivery = %v, want %v", name, got, want)
		}
	}

	// Multi-select with shift, Delete, then Restore from the Trash.
	run("list", chromedp.Navigate(shoes+"&view=list"), chromedp.WaitVisible("table.list", chromedp.ByQuery))
	c.check("browse-list")
	run("select all three", chromedp.Click(`tr.asset[data-name="blue"] input.pick`, chromedp.ByQuery),
		shiftClick(`tr.asset[data-name="red"] input.pick`))
	if got := text(ctx, t, "#sel-count"); !strings.Contains(got, "3 selected") {
		t.Fatalf("after shift-click: %q, want 3 selected", got)
	}
	run("delete", chromedp.Click(`button[value="delete"]`, chromedp.ByQuery), chromedp.WaitVisible(".info", chromedp.ByQuery))
	if st, out := s.api(t, s.token, "GET", "/companies/demo/assets?trashed=true", nil); st != 200 || len(out["assets"].([]any)) != 3 {
		t.Fatalf("after Delete the Trash holds %v", out)
	}
	run("trash", chromedp.Navigate(s.url+"/c/demo/browse?trashed=true"), chromedp.WaitVisible(`li.asset[data-name="green"]`, chromedp.ByQuery))
	c.check("trash")
	run("restore", chromedp.Click(`li.asset[data-name="blue"] input.pick`, chromedp.ByQuery), shiftClick(`li.asset[data-name="red"] input.pick`),
		chromedp.Click(`button[value="restore"]`, chromedp.ByQuery), chromedp.WaitVisible(".info", chromedp.ByQuery))
	if st, out := s.api(t, s.token, "GET", "/companies/demo/assets?folder=/shoes", nil); st != 200 || len(out["assets"].([]any)) != 3 {
		t.Errorf("after Restore /shoes holds %v", out)
	}

	// Folder properties.
	run("folder", chromedp.Navigate(s.url+"/c/demo/folder?path=/sel"), chromedp.WaitVisible("#publish-effective", chromedp.ByID))
	if got := text(ctx, t, "#publish-effective"); got != "selective" {
		t.Errorf("effective publish mode of /sel = %q", got)
	}
	c.check("folder")

	// 360 px wide.
	run("narrow", chromedp.EmulateViewport(360, 740), chromedp.Navigate(shoes), chromedp.WaitVisible(".toolbar", chromedp.ByQuery))
	c.check("browse-360px")
	var overflow bool
	run("overflow", chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow))
	if overflow {
		t.Errorf("Browse scrolls sideways at 360 px")
	}
	run("narrow scope", chromedp.Navigate(s.url+"/c/demo/publication?a=red"), chromedp.WaitVisible("#assets", chromedp.ByID))
	c.check("publication-360px")
}

// shiftClick clicks the element with Shift held, as a person extending a
// selection does.
func shiftClick(sel string) chromedp.Action {
	return chromedp.Evaluate(fmt.Sprintf(`document.querySelector(%q).dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true, shiftKey: true}))`, sel), nil)
}
