package main_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestScheduleInBrowser: the Jobs page's Publish, Scheduled and New upload
// job tabs in a real browser, checked against the REST API.
//  1. A weekly publish job built on the Publish page shows its next five
//     run times as the days are picked, the same the API's /jobs/preview
//     gives; once created, unchecking Active in the Scheduled tab pauses
//     it, as the API then reports; Edit shows it again, Delete asks first.
//  2. An invalid custom rule is explained as it is typed, before any submit.
//  3. The upload-job form makes a URL-list job and lands on its page.
func TestScheduleInBrowser(t *testing.T) {
	t.Parallel()
	// The URL-list job fetches from a server on loopback, which the
	// outbound guard refuses unless the operator allows it. The server
	// starts first: the browser's deadline is for browsing, not building.
	s := startServer(t, "--allow-private-fetch")
	ctx := browserFor(t, 4*time.Minute)
	c := &checker{t: t, ctx: ctx, axe: axeSource(t), dir: screenshotDir(t)}
	defer func() { t.Logf("screenshots of %v in %s", c.seen, c.dir) }()
	if st, out := s.api(t, s.token, "PATCH", "/companies/demo/settings", map[string]any{"time_zone": "Europe/Paris"}); st != http.StatusOK {
		t.Fatalf("set the time zone: %d %v", st, out)
	}
	signInAdmin(ctx, t, s)

	id := scheduleWeeklyInBrowser(ctx, t, c, s)
	pauseInBrowser(ctx, t, c, s, id)
	editAndDeleteInBrowser(ctx, t, c, s, id)
	invalidRuleInBrowser(ctx, t, c, s)
	uploadJobInBrowser(ctx, t, c, s)
}

// scheduleWeeklyInBrowser builds a weekly job (Mondays and Thursdays at
// 09:00) and returns the Scheduled entry's id.
func scheduleWeeklyInBrowser(ctx context.Context, t *testing.T, c *checker, s *server) float64 {
	t.Helper()
	err := chromedp.Run(ctx, chromedp.Navigate(s.url+"/c/demo/publish"), chromedp.WaitVisible("#job-form", chromedp.ByID))
	if err != nil {
		t.Fatal(err)
	}
	if got := text(ctx, t, "#when-fields"); !strings.Contains(got, "Europe/Paris") {
		t.Errorf("the schedule fields do not name the company's time zone: %q", got)
	}
	c.check("publish")
	// The builder: recurring, weekly (the default), Monday (the default)
	// and Thursday, at 09:00 (the default).
	err = chromedp.Run(ctx,
		chromedp.SendKeys("#name", "Catalog", chromedp.ByID),
		chromedp.Click("#when-recurring", chromedp.ByID), chromedp.WaitVisible("#kind-weekly", chromedp.ByID),
		chromedp.Click("#kind-weekly", chromedp.ByID), chromedp.WaitVisible("#day-THU", chromedp.ByID),
		chromedp.Click("#day-THU", chromedp.ByID))
	if err != nil {
		t.Fatal(err)
	}
	st, out := s.api(t, s.token, "POST", "/companies/demo/jobs/preview", map[string]any{"when": map[string]any{"weekly": "MON,THU 09:00"}})
	if st != http.StatusOK {
		t.Fatalf("API preview: %d %v", st, out)
	}
	want := nextRunsOf(t, out["schedule"])
	if len(want) != 5 {
		t.Fatalf("API preview gave %v, want five run times", want)
	}
	// The preview follows the form without a submit: wait until it shows
	// the API's five times.
	wantJSON, _ := json.Marshal(want)
	var same bool
	err = chromedp.Run(ctx, chromedp.Poll(`JSON.stringify([...document.querySelectorAll("#next-runs-list time")].map(e => e.getAttribute("datetime"))) === `+
		jsString(string(wantJSON)), &same, chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil || !same {
		t.Fatalf("the live preview never showed the API's run times %v: %v; it shows %q", want, err, text(ctx, t, "#next-runs-box"))
	}
	var shown int
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.querySelectorAll("#next-runs-list li").length`, &shown)); err != nil {
		t.Fatal(err)
	}
	if shown != 5 || !strings.Contains(location(ctx, t), "/c/demo/publish") {
		t.Errorf("preview shows %d times at %s; want five, on the Publish page still", shown, location(ctx, t))
	}
	c.check("publish-weekly-preview")

	err = chromedp.Run(ctx, chromedp.Click("#submit-job", chromedp.ByID), chromedp.WaitVisible(`#scheduled-notice[data-done="created"]`, chromedp.ByQuery))
	if err != nil {
		t.Fatalf("create the job: %v", err)
	}
	if got := text(ctx, t, "#scheduled-notice"); !strings.Contains(got, "scheduled") {
		t.Errorf("notice = %q, want the job scheduled", got)
	}
	c.check("scheduled")
	_, out = s.api(t, s.token, "GET", "/companies/demo/jobs?tab=scheduled", nil)
	list, _ := out["jobs"].([]any)
	if len(list) != 1 {
		t.Fatalf("scheduled entries = %v, want the one made", out)
	}
	j := list[0].(map[string]any)
	sched, _ := j["schedule"].(map[string]any)
	if j["name"] != "Catalog" || sched["rule"] != "0 0 9 ? * MON,THU" || sched["active"] != true || sched["time_zone"] != "Europe/Paris" {
		t.Errorf("the entry = %v, want Catalog, weekly MON,THU 09:00 in Europe/Paris, active", j)
	}
	return j["id"].(float64)
}

// pauseInBrowser unchecks the entry's Active switch and checks the API
// reports it paused.
func pauseInBrowser(ctx context.Context, t *testing.T, c *checker, s *server, id float64) {
	t.Helper()
	box := "#active-" + ftoa(id)
	var checked bool
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.querySelector("`+box+`").checked`, &checked)); err != nil || !checked {
		t.Fatalf("the Active switch of a new entry is not on (%v)", err)
	}
	// The switch saves as it changes: the tab comes back saying so.
	err := chromedp.Run(ctx, chromedp.Click(box, chromedp.ByQuery), chromedp.WaitVisible(`#scheduled-notice[data-done="paused"]`, chromedp.ByQuery))
	if err != nil {
		t.Fatalf("unchecking Active did not pause the entry: %v", err)
	}
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.querySelector("`+box+`").checked`, &checked)); err != nil || checked {
		t.Errorf("after pausing, the Active switch is still on (%v)", err)
	}
	c.check("scheduled-paused")
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(360, 740)); err != nil {
		t.Fatal(err)
	}
	c.check("scheduled-360px")
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
	st, j := s.api(t, s.token, "GET", "/companies/demo/jobs/"+ftoa(id), nil)
	sched, _ := j["schedule"].(map[string]any)
	if st != http.StatusOK || sched["active"] != false {
		t.Errorf("GET the entry over the API: %d %v; want active false", st, j)
	}
}

// editAndDeleteInBrowser opens the entry's Edit form (the Publish page,
// filled in, its next runs shown), then deletes the entry through the
// confirmation step.
func editAndDeleteInBrowser(ctx context.Context, t *testing.T, c *checker, s *server, id float64) {
	t.Helper()
	n := ftoa(id)
	var filled bool
	err := chromedp.Run(ctx, chromedp.Click("#edit-"+n, chromedp.ByID), chromedp.WaitVisible("#job-form", chromedp.ByID),
		chromedp.Poll(`document.getElementById("kind-weekly").checked && document.getElementById("day-MON").checked &&
			document.getElementById("day-THU").checked && !document.getElementById("day-WED").checked &&
			document.getElementById("name").value === "Catalog" && document.querySelectorAll("#next-runs-list time").length === 5`,
			&filled, chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil || !filled {
		t.Fatalf("the Edit form does not show the entry (weekly, Monday and Thursday, five next runs): %v", err)
	}
	c.check("scheduled-edit")
	err = chromedp.Run(ctx, chromedp.Navigate(s.url+"/c/demo/jobs/scheduled"), chromedp.WaitVisible("#delete-"+n, chromedp.ByID),
		chromedp.Click("#delete-"+n, chromedp.ByID), chromedp.WaitVisible("#confirm-delete", chromedp.ByID))
	if err != nil {
		t.Fatalf("delete asks first: %v", err)
	}
	if st, _ := s.api(t, s.token, "GET", "/companies/demo/jobs/"+n, nil); st != http.StatusOK {
		t.Fatalf("the confirmation step deleted the entry already: GET %d", st)
	}
	c.check("scheduled-delete")
	err = chromedp.Run(ctx, chromedp.Click("#confirm-delete", chromedp.ByID), chromedp.WaitVisible(`#scheduled-notice[data-done="deleted"]`, chromedp.ByQuery))
	if err != nil {
		t.Fatalf("delete: %v", err)
	}
	if st, _ := s.api(t, s.token, "GET", "/companies/demo/jobs/"+n, nil); st != http.StatusNotFound {
		t.Errorf("GET the deleted entry: %d, want 404", st)
	}
}

// invalidRuleInBrowser types a custom rule with a day that does not exist
// and waits for the message, without submitting.
func invalidRuleInBrowser(ctx context.Context, t *testing.T, c *checker, s *server) {
	t.Helper()
	err := chromedp.Run(ctx, chromedp.Navigate(s.url+"/c/demo/publish"), chromedp.WaitVisible("#job-form", chromedp.ByID),
		chromedp.Click("#when-recurring", chromedp.ByID), chromedp.WaitVisible("#kind-custom", chromedp.ByID),
		chromedp.Click("#kind-custom", chromedp.ByID), chromedp.WaitVisible("#rule", chromedp.ByID),
		chromedp.SendKeys("#rule", "0 15 10 ? * FUNDAY", chromedp.ByID),
		chromedp.WaitVisible("#schedule-error", chromedp.ByID))
	if err != nil {
		t.Fatalf("no message for an invalid rule: %v; preview shows %q", err, text(ctx, t, "#next-runs-box"))
	}
	if got := text(ctx, t, "#schedule-error"); !strings.Contains(got, "day-of-week") || !strings.Contains(got, "FUNDAY") {
		t.Errorf("message = %q, want it to name the day-of-week field and the bad value", got)
	}
	if !strings.HasSuffix(location(ctx, t), "/c/demo/publish") {
		t.Errorf("the page moved to %s: the preview must not submit", location(ctx, t))
	}
	c.check("publish-invalid-rule")
	// Typing on to a valid rule replaces the message with run times.
	var fixed bool
	err = chromedp.Run(ctx, chromedp.SendKeys("#rule", strings.Repeat(kb.Backspace, len("FUNDAY"))+"MON-FRI", chromedp.ByID),
		chromedp.Poll(`document.querySelectorAll("#next-runs-list time").length === 5 && !document.getElementById("schedule-error")`, &fixed,
			chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil || !fixed {
		t.Errorf("a valid rule did not replace the message with five run times: %v; preview shows %q", err, text(ctx, t, "#next-runs-box"))
	}
}

// uploadJobInBrowser makes a URL-list upload job from the form and follows
// it to its job page.
func uploadJobInBrowser(ctx context.Context, t *testing.T, c *checker, s *server) {
	t.Helper()
	dir := t.TempDir()
	writeJPEG(t, dir, "fromweb.jpg", 64, 48, 7)
	photo, err := os.ReadFile(filepath.Join(dir, "fromweb.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write(photo)
	}))
	defer web.Close()

	err = chromedp.Run(ctx, chromedp.Navigate(s.url+"/c/demo/upload-jobs"), chromedp.WaitVisible("#job-form", chromedp.ByID))
	if err != nil {
		t.Fatal(err)
	}
	c.check("upload-job")
	err = chromedp.Run(ctx, chromedp.SendKeys("#name", "From the web", chromedp.ByID),
		chromedp.SendKeys("#urls", web.URL+"/fromweb.jpg", chromedp.ByID),
		chromedp.Click("#submit-job", chromedp.ByID), chromedp.WaitVisible("#job-status", chromedp.ByID))
	if err != nil {
		t.Fatalf("submit the upload job: %v", err)
	}
	m := regexp.MustCompile(`/c/demo/jobs/(\d+)$`).FindStringSubmatch(location(ctx, t))
	if m == nil {
		t.Fatalf("after submit the browser is at %s, want the job's page", location(ctx, t))
	}
	c.check("upload-job-page")
	// The job is the engine's: it fetches the URL and ingests the file.
	var j map[string]any
	if !eventually(60*time.Second, 100*time.Millisecond, func() bool {
		_, j = s.api(t, s.token, "GET", "/companies/demo/jobs/"+m[1], nil)
		return j["status"] == "succeeded"
	}) {
		t.Fatalf("the upload job did not succeed: %v", j)
	}
	if j["type"] != "upload" || j["done"] != float64(1) || !strings.HasPrefix(j["name"].(string), "From the web_") {
		t.Errorf("the upload job = %v, want one file done, named From the web_…", j)
	}
	if st, _ := s.api(t, s.token, "GET", "/companies/demo/assets/fromweb", nil); st != http.StatusOK {
		t.Errorf("GET the uploaded asset: %d, want 200", st)
	}
}

// nextRunsOf is a schedule's next_runs, as the API wrote them.
func nextRunsOf(t *testing.T, sched any) []string {
	t.Helper()
	m, _ := sched.(map[string]any)
	runs, _ := m["next_runs"].([]any)
	var out []string
	for _, r := range runs {
		s, _ := r.(string)
		out = append(out, s)
	}
	return out
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// ftoa writes a JSON number id as the API's paths take it.
func ftoa(f float64) string { return strconv.FormatInt(int64(f), 10) }
