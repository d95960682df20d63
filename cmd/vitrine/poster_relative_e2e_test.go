package main_test

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPosterUnderRelativeData: a server started as `make run` starts it,
// with the relative --data ./data, makes a video's poster (ffmpeg runs in
// another working directory, so the spooled file's path must be absolute).
func TestPosterUnderRelativeData(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Fatal("ffmpeg is not installed (make deps-test installs it)")
	}
	s := startServerIn(t, binary(t), t.TempDir())
	clip := filepath.Join(t.TempDir(), "clip.mp4")
	if b, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=s=64x48:d=1:r=10",
		"-c:v", "mpeg4", "-f", "mp4", clip).CombinedOutput(); err != nil {
		t.Fatalf("make the video: %v: %s", err, b)
	}
	out := s.cli(t, s.token, "upload", clip)
	if !strings.Contains(out, "0 warnings") {
		t.Errorf("upload summary: %s", out)
	}
	resp, body := s.get(t, "/api/v1/companies/demo/assets/clip", "Authorization", "Bearer "+s.token)
	var detail struct {
		Derived []struct {
			Name string `json:"name"`
		} `json:"derived"`
	}
	if resp.StatusCode != 200 || json.Unmarshal(body, &detail) != nil || len(detail.Derived) != 1 || detail.Derived[0].Name != "clip-poster" {
		t.Fatalf("the video's detail = %d %s, want its poster clip-poster\n%s", resp.StatusCode, body, s.log)
	}
}
