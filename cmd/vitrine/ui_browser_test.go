package main_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// The workspace in a real browser: Debian's chromium, headless, driven by
// chromedp against the real binary on loopback. axe-core (npm, pinned in
// internal/ui/testdata/package-lock.json; make test runs npm ci) checks
// every page. Screenshots go to the test's temp dir.

// browser starts a headless chromium, or skips (fails under
// VITRINE_TEST_STRICT=1) when there is none.
func browser(t *testing.T) context.Context {
	t.Helper()
	return browserFor(t, 3*time.Minute)
}

// browserFor is browser with a deadline for the whole test's browsing.
func browserFor(t *testing.T, limit time.Duration) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("VITRINE_TEST_STRICT") == "1" {
			t.Fatal("chromium is not installed (apt-get install chromium; make deps-test)")
		}
		t.Skip("chromium is not installed")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.WindowSize(1280, 900), chromedp.Flag("disable-dev-shm-usage", true))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, limit)
	t.Cleanup(cancel)
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// axeSource is axe.min.js, or a failure saying how to install it.
func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../internal/ui/testdata/node_modules/axe-core/axe.min.js")
	if err != nil {
		if os.Getenv("VITRINE_TEST_STRICT") == "1" {
			t.Fatalf("axe-core is not installed: npm ci --prefix internal/ui/testdata (%v)", err)
		}
		t.Skip("axe-core is not installed: npm ci --prefix internal/ui/testdata")
	}
	return string(b)
}

// page checks the current page: no serious or critical axe violation, and
// a screenshot named name in dir.
type checker struct {
	t    *testing.T
	ctx  context.Context
	axe  string
	dir  string
	seen []string
}

func (c *checker) check(name string) {
	c.t.Helper()
	var shot []byte
	var violations []string
	err := chromedp.Run(c.ctx,
		chromedp.WaitReady("body"),
		chromedp.Evaluate(c.axe, nil),
		chromedp.Evaluate(`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations
			.filter(v => v.impact === "serious" || v.impact === "critical")
			.map(v => v.id + " (" + v.impact + "): " + v.help + " at " + v.nodes.map(n => n.target.join(" ")).join(", ")))`,
			&violations, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
		chromedp.FullScreenshot(&shot, 100), // 100: PNG, as the file name says (below 100 chromium encodes JPEG)
	)
	if err != nil {
		c.t.Fatalf("%s: %v", name, err)
	}
	for _, v := range violations {
		c.t.Errorf("%s: axe: %s", name, v)
	}
	p := filepath.Join(c.dir, name+".png")
	if err := os.WriteFile(p, shot, 0o644); err != nil {
		c.t.Fatal(err)
	}
	c.seen = append(c.seen, name)
}

func text(ctx context.Context, t *testing.T, sel string) string {
	t.Helper()
	var s string
	if err := chromedp.Run(ctx, chromedp.Text(sel, &s, chromedp.ByQuery)); err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func location(ctx context.Context, t *testing.T) string {
	t.Helper()
	var u string
	if err := chromedp.Run(ctx, chromedp.Location(&u)); err != nil {
		t.Fatal(err)
	}
	return u
}

var linkPattern = regexp.MustCompile(`(https?://[^\s"]+/set-password\?token=[A-Za-z0-9_-]+)`)

func signIn(ctx context.Context, t *testing.T, base, login, password string) {
	t.Helper()
	err := chromedp.Run(ctx, chromedp.Navigate(base+"/signin"),
		chromedp.SendKeys("#login", login, chromedp.ByID), chromedp.SendKeys("#password", password, chromedp.ByID),
		chromedp.Click("main button[type=submit]", chromedp.ByQuery),
		chromedp.WaitVisible(".sections, .error", chromedp.ByQuery)) // signed in, or refused
	if err != nil {
		t.Fatalf("sign in as %s: %v", login, err)
	}
}

func setPassword(ctx context.Context, t *testing.T, link, password string) {
	t.Helper()
	err := chromedp.Run(ctx, chromedp.Navigate(link),
		chromedp.SendKeys("#password", password, chromedp.ByID), chromedp.SendKeys("#confirm", password, chromedp.ByID),
		chromedp.Click("main button[type=submit]", chromedp.ByQuery), chromedp.WaitVisible(".info", chromedp.ByQuery))
	if err != nil {
		t.Fatalf("set password at %s: %v", link, err)
	}
}

func TestWorkspaceInBrowser(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	c := &checker{t: t, ctx: ctx, axe: axeSource(t), dir: screenshotDir(t)}
	s := startServer(t)
	defer func() { t.Logf("screenshots of %v in %s", c.seen, c.dir) }()

	// An asset to browse: published, so its thumbnail loads through /is/image.
	dir := t.TempDir()
	s.cli(t, s.token, "upload", "--folder", "/products/shoes", writeJPEG(t, dir, "red-shoe.jpg", 640, 480, 7))

	// First sign-in: the one-time link serve logged.
	m := linkPattern.FindStringSubmatch(s.log.String())
	if m == nil {
		t.Fatalf("serve logged no set-password link:\n%s", s.log)
	}
	if err := chromedp.Run(ctx, chromedp.Navigate(m[1])); err != nil {
		t.Fatal(err)
	}
	c.check("set-password")
	setPassword(ctx, t, m[1], "admin pass phrase 1")
	c.check("signin")
	signIn(ctx, t, s.url, "admin", "admin pass phrase 1")
	if u := location(ctx, t); !strings.HasSuffix(u, "/c/demo/browse") {
		t.Fatalf("after sign-in at %s, want /c/demo/browse", u)
	}
	// The link is spent.
	if st := status(t, s, strings.TrimPrefix(m[1], s.url)); st != http.StatusNotFound {
		t.Errorf("set-password link used twice: %d, want 404", st)
	}

	// Browse: the folder tree, the thumbnail (loaded), the publish state.
	if err := chromedp.Run(ctx, chromedp.Navigate(s.url+"/c/demo/browse?folder=/products/shoes"), chromedp.WaitVisible(".asset img", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	var loaded bool
	if err := chromedp.Run(ctx, chromedp.Poll(`(() => { const i = document.querySelector(".asset img"); return i.complete && i.naturalWidth > 0 })()`, &loaded, chromedp.WithPollingTimeout(20*time.Second))); err != nil || !loaded {
		t.Errorf("the thumbnail did not load: %v", err)
	}
	if got := text(ctx, t, ".asset figcaption"); !strings.Contains(got, "red-shoe") {
		t.Errorf("grid caption = %q, want red-shoe", got)
	}
	var state string
	if err := chromedp.Run(ctx, chromedp.AttributeValue(".asset button.pub", "aria-label", &state, nil, chromedp.ByQuery)); err != nil || !strings.Contains(state, "published") {
		t.Errorf("publish icon says %q (%v), want published", state, err)
	}
	if got := text(ctx, t, ".tree"); !strings.Contains(got, "shoes") {
		t.Errorf("folder tree = %q, want shoes", got)
	}
	if got := text(ctx, t, ".sections"); !strings.Contains(got, "Setup") {
		t.Errorf("admin nav = %q, want Setup", got)
	}
	c.check("browse")
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(360, 740)); err != nil {
		t.Fatal(err)
	}
	c.check("browse-360px")
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}

	// Account: a personal token, shown once.
	err := chromedp.Run(ctx, chromedp.Navigate(s.url+"/account"), chromedp.SendKeys("#token-name", "laptop", chromedp.ByID),
		chromedp.Submit("#token-name", chromedp.ByID), chromedp.WaitVisible("#new-token", chromedp.ByID))
	if err != nil {
		t.Fatal(err)
	}
	var secret string
	if err := chromedp.Run(ctx, chromedp.Value("#new-token", &secret, chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.api(t, secret, "GET", "/me", nil); st != 200 {
		t.Errorf("the token made in the workspace: GET /me = %d", st)
	}
	c.check("account")

	// CSRF: a form on another site posting to the workspace is refused,
	// and makes no token.
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!doctype html><form method="post" action="%s/account/tokens"><input name="name" value="evil"><button id="go">go</button></form>`, s.url)
	}))
	defer evil.Close()
	evilURL := strings.Replace(evil.URL, "127.0.0.1", "localhost", 1) // another site
	var body string
	err = chromedp.Run(ctx, chromedp.Navigate(evilURL), chromedp.Click("#go", chromedp.ByID),
		chromedp.WaitVisible("main", chromedp.ByQuery), chromedp.Text("body", &body, chromedp.ByQuery))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "another site") {
		t.Errorf("cross-origin form post answered %q, want the refusal", body)
	}
	if _, out := s.api(t, s.token, "GET", "/me/tokens", nil); strings.Contains(fmt.Sprint(out), "evil") {
		t.Errorf("the cross-origin post made a token: %v", out)
	}

	// A member: no admin actions, and Setup is not found.
	out := s.cli(t, s.token, "users", "invite", "carol", "--email", "carol@example.com", "--role", "user")
	carolLink := linkPattern.FindString(out)
	if carolLink == "" {
		t.Fatalf("users invite printed no link: %q", out)
	}
	if err := chromedp.Run(ctx, chromedp.Navigate(s.url+"/c/demo/browse"), chromedp.Click("#user-menu summary", chromedp.ByQuery),
		chromedp.Click("#user-menu button", chromedp.ByQuery), chromedp.WaitVisible("#login", chromedp.ByID)); err != nil {
		t.Fatalf("sign out: %v", err)
	}
	if err := chromedp.Run(ctx, chromedp.Navigate(s.url+"/account"), chromedp.WaitVisible("#login", chromedp.ByID)); err != nil {
		t.Fatalf("after sign-out /account does not ask to sign in: %v", err)
	}
	setPassword(ctx, t, carolLink, "carol pass phrase")
	signIn(ctx, t, s.url, "CAROL@example.com", "carol pass phrase")
	if got := text(ctx, t, ".sections"); strings.Contains(got, "Setup") {
		t.Errorf("member nav = %q, shows Setup", got)
	}
	if err := chromedp.Run(ctx, chromedp.Navigate(s.url+"/c/demo/setup")); err != nil {
		t.Fatal(err)
	}
	if got := text(ctx, t, "main"); !strings.Contains(got, "no such page") {
		t.Errorf("member at /c/demo/setup sees %q", got)
	}
	c.check("member-setup-refused")

	// Wrong password refused, then throttled (even the right one).
	if err := chromedp.Run(ctx, chromedp.Navigate(s.url+"/c/demo/browse"), chromedp.Click("#user-menu summary", chromedp.ByQuery),
		chromedp.Click("#user-menu button", chromedp.ByQuery), chromedp.WaitVisible("#login", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		signIn(ctx, t, s.url, "carol", "wrong password")
		if got := text(ctx, t, ".error"); !strings.Contains(got, "wrong user name, email or password") {
			t.Fatalf("wrong password %d: %q", i, got)
		}
	}
	c.check("signin-refused")
	signIn(ctx, t, s.url, "carol", "carol pass phrase")
	if got := text(ctx, t, ".error"); !strings.Contains(got, "too many failed sign-ins") {
		t.Errorf("after 5 failures: %q, want throttled", got)
	}
}

// screenshotDir is where a browser test writes its screenshots: the
// test's temp dir (gone after the run), or VITRINE_SCREENSHOTS/<test> when
// that is set, so they can be kept as artifacts and looked at.
func screenshotDir(t *testing.T) string {
	t.Helper()
	base := os.Getenv("VITRINE_SCREENSHOTS")
	if base == "" {
		return t.TempDir()
	}
	dir := filepath.Join(base, t.Name())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
