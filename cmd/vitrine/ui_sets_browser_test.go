package main_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// TestSetEditorInBrowser makes a spin set in chromium the way a user
// does: New spin set, members ticked in the picker, reordered by drag
// and drop and by the Move buttons from the keyboard, a refused save (a
// wrong grid) shown on the page, then saved with Publish after save left
// on. The set's req=set answer, fetched from delivery as a site would,
// lists the members in the chosen order, and the members are published.
func TestSetEditorInBrowser(t *testing.T) {
	t.Parallel()
	ctx := browserFor(t, 5*time.Minute)
	c := &checker{t: t, ctx: ctx, axe: axeSource(t), dir: screenshotDir(t)}
	s := startServer(t)
	defer func() { t.Logf("screenshots of %v in %s", c.seen, c.dir) }()
	dir := t.TempDir()
	s.cli(t, s.token, "upload", "--folder", "/spin", "--publish", "false",
		writeJPEG(t, dir, "v1.jpg", 120, 90, 1), writeJPEG(t, dir, "v2.jpg", 120, 90, 2), writeJPEG(t, dir, "v3.jpg", 120, 90, 3),
		writeJPEG(t, dir, "v4.jpg", 120, 90, 4), writeJPEG(t, dir, "other.jpg", 120, 90, 5))
	signInAdmin(ctx, t, s)
	run := func(what string, actions ...chromedp.Action) { t.Helper(); setsRun(ctx, t, what, actions...) }
	order := func() []string {
		t.Helper()
		var names []string
		run("member order", chromedp.Evaluate(`[...document.querySelectorAll("#members li.member")].map(li => li.dataset.name)`, &names))
		return names
	}
	submitted := func(what string, submit chromedp.Action) { t.Helper(); setsSubmitted(ctx, t, what, submit) }

	// The list, then New spin set.
	run("sets", chromedp.Navigate(s.url+"/c/demo/sets"), chromedp.WaitVisible("#new-spin_set", chromedp.ByID))
	if got := text(ctx, t, "main"); !strings.Contains(got, "No sets yet") {
		t.Errorf("empty list says %q", got)
	}
	c.check("sets-empty")
	run("new spin set", chromedp.Click("#new-spin_set", chromedp.ByID), chromedp.WaitVisible("#set-name", chromedp.ByID))
	var publish bool
	run("publish after save", chromedp.Evaluate(`document.getElementById("publish").checked`, &publish))
	if !publish {
		t.Errorf("Publish after save is not ticked on a new set")
	}
	c.check("set-new")

	// Name and grid, then members picked: a search (Enter in the search
	// field searches), four ticked, added.
	run("name", chromedp.SendKeys("#set-name", "turntable", chromedp.ByID),
		chromedp.SendKeys("#rows", "3", chromedp.ByID), chromedp.SendKeys("#columns", "2", chromedp.ByID))
	submitted("search", chromedp.SendKeys("#pq", "v\r", chromedp.ByID))
	var listed []string
	run("picker", chromedp.Evaluate(`[...document.querySelectorAll(".picks input[name=pick]")].map(b => b.value)`, &listed))
	if !slices.Equal(listed, []string{"v1", "v2", "v3", "v4"}) {
		t.Errorf("picker lists %v after searching v, want v1..v4", listed)
	}
	for _, n := range []string{"v1", "v2", "v3", "v4"} {
		run("tick "+n, chromedp.Click(fmt.Sprintf(`.picks input[value=%q]`, n), chromedp.ByQuery))
	}
	c.check("set-picking")
	submitted("add", chromedp.Click("#add-picked", chromedp.ByID))
	if got := order(); !slices.Equal(got, []string{"v1", "v2", "v3", "v4"}) {
		t.Fatalf("members after adding: %v", got)
	}
	var name string
	run("draft kept", chromedp.Value("#set-name", &name, chromedp.ByID))
	if name != "turntable" {
		t.Errorf("the name did not survive adding members: %q", name)
	}
	if got := text(ctx, t, `li.member[data-name="v3"] .pos`); got != "row 2, column 1" {
		t.Errorf("v3 is at %q in the 2-column grid, want row 2, column 1", got)
	}
	c.check("set-members")

	// Drag v4 by its handle onto v1: v4 takes the first place.
	if err := dragSetMember(ctx, `li.member[data-name="v4"] .handle`, `li.member[data-name="v1"] .handle`); err != nil {
		t.Fatalf("drag: %v", err)
	}
	if got := order(); !slices.Equal(got, []string{"v4", "v1", "v2", "v3"}) {
		t.Fatalf("after dragging v4 onto v1: %v, want v4 v1 v2 v3", got)
	}
	if got := text(ctx, t, "#set-live"); got != "v4 is now at row 1, column 1." {
		t.Errorf("after the drag the live region says %q", got)
	}
	c.check("set-dragged")

	// The keyboard: Move down on v2, then Move up on v3, each with
	// Enter on the focused button, which keeps the focus.
	press := func(sel string) {
		t.Helper()
		run("press "+sel, chromedp.Focus(sel, chromedp.ByQuery), chromedp.KeyEvent("\r"))
	}
	press(`li.member[data-name="v2"] button.down`)
	press(`li.member[data-name="v3"] button.up`)
	if got := order(); !slices.Equal(got, []string{"v4", "v3", "v1", "v2"}) {
		t.Fatalf("after the Move buttons: %v, want v4 v3 v1 v2", got)
	}
	var focused string
	run("focus", chromedp.Evaluate(`document.activeElement.getAttribute("aria-label")`, &focused))
	if focused != "Move v3 up from row 1, column 2" {
		t.Errorf("focus after Move up is on %q", focused)
	}
	if got := text(ctx, t, "#set-live"); got != "v3 is now at row 1, column 2." {
		t.Errorf("live region says %q", got)
	}
	c.check("set-reordered")

	// A 3 × 2 grid needs six images: the use case refuses, the page says
	// so and keeps the draft in its order.
	submitted("save refused", chromedp.Click("#save", chromedp.ByID))
	if got := text(ctx, t, "main .error"); !strings.Contains(got, "a 3 × 2 spin set needs 6 images; it has 4") {
		t.Errorf("refused save says %q", got)
	}
	if got := order(); !slices.Equal(got, []string{"v4", "v3", "v1", "v2"}) {
		t.Fatalf("after the refused save: %v", got)
	}
	c.check("set-refused")

	// 2 × 2, saved with Publish after save as it was.
	run("rows", chromedp.SetValue("#rows", "2", chromedp.ByID))
	run("publish still ticked", chromedp.Evaluate(`document.getElementById("publish").checked`, &publish))
	if !publish {
		t.Errorf("Publish after save lost its tick")
	}
	submitted("save", chromedp.Click("#save", chromedp.ByID))
	if u := location(ctx, t); !strings.Contains(u, "/c/demo/sets/turntable?done=published") {
		t.Fatalf("after save at %s", u)
	}
	if got := text(ctx, t, "#done"); !strings.Contains(got, "Saved and published") {
		t.Errorf("after save: %q", got)
	}
	if got := order(); !slices.Equal(got, []string{"v4", "v3", "v1", "v2"}) {
		t.Errorf("saved editor shows %v", got)
	}

	// The viewer preview: the req=set answer from the preview server, laid
	// out in two rows of two.
	var shown []string
	run("viewer preview", chromedp.WaitVisible("#viewer", chromedp.ByID),
		chromedp.Evaluate(`[...document.querySelectorAll("#viewer .vrow")].map(r => [...r.querySelectorAll("figure")].map(f => f.dataset.name).join(" "))`, &shown))
	if !slices.Equal(shown, []string{"v4 v3", "v1 v2"}) {
		t.Errorf("viewer preview rows = %q, want [v4 v3] [v1 v2]", shown)
	}
	var loaded bool
	run("preview thumbnails", chromedp.Poll(`[...document.querySelectorAll("#viewer img")].every(i => i.complete && i.naturalWidth > 0)`, &loaded, chromedp.WithPollingTimeout(30*time.Second)))
	c.check("set-saved")
	run("narrow", chromedp.EmulateViewport(360, 740))
	var overflow bool
	run("no sideways scroll", chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth`, &overflow))
	if overflow {
		t.Errorf("the editor scrolls sideways at 360 px")
	}
	c.check("set-saved-360px")
	run("wide", chromedp.EmulateViewport(1280, 900))

	// Delivery, as a site asks it: the members in the chosen order, each
	// published; the image not picked is not.
	resp, body := s.get(t, "/is/image/demo/turntable?req=set,json&handler=")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("req=set: %d %s", resp.StatusCode, body)
	}
	var answer map[string]any
	if err := json.Unmarshal(body, &answer); err != nil {
		t.Fatalf("req=set answer %s: %v", body, err)
	}
	if got := setItemNames(answer["set"]); !slices.Equal(got, []string{"demo/v4", "demo/v3", "demo/v1", "demo/v2"}) {
		t.Errorf("req=set,json lists %v, want v4 v3 v1 v2\n%s", got, body)
	}
	_, xml := s.get(t, "/is/image/demo/turntable?req=set,xml")
	var inXML []string
	for _, m := range regexp.MustCompile(`<i n="([^"]+)"`).FindAllStringSubmatch(string(xml), -1) {
		inXML = append(inXML, m[1])
	}
	if !slices.Equal(inXML, []string{"demo/v4", "demo/v3", "demo/v1", "demo/v2"}) {
		t.Errorf("req=set,xml lists %v\n%s", inXML, xml)
	}
	for _, n := range []string{"v1", "v2", "v3", "v4"} {
		if st := status(t, s, "/is/image/demo/"+n+"?wid=50"); st != http.StatusOK {
			t.Errorf("member %s on delivery: %d, want 200 (published with the set)", n, st)
		}
	}
	if st := status(t, s, "/is/image/demo/other?wid=50"); st != http.StatusForbidden {
		t.Errorf("an image not in the set: %d, want 403", st)
	}

	// The list: the set, its type, four members, published.
	run("list", chromedp.Navigate(s.url+"/c/demo/sets"), chromedp.WaitVisible(`#sets tr[data-name="turntable"]`, chromedp.ByQuery))
	if got := text(ctx, t, `#sets tr[data-name="turntable"]`); !regexp.MustCompile(`turntable\s+Spin set\s+4\s+✓ published`).MatchString(got) {
		t.Errorf("list row = %q", got)
	}
	c.check("sets-list")

	// Add to set… from Browse's toolbar: the selection reaches the chosen
	// set's editor, added at the end and not saved yet.
	run("browse", chromedp.Navigate(s.url+"/c/demo/browse?folder=/spin"), chromedp.WaitVisible(`li.asset[data-name="other"] input.pick`, chromedp.ByQuery),
		chromedp.Click(`li.asset[data-name="other"] input.pick`, chromedp.ByQuery))
	submitted("add to set", chromedp.Click("#add-to-set", chromedp.ByID))
	if got := text(ctx, t, "#adding"); !strings.Contains(got, "Adding 1 asset(s) from Browse (other)") {
		t.Errorf("the list says %q", got)
	}
	c.check("sets-adding")
	submitted("open turntable", chromedp.Click(`#sets tr[data-name="turntable"] a`, chromedp.ByQuery))
	if got := order(); !slices.Equal(got, []string{"v4", "v3", "v1", "v2", "other"}) {
		t.Errorf("editor opened from Add to set…: %v", got)
	}
	c.check("set-adding-editor")
	if st, set := s.api(t, s.token, "GET", "/companies/demo/sets/turntable", nil); st != 200 || len(set["members"].([]any)) != 4 {
		t.Errorf("opening the editor changed the saved set: %d %v", st, set["members"])
	}
}

// setsRun runs the actions of one step, failing the test with what.
func setsRun(ctx context.Context, t *testing.T, what string, actions ...chromedp.Action) {
	t.Helper()
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// setsSubmitted runs submit and waits for the page the form post answers:
// the old document carried a mark the new one does not, and the new one is
// loaded.
func setsSubmitted(ctx context.Context, t *testing.T, what string, submit chromedp.Action) {
	t.Helper()
	var loaded bool
	setsRun(ctx, t, what, chromedp.Evaluate(`document.body.append(Object.assign(document.createElement("i"), {id: "stale-page"}))`, nil), submit,
		chromedp.WaitNotPresent("#stale-page", chromedp.ByID),
		chromedp.Poll(`document.readyState === "complete"`, &loaded, chromedp.WithPollingTimeout(30*time.Second)))
}

// setItemNames walks a req=set JSON answer's items in order, through the
// rows of a 2-D spin set, and returns the images' names.
func setItemNames(set any) []string {
	m, _ := set.(map[string]any)
	var items []any
	switch it := m["item"].(type) {
	case []any:
		items = it
	case map[string]any:
		items = []any{it}
	}
	var out []string
	for _, raw := range items {
		item, _ := raw.(map[string]any)
		if sub, ok := item["set"]; ok {
			out = append(out, setItemNames(sub)...)
			continue
		}
		if i, ok := item["i"].(map[string]any); ok {
			out = append(out, fmt.Sprint(i["n"]))
		}
	}
	return out
}

// dragSetMember drags the element from onto the element to with the
// mouse, as a user does: Chrome starts a real HTML5 drag (dragstart in
// the page), hands it to the test (Input.setInterceptDrags), and the test
// drops it on to (dragenter, dragover, drop in the page).
func dragSetMember(ctx context.Context, from, to string) error {
	data := make(chan *input.DragData, 1)
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chromedp.ListenTarget(lctx, func(ev any) {
		if e, ok := ev.(*input.EventDragIntercepted); ok {
			select {
			case data <- e.Data:
			default:
			}
		}
	})
	centre := func(ctx context.Context, sel string) (x, y float64, err error) {
		var p []float64
		err = chromedp.Evaluate(fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.scrollIntoView({block: "center"}); const r = e.getBoundingClientRect(); return [r.x + r.width/2, r.y + r.height/2] })()`, sel), &p).Do(ctx)
		if err == nil && len(p) != 2 {
			err = fmt.Errorf("no element %s", sel)
		}
		if err != nil {
			return 0, 0, err
		}
		return p[0], p[1], nil
	}
	return chromedp.Run(ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		if err := input.SetInterceptDrags(true).Do(ctx); err != nil {
			return err
		}
		defer input.SetInterceptDrags(false).Do(ctx)
		ax, ay, err := centre(ctx, from)
		if err != nil {
			return err
		}
		bx, by, err := centre(ctx, to)
		if err != nil {
			return err
		}
		if err := input.DispatchMouseEvent(input.MousePressed, ax, ay).WithButton(input.Left).WithButtons(1).WithClickCount(1).Do(ctx); err != nil {
			return err
		}
		for i := 1; i <= 5; i++ {
			x, y := ax+(bx-ax)*float64(i)/5, ay+(by-ay)*float64(i)/5
			if err := input.DispatchMouseEvent(input.MouseMoved, x, y).WithButton(input.Left).WithButtons(1).Do(ctx); err != nil {
				return err
			}
		}
		var d *input.DragData
		select {
		case d = <-data:
		case <-time.After(10 * time.Second):
			return fmt.Errorf("pressing and moving %s started no drag", from)
		case <-ctx.Done():
			return ctx.Err()
		}
		for _, typ := range []input.DispatchDragEventType{input.DragEnter, input.DragOver, input.Drop} {
			if err := input.DispatchDragEvent(typ, bx, by, d).Do(ctx); err != nil {
				return fmt.Errorf("%s: %w", typ, err)
			}
		}
		return input.DispatchMouseEvent(input.MouseReleased, bx, by).WithButton(input.Left).WithClickCount(1).Do(ctx)
	}))
}

// TestSwatchSetEditorInBrowser makes a hierarchical swatch set in
// chromium: a set of colour swatches, then a set holding an image whose
// swatch is a crop drawn on it, and the first set as a member. The API
// and the req=set answer show the swatches as chosen.
func TestSwatchSetEditorInBrowser(t *testing.T) {
	t.Parallel()
	ctx := browserFor(t, 5*time.Minute)
	c := &checker{t: t, ctx: ctx, axe: axeSource(t), dir: screenshotDir(t)}
	s := startServer(t)
	defer func() { t.Logf("screenshots of %v in %s", c.seen, c.dir) }()
	dir := t.TempDir()
	s.cli(t, s.token, "upload", "--folder", "/shirts", writeJPEG(t, dir, "red.jpg", 200, 100, 1), writeJPEG(t, dir, "blue.jpg", 200, 100, 2))
	signInAdmin(ctx, t, s)
	run := func(what string, actions ...chromedp.Action) { t.Helper(); setsRun(ctx, t, what, actions...) }
	submitted := func(what string, submit chromedp.Action) { t.Helper(); setsSubmitted(ctx, t, what, submit) }
	kind := func(member, k string) chromedp.Action {
		return chromedp.Evaluate(fmt.Sprintf(`(() => { const s = document.querySelector('li.member[data-name=%q] select.sk'); s.value = %q; s.dispatchEvent(new Event("change", {bubbles: true})) })()`, member, k), nil)
	}

	// A swatch set of one colour swatch: red's own image swatch changed
	// to a colour with a label.
	run("new swatch set", chromedp.Navigate(s.url+"/c/demo/sets/new?type=swatch_set"), chromedp.WaitVisible("#set-name", chromedp.ByID),
		chromedp.SendKeys("#set-name", "colours", chromedp.ByID), chromedp.Click(`.picks input[value="red"]`, chromedp.ByQuery))
	submitted("add red", chromedp.Click("#add-picked", chromedp.ByID))
	var si string
	run("red's swatch", chromedp.Value(`li.member[data-name="red"] input[name=si]`, &si, chromedp.ByQuery))
	if si != "red" {
		t.Errorf("a picked image's swatch image is %q, want itself", si)
	}
	run("colour", kind("red", "color"), chromedp.SetValue(`li.member[data-name="red"] input[name=sc]`, "#ff0000", chromedp.ByQuery),
		chromedp.SendKeys(`li.member[data-name="red"] input[name=sl]`, "Red", chromedp.ByQuery))
	var hidden []bool
	run("fields of the kind", chromedp.Evaluate(`["f-color", "f-crop", "f-image"].map(c => getComputedStyle(document.querySelector('li.member[data-name="red"] .' + c)).display === "none")`, &hidden))
	if !slices.Equal(hidden, []bool{false, true, true}) {
		t.Errorf("with a colour swatch, hidden colour/crop/image fields = %v", hidden)
	}
	c.check("swatch-colour")
	submitted("save colours", chromedp.Click("#save", chromedp.ByID))
	if got := text(ctx, t, "#done"); !strings.Contains(got, "Saved and published") {
		t.Fatalf("save colours: %q", got)
	}

	// The outer set: blue, cropped, and the colours set (picked as a swatch set).
	run("new shirt", chromedp.Navigate(s.url+"/c/demo/sets/new?type=swatch_set"), chromedp.WaitVisible("#set-name", chromedp.ByID),
		chromedp.SendKeys("#set-name", "shirt", chromedp.ByID), chromedp.Click(`.picks input[value="blue"]`, chromedp.ByQuery))
	submitted("add blue", chromedp.Click("#add-picked", chromedp.ByID))
	run("swatch sets", chromedp.SetValue("#pt", "swatch_set", chromedp.ByID))
	submitted("list swatch sets", chromedp.Click("#pick-search", chromedp.ByID))
	run("tick colours", chromedp.Click(`.picks input[value="colours"]`, chromedp.ByQuery))
	submitted("add colours", chromedp.Click("#add-picked", chromedp.ByID))

	// Blue's swatch: a crop drawn on its image.
	var loaded bool
	run("draw", kind("blue", "crop"), chromedp.Click(`li.member[data-name="blue"] .crop-draw button`, chromedp.ByQuery),
		chromedp.Poll(`(() => { const i = document.querySelector('li.member[data-name="blue"] .crop-draw img'); return !!i && i.complete && i.naturalWidth > 0 })()`, &loaded, chromedp.WithPollingTimeout(30*time.Second)))
	var box []float64
	run("image box", chromedp.Evaluate(`(() => { const i = document.querySelector('li.member[data-name="blue"] .crop-draw img'); i.scrollIntoView({block: "center"}); const r = i.getBoundingClientRect(); return [r.x, r.y, r.width] })()`, &box))
	x, y := box[0], box[1]
	run("drag a box", chromedp.MouseEvent(input.MousePressed, x+20, y+10, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.MouseMoved, x+70, y+40, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.MouseReleased, x+120, y+60, chromedp.ButtonLeft))
	scale := 200 / box[2] // blue is 200 px wide
	want := fmt.Sprintf("%d,%d,%d,%d", int(20*scale+0.5), int(10*scale+0.5), int(100*scale+0.5), int(50*scale+0.5))
	var crop string
	run("crop field", chromedp.Value(`li.member[data-name="blue"] input.crop`, &crop, chromedp.ByQuery))
	if crop != want {
		t.Errorf("crop after dragging = %q, want %q", crop, want)
	}
	c.check("swatch-crop")
	submitted("save shirt", chromedp.Click("#save", chromedp.ByID))
	if got := text(ctx, t, "#done"); !strings.Contains(got, "Saved and published") {
		t.Fatalf("save shirt: %q %s", got, text(ctx, t, "main"))
	}
	var shown []string
	run("viewer preview", chromedp.WaitVisible("#viewer", chromedp.ByID),
		chromedp.Evaluate(`[...document.querySelectorAll("#viewer figure")].map(f => f.dataset.name)`, &shown))
	if !slices.Equal(shown, []string{"blue", "colours"}) {
		t.Errorf("viewer preview shows %v, want blue, colours", shown)
	}
	c.check("swatch-saved")

	// What was saved, through the API and delivery.
	_, shirt := s.api(t, s.token, "GET", "/companies/demo/sets/shirt", nil)
	if got := fmt.Sprint(shirt["members"]); got != fmt.Sprintf("[map[name:blue swatch:map[crop:%s] type:image] map[name:colours swatch:map[color:cccccc] type:swatch_set]]", want) {
		t.Errorf("shirt's members = %s", got)
	}
	_, colours := s.api(t, s.token, "GET", "/companies/demo/sets/colours", nil)
	if got := fmt.Sprint(colours["members"]); got != "[map[name:red swatch:map[color:ff0000 label:Red] type:image]]" {
		t.Errorf("colours' members = %s", got)
	}
	resp, xml := s.get(t, "/is/image/demo/shirt?req=set,xml")
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(xml), `<s n="demo/blue" crop="`+want+`"/>`) || !strings.Contains(string(xml), `c="0xff0000"`) {
		t.Errorf("req=set,xml of shirt: %d\n%s", resp.StatusCode, xml)
	}
}
