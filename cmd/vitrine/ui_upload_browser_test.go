package main_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// signInAdmin sets the bootstrap admin's password through the link serve
// logged and signs in.
func signInAdmin(ctx context.Context, t *testing.T, s *server) {
	t.Helper()
	s.log.waitFor(t, "set-password?token=", time.Minute) // logged just after "serving"
	m := linkPattern.FindStringSubmatch(s.log.String())
	if m == nil {
		t.Fatalf("serve logged no set-password link:\n%s", s.log)
	}
	setPassword(ctx, t, m[1], "admin pass phrase 1")
	signIn(ctx, t, s.url, "admin", "admin pass phrase 1")
}

// dropDir drops a folder from disk on the element sel, as a user dragging
// it from their file manager does (CDP Input.dispatchDragEvent).
func dropDir(ctx context.Context, sel string, paths ...string) error {
	return chromedp.Run(ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		var box []float64
		if err := chromedp.Evaluate(fmt.Sprintf(`(() => { const r = document.querySelector(%q).getBoundingClientRect(); return [r.x + r.width/2, r.y + r.height/2] })()`, sel), &box).Do(ctx); err != nil {
			return err
		}
		data := &input.DragData{Files: paths, DragOperationsMask: 1}
		for _, typ := range []input.DispatchDragEventType{input.DragEnter, input.DragOver, input.Drop} {
			if err := input.DispatchDragEvent(typ, box[0], box[1], data).Do(ctx); err != nil {
				return fmt.Errorf("%s: %w", typ, err)
			}
		}
		return nil
	}))
}

// TestUploadInBrowser: a folder dropped on the Upload page is uploaded
// file by file into one job, keeping its structure, with hidden files
// skipped, progress reaching 100%, and the assets then in the grid.
func TestUploadInBrowser(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	c := &checker{t: t, ctx: ctx, axe: axeSource(t), dir: screenshotDir(t)}
	s := startServer(t)
	defer func() { t.Logf("screenshots of %v in %s", c.seen, c.dir) }()
	signInAdmin(ctx, t, s)

	// On disk: shoot/{red.jpg, .DS_Store, detail/{blue.jpg, .hidden.jpg}}.
	root := t.TempDir()
	shoot := filepath.Join(root, "shoot")
	if err := os.MkdirAll(filepath.Join(shoot, "detail"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeJPEG(t, shoot, "red.jpg", 320, 240, 1)
	writeJPEG(t, filepath.Join(shoot, "detail"), "blue.jpg", 200, 300, 2)
	writeJPEG(t, filepath.Join(shoot, "detail"), ".hidden.jpg", 10, 10, 3)
	if err := os.WriteFile(filepath.Join(shoot, ".DS_Store"), []byte("junk"), 0o644); err != nil {
		t.Fatal(err)
	}

	if err := chromedp.Run(ctx, chromedp.Navigate(s.url+"/c/demo/upload"), chromedp.WaitVisible("#drop", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	c.check("upload")
	if err := dropDir(ctx, "#drop", shoot); err != nil {
		t.Fatalf("drop: %v", err)
	}
	var finished bool
	if err := chromedp.Run(ctx, chromedp.Poll(`document.getElementById("batch-job").textContent.includes("succeeded")`, &finished,
		chromedp.WithPollingTimeout(60*time.Second))); err != nil || !finished {
		t.Fatalf("the batch did not finish: %v; page says %q / %q", err, text(ctx, t, "#batch-job"), text(ctx, t, "#file-list"))
	}
	var bar string
	if err := chromedp.Run(ctx, chromedp.Evaluate(`String(document.getElementById("total-bar").value)`, &bar)); err != nil {
		t.Fatal(err)
	}
	if got := text(ctx, t, "#total-text"); bar != "100" || !strings.Contains(got, "2 of 2 files, 100%") {
		t.Errorf("total progress = %s, %q; want 100, 2 of 2 files", bar, got)
	}
	if got := text(ctx, t, "#hidden-note"); !strings.Contains(got, "shoot/.DS_Store") || !strings.Contains(got, "shoot/detail/.hidden.jpg") {
		t.Errorf("hidden note = %q, want both hidden files named", got)
	}
	if got := text(ctx, t, "#file-list"); strings.Count(got, "uploaded") != 2 {
		t.Errorf("file list = %q, want 2 uploaded", got)
	}
	c.check("upload-done")
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(360, 740)); err != nil {
		t.Fatal(err)
	}
	c.check("upload-360px")
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}

	// One job for the batch, with both files.
	_, out := s.api(t, s.token, "GET", "/companies/demo/jobs?type=upload", nil)
	jobs, _ := out["jobs"].([]any)
	if len(jobs) != 1 {
		t.Fatalf("upload jobs = %v, want the batch's one", out)
	}
	if j := jobs[0].(map[string]any); j["done"] != float64(2) || j["status"] != "succeeded" {
		t.Errorf("the batch job = %v, want 2 done, succeeded", j)
	}
	// The job page the upload page links to.
	if err := chromedp.Run(ctx, chromedp.Click("#batch-link", chromedp.ByID), chromedp.WaitVisible("#job-status", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	if got := text(ctx, t, "#job-counts"); !strings.Contains(got, "2 of 2 done") {
		t.Errorf("job page counts = %q", got)
	}
	c.check("job")

	// The folder structure, in the grid.
	for folder, want := range map[string]string{"/shoot": "red", "/shoot/detail": "blue"} {
		if err := chromedp.Run(ctx, chromedp.Navigate(s.url+"/c/demo/browse?folder="+folder), chromedp.WaitVisible(".grid", chromedp.ByQuery)); err != nil {
			t.Fatal(err)
		}
		if got := text(ctx, t, ".grid"); !strings.Contains(got, want) || strings.Contains(got, "hidden") {
			t.Errorf("grid of %s = %q, want %s and no hidden file", folder, got, want)
		}
	}

	detailInBrowser(ctx, t, c, s)
}

// detailInBrowser: the URL builder makes a URL whose image has the asked
// size, a dragged box sets crop, and metadata edits are saved.
func detailInBrowser(ctx context.Context, t *testing.T, c *checker, s *server) {
	t.Helper()
	if err := chromedp.Run(ctx, chromedp.Navigate(s.url+"/c/demo/assets/red"), chromedp.WaitVisible("#builder", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	err := chromedp.Run(ctx, chromedp.SendKeys("#b-wid", "150", chromedp.ByID), chromedp.SendKeys("#b-hei", "100", chromedp.ByID),
		chromedp.SetValue("#b-fit", "stretch", chromedp.ByID), chromedp.Evaluate(`document.getElementById("builder").dispatchEvent(new Event("input"))`, nil))
	if err != nil {
		t.Fatal(err)
	}
	var sized bool
	if err := chromedp.Run(ctx, chromedp.Poll(`document.getElementById("result-size").textContent === "150 × 100 px"`, &sized, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("the result did not render 150 × 100: %v (%q)", err, text(ctx, t, "#result-size"))
	}
	var built string
	if err := chromedp.Run(ctx, chromedp.Value("#built-url", &built, chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(built, s.url+"/is/image/demo/red?") || !strings.Contains(built, "wid=150") || !strings.Contains(built, "fit=stretch") {
		t.Errorf("built URL = %q", built)
	}
	resp, body := s.get(t, strings.TrimPrefix(built, s.url))
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s = %d", built, resp.StatusCode)
	}
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(body)); err != nil || cfg.Width != 150 || cfg.Height != 100 {
		t.Errorf("the built URL's image is %dx%d (%v), want 150x100", cfg.Width, cfg.Height, err)
	}
	c.check("detail")

	// Crop by dragging a box on the image.
	var box []float64
	if err := chromedp.Run(ctx, chromedp.Evaluate(`(() => { const i = document.getElementById("source"); i.scrollIntoView(); const r = i.getBoundingClientRect(); return [r.x, r.y, r.width] })()`, &box)); err != nil {
		t.Fatal(err)
	}
	x, y := box[0], box[1]
	err = chromedp.Run(ctx, chromedp.MouseEvent(input.MousePressed, x+10, y+10, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.MouseMoved, x+60, y+40, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.MouseReleased, x+110, y+70, chromedp.ButtonLeft))
	if err != nil {
		t.Fatal(err)
	}
	var crop string
	if err := chromedp.Run(ctx, chromedp.Value("#b-crop", &crop, chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	scale := 320 / box[2] // the source is 320 px wide
	want := fmt.Sprintf("%d,%d,%d,%d", int(10*scale+0.5), int(10*scale+0.5), int(100*scale+0.5), int(60*scale+0.5))
	if crop != want {
		t.Errorf("crop after dragging = %q, want %q", crop, want)
	}

	// Metadata.
	err = chromedp.Run(ctx, chromedp.SendKeys("#title", "Red shoe", chromedp.ByID), chromedp.SendKeys("#keywords", "red, shoe", chromedp.ByID),
		chromedp.Submit("#title", chromedp.ByID), chromedp.WaitVisible(".info", chromedp.ByQuery))
	if err != nil {
		t.Fatal(err)
	}
	_, a := s.api(t, s.token, "GET", "/companies/demo/assets/red", nil)
	if a["title"] != "Red shoe" || fmt.Sprint(a["keywords"]) != "[red shoe]" {
		t.Errorf("after saving metadata the API says title %v, keywords %v", a["title"], a["keywords"])
	}
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(360, 740)); err != nil {
		t.Fatal(err)
	}
	c.check("detail-360px")
}
