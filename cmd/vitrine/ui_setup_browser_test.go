package main_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// TestSetupInBrowser drives Setup (admins) in chromium against the real
// binary with a real `vitrine edge` in front: a preset whose live preview
// follows the modifiers typed and changes when Image serving's JPEG
// quality does; the signing key and a one-time invitation link, shown
// once; the Invalidate CDN dialog listing the edge's confirmation; and a
// member, who has neither Setup nor the dialog, refused by the workspace
// and the API alike. axe runs on every page.
func TestSetupInBrowser(t *testing.T) {
	t.Parallel()
	ctx := browserFor(t, 6*time.Minute)
	c := &checker{t: t, ctx: ctx, axe: axeSource(t), dir: screenshotDir(t)}
	defer func() { t.Logf("screenshots of %v in %s", c.seen, c.dir) }()

	const secret = "setup-purge-secret-0123456789"
	edgeAddr := freeAddr(t)
	s := startServer(t, "--edges", "http://"+edgeAddr, "--purge-secret", secret)
	startEdge(t, s.url, edgeAddr, secret)

	dir := t.TempDir()
	s.cli(t, s.token, "upload", "--folder", "/shoes", writeJPEG(t, dir, "shoe.jpg", 640, 480, 9))
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
	setup := s.url + "/c/demo/setup"

	// Setup opens on Publish setup.
	run("setup", chromedp.Click("#nav-setup", chromedp.ByID), chromedp.WaitVisible("#instant_publish", chromedp.ByID))
	if u := location(ctx, t); !strings.HasSuffix(u, "/c/demo/setup/publish") {
		t.Errorf("Setup opened %s, want /c/demo/setup/publish", u)
	}
	c.check("setup-publish")

	// A new preset: the preview beside the modifiers follows the typing.
	// previewBytes waits for the preview of src containing want and
	// returns the size of its answer, as the page measured it.
	previewBytes := func(want string) (string, int) {
		t.Helper()
		var got struct {
			Src   string `json:"src"`
			Bytes int    `json:"bytes"`
		}
		run("preview of "+want, chromedp.Poll(fmt.Sprintf(`(() => {
			const i = document.getElementById("preset-preview");
			if (!i || i.hidden || !i.complete || i.naturalWidth === 0 || !i.dataset.bytes || !i.src.includes(%q)) return null;
			return {src: i.src, bytes: Number(i.dataset.bytes)};
		})()`, want), &got, chromedp.WithPollingTimeout(30*time.Second)))
		return got.Src, got.Bytes
	}
	run("presets", chromedp.Navigate(setup+"/presets"), chromedp.WaitVisible("#preset-modifiers", chromedp.ByID))
	if got := text(ctx, t, "#preview-url"); !strings.Contains(got, "/preview/is/image/demo/shoe") {
		t.Errorf("the preview names %q, want the sample shoe", got)
	}
	run("type a preset", chromedp.SendKeys("#preset-name", "thumb", chromedp.ByID),
		chromedp.SendKeys("#preset-modifiers", "wid=200&fmt=jpeg", chromedp.ByID))
	_, small := previewBytes("wid=200&fmt=jpeg")
	run("type more", chromedp.Evaluate(`document.getElementById("preset-modifiers").value = ""`, nil), chromedp.SendKeys("#preset-modifiers", "wid=480&fmt=jpeg", chromedp.ByID))
	src, before := previewBytes("wid=480&fmt=jpeg")
	if before <= small {
		t.Errorf("preview at wid=480 is %d bytes, at wid=200 %d: the preview did not follow the modifiers", before, small)
	}
	if !strings.Contains(text(ctx, t, "#preview-size"), "480 ×") {
		t.Errorf("preview size says %q, want 480 × …", text(ctx, t, "#preview-size"))
	}
	c.check("setup-presets-editing")
	run("save preset", chromedp.Click("#preset-save", chromedp.ByID), chromedp.WaitVisible(".info", chromedp.ByQuery))
	if st, out := s.api(t, s.token, "GET", "/companies/demo/settings", nil); st != 200 || fmt.Sprint(out["presets"]) != "map[thumb:wid=480&fmt=jpeg]" {
		t.Errorf("after saving, presets = %d %v", st, out["presets"])
	}
	if resp, _ := s.get(t, "/is/image/demo/shoe?$thumb$"); resp.StatusCode != 200 {
		t.Errorf("$thumb$ delivers %d", resp.StatusCode)
	}
	previewBytes("wid=480&fmt=jpeg")
	c.check("setup-presets")

	// Image serving: a lower JPEG quality changes the preset's preview.
	run("image serving", chromedp.Navigate(setup+"/image"), chromedp.WaitVisible("#jpeg_quality", chromedp.ByID),
		chromedp.SetValue("#jpeg_quality", "", chromedp.ByID), chromedp.SendKeys("#jpeg_quality", "20", chromedp.ByID),
		chromedp.Submit("#jpeg_quality", chromedp.ByID), chromedp.WaitVisible(".info", chromedp.ByQuery))
	if _, out := s.api(t, s.token, "GET", "/companies/demo/settings", nil); fmt.Sprint(out["jpeg_quality"]) != "20" {
		t.Errorf("jpeg_quality after saving = %v, want 20", out["jpeg_quality"])
	}
	c.check("setup-image")
	run("preset again", chromedp.Navigate(setup+"/presets?edit=thumb"), chromedp.WaitVisible("#preset-modifiers", chromedp.ByID))
	_, after := previewBytes("wid=480&fmt=jpeg")
	if after >= before {
		t.Errorf("preview of %s: %d bytes at quality 80, %d at quality 20; want fewer", src, before, after)
	}

	// Bad input: the page again, with the message and what was typed.
	run("bad quality", chromedp.Navigate(setup+"/image"), chromedp.WaitVisible("#jpeg_quality", chromedp.ByID),
		chromedp.SetValue("#jpeg_quality", "", chromedp.ByID), chromedp.SendKeys("#jpeg_quality", "200", chromedp.ByID),
		chromedp.Evaluate(`document.getElementById("jpeg_quality").removeAttribute("max")`, nil),
		chromedp.Submit("#jpeg_quality", chromedp.ByID), chromedp.WaitVisible(".error", chromedp.ByQuery))
	if got := text(ctx, t, ".error"); !strings.Contains(got, "jpeg_quality must be between 1 and 100") {
		t.Errorf("JPEG quality 200 says %q", got)
	}

	// Security: a new signing key, shown once, is live.
	run("security", chromedp.Navigate(setup+"/security"), chromedp.Click("#rotate-signing-key", chromedp.ByID),
		chromedp.WaitVisible("#new-signing-key", chromedp.ByID))
	var key string
	run("key", chromedp.Value("#new-signing-key", &key, chromedp.ByID))
	if _, out := s.api(t, s.token, "GET", "/companies/demo/settings", nil); len(key) < 16 || !strings.Contains(fmt.Sprint(out["url_signing_keys"]), key) {
		t.Errorf("new key %q; settings keys %v", key, out["url_signing_keys"])
	}
	c.check("setup-security-key")
	var shown bool
	run("security again", chromedp.Navigate(setup+"/security"), chromedp.WaitVisible("#rotate-signing-key", chromedp.ByID),
		chromedp.Evaluate(`document.body.innerText.includes(`+fmt.Sprintf("%q", key)+`)`, &shown))
	if shown {
		t.Error("the signing key is shown a second time")
	}

	// Users: an invitation's one-time link.
	run("invite", chromedp.Navigate(setup+"/users"), chromedp.SendKeys("#invite-name", "dana", chromedp.ByID),
		chromedp.SendKeys("#invite-email", "dana@example.com", chromedp.ByID), chromedp.Submit("#invite-name", chromedp.ByID),
		chromedp.WaitVisible("#one-time-link", chromedp.ByID))
	var danaLink string
	run("link", chromedp.Value("#one-time-link", &danaLink, chromedp.ByID))
	if !linkPattern.MatchString(danaLink) {
		t.Fatalf("invitation link %q", danaLink)
	}
	c.check("setup-users")
	run("narrow", chromedp.EmulateViewport(360, 740))
	c.check("setup-users-360px")
	run("wide", chromedp.EmulateViewport(1280, 900))

	// Invalidate CDN: the edge holds a URL; the dialog sends it and shows
	// the edge's confirmation; the edge then asks the origin again.
	const cached = "/is/image/demo/shoe?$thumb$"
	edgeGet := func() string {
		t.Helper()
		resp, err := http.Get("http://" + edgeAddr + cached)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		io.Copy(io.Discard, resp.Body)
		return resp.Header.Get("X-Cache")
	}
	edgeGet()
	if xc := edgeGet(); xc != "HIT" {
		t.Fatalf("edge: %s twice = %s, want HIT", cached, xc)
	}
	// Browse's toolbar opens the dialog with the picked assets.
	var picked string
	run("pick in Browse", chromedp.Navigate(s.url+"/c/demo/browse?folder=/shoes"), chromedp.WaitVisible(`input.pick[value="shoe"]`, chromedp.ByQuery),
		chromedp.Click(`input.pick[value="shoe"]`, chromedp.ByQuery), chromedp.Click("#sel-invalidate", chromedp.ByID),
		chromedp.WaitVisible("#invalidate-form", chromedp.ByID), chromedp.Value("#inv-assets", &picked, chromedp.ByID))
	if strings.TrimSpace(picked) != "shoe" {
		t.Errorf("the dialog from Browse has assets %q, want shoe", picked)
	}
	c.check("setup-cdn")
	run("invalidate", chromedp.SendKeys("#inv-urls", cached, chromedp.ByID), chromedp.Click("#invalidate-submit", chromedp.ByID),
		chromedp.WaitVisible("#live-edges li", chromedp.ByQuery))
	if got := text(ctx, t, "#live-edges"); !strings.Contains(got, edgeAddr) || !strings.Contains(got, "confirmed") {
		t.Errorf("the dialog lists %q, want %s confirmed", got, edgeAddr)
	}
	var status string
	run("done", chromedp.Poll(`(() => { const s = document.getElementById("live-status").textContent; return s.includes("edges confirmed") ? s : null })()`,
		&status, chromedp.WithPollingTimeout(20*time.Second)))
	if !strings.Contains(status, "1 of 1 edges confirmed") {
		t.Errorf("status %q, want 1 of 1 edges confirmed", status)
	}
	c.check("setup-cdn-invalidated")
	if xc := edgeGet(); xc == "HIT" {
		t.Errorf("edge still serves %s from its cache after the invalidation", cached)
	}
	// Without the script: the invalidation's own page.
	run("invalidation page", chromedp.Click("#live-page", chromedp.ByID), chromedp.WaitVisible(".edges", chromedp.ByQuery))
	if got := text(ctx, t, ".edges"); !strings.Contains(got, edgeAddr) {
		t.Errorf("invalidation page lists %q", got)
	}
	c.check("setup-invalidation")

	// A member: no Setup, no Invalidate CDN; the workspace and the API
	// refuse them.
	run("sign out", chromedp.Click("#user-menu summary", chromedp.ByQuery), chromedp.Click("#user-menu button", chromedp.ByQuery),
		chromedp.WaitVisible("#login", chromedp.ByID))
	setPassword(ctx, t, danaLink, "dana pass phrase")
	signIn(ctx, t, s.url, "dana", "dana pass phrase")
	var forms int
	run("member browse", chromedp.Navigate(s.url+"/c/demo/browse"), chromedp.WaitVisible(".sections", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("#invalidate-form, #nav-setup, #sel-invalidate").length`, &forms))
	if forms != 0 {
		t.Errorf("a member's Browse has %d Setup or Invalidate CDN elements", forms)
	}
	run("member cdn", chromedp.Navigate(setup+"/cdn"), chromedp.WaitVisible("main", chromedp.ByQuery))
	if got := text(ctx, t, "main"); !strings.Contains(got, "no such page") || strings.Contains(got, "Invalidate") {
		t.Errorf("member at Setup → CDN sees %q", got)
	}
	c.check("member-cdn-refused")
	var posted int
	run("member post", chromedp.Evaluate(`fetch("/c/demo/setup/cdn/invalidate", {method: "POST", headers: {Accept: "application/json"},
		body: new URLSearchParams({urls: "/is/image/demo/shoe"})}).then(r => r.status)`, &posted,
		func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	if posted != http.StatusNotFound {
		t.Errorf("a member's invalidation through the workspace = %d, want 404", posted)
	}
	st, out := s.api(t, s.token, "POST", "/companies/demo/users", map[string]any{"name": "erin", "role": "user"})
	if st != 201 {
		t.Fatalf("create erin: %d %v", st, out)
	}
	tok, _ := out["token"].(string)
	if st, out := s.api(t, tok, "POST", "/companies/demo/invalidations", map[string]any{"urls": []string{cached}}); st != http.StatusForbidden {
		t.Errorf("a member's POST /invalidations = %d %v, want 403", st, out)
	}
}
