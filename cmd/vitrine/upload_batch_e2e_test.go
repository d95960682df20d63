package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vitrine/vitrine"
)

// TestUploadDirectoryIsOneJob: `vitrine upload DIR` is one upload job in
// the history, with one log line per file, hidden files left out, and the
// folder structure kept under --folder.
func TestUploadDirectoryIsOneJob(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	root := filepath.Join(t.TempDir(), "shoot")
	for _, d := range []string{"detail", ".hidden"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeJPEG(t, root, "red.jpg", 20, 20, 1)
	writeJPEG(t, root, "green.jpg", 20, 20, 2)
	writeJPEG(t, filepath.Join(root, "detail"), "blue.jpg", 20, 20, 3)
	writeJPEG(t, filepath.Join(root, ".hidden"), "secret.jpg", 20, 20, 4)

	out := s.cli(t, s.token, "upload", "--folder", "/products", root)
	if !strings.Contains(out, "upload job ") || !strings.Contains(out, "3 new") || !strings.Contains(out, "left out 1 hidden") {
		t.Fatalf("upload summary:\n%s", out)
	}

	var jobs struct{ Jobs []vitrine.JobRun }
	resp, body := s.get(t, "/api/v1/companies/demo/jobs?limit=50", "Authorization", "Bearer "+s.token)
	if resp.StatusCode != 200 || json.Unmarshal(body, &jobs) != nil {
		t.Fatalf("GET jobs = %d %s", resp.StatusCode, body)
	}
	var uploads []vitrine.JobRun
	for _, j := range jobs.Jobs {
		if j.Type == vitrine.JobUpload {
			uploads = append(uploads, j)
		}
	}
	if len(uploads) != 1 {
		t.Fatalf("%d upload jobs, want one for the directory: %+v", len(uploads), uploads)
	}
	j := uploads[0]
	if j.Total != 3 || j.Done != 3 || j.Status != vitrine.JobSucceeded || j.Name != "upload shoot" {
		t.Errorf("the upload job = %+v, want upload shoot, succeeded, 3 of 3", j)
	}

	for name, folder := range map[string]string{"red": "/products/shoot", "blue": "/products/shoot/detail"} {
		var a vitrine.Asset
		resp, body := s.get(t, "/api/v1/companies/demo/assets/"+name, "Authorization", "Bearer "+s.token)
		if resp.StatusCode != 200 || json.Unmarshal(body, &a) != nil || a.Folder != folder {
			t.Errorf("asset %s: %d %s, want in %s", name, resp.StatusCode, body, folder)
		}
	}
	if resp, _ := s.get(t, "/api/v1/companies/demo/assets/secret", "Authorization", "Bearer "+s.token); resp.StatusCode != 404 {
		t.Errorf("the hidden file was uploaded: GET secret = %d", resp.StatusCode)
	}
}
