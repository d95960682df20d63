package main_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestSelectivePublish drives Selective Publish at folder level (SPEC §7,
// DEL-4) through the real binary: folders in each mode, uploads, Manage
// Publication, a scheduled unpublish, the preview host, an excluded folder.
func TestSelectivePublish(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	dir := t.TempDir()
	tok := s.token
	for _, f := range [][]string{{"/imm", "immediately"}, {"/act", "on_activation"}, {"/sel", "selective"}} {
		out := s.cli(t, tok, "folders", "create", f[0], "--publish-mode", f[1])
		if !strings.Contains(out, "effective "+f[1]+", from "+f[0]) {
			t.Errorf("folders create %s: %s", f[0], out)
		}
	}
	s.cli(t, tok, "folders", "create", "/ex", "--sync-mode", "exclude")
	up := func(folder, name string, seed byte) {
		s.cli(t, tok, "upload", "--folder", folder, writeJPEG(t, dir, name+".jpg", 24, 16, seed))
	}
	up("/imm", "i1", 1)
	up("/act", "a1", 2)
	up("/act", "a2", 3)
	up("/sel", "s1", 4)
	up("/ex", "x1", 5)
	preview := func(name string, withToken bool) int {
		req, _ := http.NewRequest("GET", s.url+"/preview/is/image/demo/"+name, nil)
		if withToken {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	check := func(when, name string, delivery, prev int) {
		t.Helper()
		if got := status(t, s, "/is/image/demo/"+name); got != delivery {
			t.Errorf("%s: delivery %s = %d, want %d", when, name, got, delivery)
		}
		if got := preview(name, true); got != prev {
			t.Errorf("%s: preview %s = %d, want %d", when, name, got, prev)
		}
	}
	// SEL-4 at upload: immediately → both; on_activation and selective → none.
	check("upload", "i1", 200, 200)
	check("upload", "a1", 403, 403)
	check("upload", "s1", 403, 403)
	check("upload", "x1", 403, 403)

	// Changing a folder's mode affects only new uploads (SEL-3).
	s.cli(t, tok, "folders", "set", "/imm", "--publish-mode", "on_activation")
	up("/imm", "i2", 6)
	check("after mode change", "i1", 200, 200)
	check("after mode change", "i2", 403, 403)

	// Manage Publication: plan the folder, deselect one asset, apply.
	out := s.cli(t, tok, "publication", "plan", "--action", "publish", "--folder", "/act")
	if !strings.Contains(out, "a1") || !strings.Contains(out, "a2") || !strings.Contains(out, "preview and delivery") {
		t.Errorf("plan:\n%s", out)
	}
	s.cli(t, tok, "publication", "apply", "--action", "publish", "--folder", "/act", "--skip", "a2")
	check("apply", "a1", 200, 200)
	check("apply", "a2", 403, 403)

	// Selective: Publish → preview only; Publish to Delivery → delivery.
	out = s.cli(t, tok, "publication", "plan", "--action", "publish_delivery", "s1", "a1")
	if !strings.Contains(out, "delivery") || !strings.Contains(out, "none") {
		t.Errorf("plan publish_delivery:\n%s", out)
	}
	s.cli(t, tok, "publish", "s1")
	check("selective publish", "s1", 403, 200)
	s.cli(t, tok, "publish", "--delivery", "s1")
	check("selective publish to delivery", "s1", 200, 200)

	// The preview host: a token or an allowed address, else 403.
	if got := preview("s1", false); got != 403 {
		t.Errorf("preview without credentials = %d, want 403", got)
	}
	if st, out := s.api(t, tok, "PATCH", "/companies/demo/settings", map[string]any{"preview_allow_cidrs": []string{"127.0.0.0/8"}}); st != 200 {
		t.Fatalf("settings: %d %v", st, out)
	}
	if got := preview("s1", false); got != 200 {
		t.Errorf("preview from an allowed address = %d, want 200", got)
	}
	resp, _ := s.get(t, "/preview/is/image/demo/s1")
	if cc := resp.Header.Get("Cache-Control"); cc != "private, no-store" {
		t.Errorf("preview Cache-Control = %q", cc)
	}

	// A delivery action on an unsynced asset fails with the SEL-7 message and
	// changes nothing, even for the good asset in the same batch.
	st, res := s.api(t, tok, "POST", "/companies/demo/publication", map[string]any{"action": "publish", "assets": []string{"i2", "x1"}})
	msg, _ := res["error"].(map[string]any)["message"].(string)
	if st != 409 || !strings.Contains(msg, "not synced for delivery; move it to a synced folder or reprocess it") || !strings.Contains(strings.ToLower(toJSON(res)), "x1") {
		t.Errorf("publish into an excluded folder = %d %v", st, res)
	}
	check("refused batch", "i2", 403, 403)

	// A scheduled unpublish fires.
	at := time.Now().Add(2 * time.Second).UTC().Format(time.RFC3339)
	s.cli(t, tok, "unpublish", "a1", "--at", at)
	// The server fires it on its own clock, in its own process: watch its
	// effect through delivery.
	if !eventually(time.Minute, 200*time.Millisecond, func() bool { return status(t, s, "/is/image/demo/a1") == 403 }) {
		t.Fatalf("scheduled unpublish did not fire\n%s", s.log)
	}
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
