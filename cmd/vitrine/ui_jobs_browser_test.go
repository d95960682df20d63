package main_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// seedMarked records n images in company demo's folder /bulk straight in
// the server's SQLite database (no bytes: the catalog only needs the
// rows), marked for publishing, as tools/eventbench seeds: 5,000 in a few
// transactions instead of 5,000 uploads.
func seedMarked(t *testing.T, s *server, n int) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(s.data, "vitrine.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, err := db.UserByName(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.Principal(ctx, u, "demo")
	if err != nil {
		t.Fatal(err)
	}
	publish := true
	for first := 0; first < n; first += 500 {
		var files []vitrine.NewFile
		for i := first; i < min(n, first+500); i++ {
			files = append(files, vitrine.NewFile{Filename: fmt.Sprintf("bulk%05d.jpg", i), Type: vitrine.TypeImage, Format: "jpeg",
				MIME: "image/jpeg", Ext: "jpg", Width: 10, Height: 10, SHA256: fmt.Sprintf("%064x", i+1), Size: 100})
		}
		if _, err := db.Ingest(ctx, p, files, vitrine.UploadOptions{Folder: "/bulk", Publish: &publish}); err != nil {
			t.Fatal(err)
		}
	}
}

// progressOf reads job id's progress bar value on History.
func progressOf(ctx context.Context, t *testing.T, id int64) float64 {
	t.Helper()
	var v float64
	if err := chromedp.Run(ctx, chromedp.Evaluate(fmt.Sprintf(`document.querySelector('tr[data-job="%d"] progress').value`, id), &v)); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestJobsLiveInBrowser: a full publish job of 5,000 assets on History;
// its progress bar moves with the event stream, without a reload; Cancel
// shows "stopping", then "cancelled". The server publishes one asset per
// batch (--job-batch-size 1), so that the job is still running when
// Cancel is pressed on a fast machine.
func TestJobsLiveInBrowser(t *testing.T) {
	t.Parallel()
	ctx := browserFor(t, 5*time.Minute)
	c := &checker{t: t, ctx: ctx, axe: axeSource(t), dir: screenshotDir(t)}
	s := startServer(t, "--job-batch-size", "1")
	defer func() { t.Logf("screenshots of %v in %s", c.seen, c.dir) }()
	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	signInAdmin(ctx, t, s)
	// Instant publish off: the assets are marked, and the job puts them
	// in the catalog (JOB-3).
	if st, out := s.api(t, s.token, "PATCH", "/companies/demo/settings", map[string]any{"instant_publish": false}); st != 200 {
		t.Fatalf("settings: %d %v", st, out)
	}
	seedMarked(t, s, 5000)

	st, out := s.api(t, s.token, "POST", "/companies/demo/jobs", map[string]any{"name": "everything", "options": map[string]any{"publish_type": "full"}})
	if st != 201 {
		t.Fatalf("POST /jobs: %d %v", st, out)
	}
	id := int64(out["id"].(float64))
	row := fmt.Sprintf(`tr[data-job="%d"] `, id)

	// History: the job's bar moves, twice, on the page as loaded.
	run("history", chromedp.Navigate(s.url+"/c/demo/jobs"), chromedp.WaitVisible(row+"progress", chromedp.ByQuery),
		chromedp.Evaluate(`window.stayed = true`, nil))
	for i := range 2 {
		before := progressOf(ctx, t, id)
		var moved bool
		run(fmt.Sprintf("progress %d", i), chromedp.Poll(fmt.Sprintf(`document.querySelector('%sprogress').value > %v`, row, before),
			&moved, chromedp.WithPollingTimeout(time.Minute)))
	}
	var total float64
	run("max", chromedp.Evaluate(fmt.Sprintf(`document.querySelector('%sprogress').max`, row), &total))
	if total != 5000 {
		t.Errorf("the bar's max is %v, want 5000", total)
	}
	if got := text(ctx, t, row+".job-status"); got != "running" {
		t.Fatalf("status %q while the bar moves, want running", got)
	}
	c.check("jobs-history-running")

	// Cancel: every status the page shows from now on is recorded.
	run("watch the status", chromedp.Evaluate(fmt.Sprintf(`(() => {
		window.statuses = [];
		const st = document.querySelector('%s.job-status');
		new MutationObserver(() => window.statuses.push(st.textContent)).observe(st, {childList: true, characterData: true, subtree: true});
	})()`, row), nil))
	run("cancel", chromedp.Click(row+"form.job-cancel button", chromedp.ByQuery))
	var ended bool
	run("cancelled", chromedp.Poll(fmt.Sprintf(`document.querySelector('%s.job-status').textContent === "cancelled"`, row),
		&ended, chromedp.WithPollingTimeout(time.Minute)))
	var statuses []string
	var stayed bool
	run("statuses", chromedp.Evaluate(`window.statuses`, &statuses), chromedp.Evaluate(`window.stayed === true`, &stayed))
	if len(statuses) < 2 || statuses[0] != "stopping" || statuses[len(statuses)-1] != "cancelled" {
		t.Errorf("the page showed %v after Cancel, want stopping, then cancelled", statuses)
	}
	if !stayed {
		t.Errorf("the page reloaded: progress and cancel were not live")
	}
	var buttons int
	run("no cancel left", chromedp.Evaluate(fmt.Sprintf(`document.querySelectorAll('%sform.job-cancel').length`, row), &buttons))
	if buttons != 0 {
		t.Errorf("a cancelled job still offers Cancel")
	}
	st, out = s.api(t, s.token, "GET", fmt.Sprintf("/companies/demo/jobs/%d", id), nil)
	if done := out["done"].(float64); st != 200 || out["status"] != "cancelled" || done <= 0 || done >= 5000 {
		t.Errorf("the API says %d %v after Cancel, want cancelled part way", st, out)
	}
	c.check("jobs-history-cancelled")

	// The detail: the same job, its log filter and notifications.
	run("detail", chromedp.Click(row+"a", chromedp.ByQuery), chromedp.WaitVisible("#job-status", chromedp.ByID))
	if got := text(ctx, t, "#job-status"); !strings.Contains(got, "cancelled") {
		t.Errorf("detail status %q", got)
	}
	c.check("job-detail")
	run("problems only", chromedp.SetValue("#log-level", "problems", chromedp.ByID), chromedp.Submit("#log-level", chromedp.ByID),
		chromedp.WaitVisible("#log-empty", chromedp.ByID))
	if got := text(ctx, t, "#log-empty"); got != "No warnings or errors." || !strings.Contains(location(ctx, t), "level=problems") {
		t.Errorf("the problems-only log of a clean job says %q", got)
	}
	c.check("job-detail-problems")

	// 360 px wide: the table scrolls in its box, the page does not.
	var overflow bool
	run("narrow", chromedp.EmulateViewport(360, 740), chromedp.Navigate(s.url+"/c/demo/jobs"), chromedp.WaitVisible(row+"progress", chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow))
	if overflow {
		var wide []string // the outermost elements reaching past the window
		run("what is wide", chromedp.Evaluate(`[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 &&
			!(e.parentElement && e.parentElement.getBoundingClientRect().right > window.innerWidth + 1)).map(e => e.tagName + "." + e.className)`, &wide))
		t.Errorf("History scrolls sideways at 360 px: %v", wide)
	}
	c.check("jobs-history-360px")
}

// TestBrowseLiveIconsInBrowser: an open Browse page turns an asset's icon
// green when the asset is published elsewhere (the API, as another user
// or a job would), and back when it is unpublished, without a reload.
func TestBrowseLiveIconsInBrowser(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	c := &checker{t: t, ctx: ctx, axe: axeSource(t), dir: screenshotDir(t)}
	s := startServer(t)
	defer func() { t.Logf("screenshots of %v in %s", c.seen, c.dir) }()
	dir := t.TempDir()
	s.cli(t, s.token, "upload", "--folder", "/live", "--publish", "false",
		writeJPEG(t, dir, "bluebird.jpg", 160, 120, 5), writeJPEG(t, dir, "robin.jpg", 160, 120, 6))
	signInAdmin(ctx, t, s)
	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	bird := `li.asset[data-name="bluebird"] `
	run("grid", chromedp.Navigate(s.url+"/c/demo/browse?folder=/live"), chromedp.WaitVisible(bird+"button.pub.off", chromedp.ByQuery),
		chromedp.Evaluate(`window.stayed = true`, nil))
	// The change is made once the page follows the stream.
	run("stream open", chromedp.WaitVisible(`body[data-live="on"]`, chromedp.ByQuery))
	c.check("browse-live-before")

	if st, out := s.api(t, s.token, "POST", "/companies/demo/publication", map[string]any{"action": "publish", "assets": []string{"bluebird"}}); st != 200 {
		t.Fatalf("publish: %d %v", st, out)
	}
	run("green", chromedp.WaitVisible(bird+"button.pub.on", chromedp.ByQuery))
	c.check("browse-live-published")
	if st, out := s.api(t, s.token, "POST", "/companies/demo/publication", map[string]any{"action": "unpublish", "assets": []string{"bluebird"}}); st != 200 {
		t.Fatalf("unpublish: %d %v", st, out)
	}
	run("back", chromedp.WaitVisible(bird+"button.pub.off", chromedp.ByQuery))
	var stayed bool
	run("stayed", chromedp.Evaluate(`window.stayed === true`, &stayed))
	if !stayed {
		t.Errorf("the page reloaded: the icons were not live")
	}
	if got := text(ctx, t, `li.asset[data-name="robin"] button.pub`); !strings.Contains(got, "⊘") {
		t.Errorf("robin's icon changed too: %q", got)
	}

	// A job publishes in the background: a publication scheduled a moment
	// ahead runs as a job on the server's own clock, and the open page
	// turns robin's icon green when the job publishes it.
	at := time.Now().Add(2 * time.Second).UTC().Format(time.RFC3339)
	if st, out := s.api(t, s.token, "POST", "/companies/demo/publication", map[string]any{"action": "publish", "assets": []string{"robin"}, "at": at}); st >= 300 {
		t.Fatalf("schedule the publication: %d %v", st, out)
	}
	run("green by a job", chromedp.WaitVisible(`li.asset[data-name="robin"] button.pub.on`, chromedp.ByQuery))
	c.check("browse-live-published-by-job")
	run("still no reload", chromedp.Evaluate(`window.stayed === true`, &stayed))
	if !stayed {
		t.Errorf("the page reloaded before the job's change showed")
	}
}
