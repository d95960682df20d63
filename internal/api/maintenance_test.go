package api_test

import (
	"context"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/api"
)

// TestJobsListsMaintenance: the daily Trash and cleanup run is in the Jobs
// list with what it did; other jobs answer as before, without a result.
func TestJobsListsMaintenance(t *testing.T) {
	t.Parallel()
	e := newEnv(t, api.DefaultConfig())
	ctx := context.Background()
	body, ctype := multipartBody(t, part{"file", "a.jpg", jpegBytes(t, 4, 4)})
	if code, got := e.do(t, "POST", "/api/v1/companies/acme/assets", ctype, body); code != 201 {
		t.Fatalf("upload: %d %v", code, got)
	}
	occ := time.Date(2026, 3, 11, 3, 0, 0, 0, time.UTC)
	runs, err := e.db.CreateMaintenanceRuns(ctx, occ, vitrine.JobName("Trash_and_cleanup", occ))
	if err != nil || len(runs) != 1 {
		t.Fatalf("CreateMaintenanceRuns = %d runs, %v", len(runs), err)
	}
	id := runs[0].ID
	if err := e.db.SetJobResult(ctx, id, vitrine.MaintenanceResult{AssetsPurged: 2, BlobsDeleted: 3, BytesFreed: 4096}); err != nil {
		t.Fatal(err)
	}
	if err := e.db.AddJobProgress(ctx, id, 2, 0); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.db.FinishJob(ctx, id, "", "purged 2 assets"); err != nil {
		t.Fatal(err)
	}
	code, got := e.do(t, "GET", "/api/v1/companies/acme/jobs", "", nil)
	if code != 200 {
		t.Fatalf("GET jobs: %d %v", code, got)
	}
	jobs := got["jobs"].([]any)
	if len(jobs) != 2 {
		t.Fatalf("%d jobs, want the upload and the maintenance run", len(jobs))
	}
	m, up := jobs[0].(map[string]any), jobs[1].(map[string]any)
	if m["type"] != "maintenance" || m["name"] != "Trash_and_cleanup_2026-03-11-03:00:00" || m["status"] != "succeeded" || m["done"] != 2.0 {
		t.Errorf("maintenance run = %v", m)
	}
	res, _ := m["result"].(map[string]any)
	if res["assets_purged"] != 2.0 || res["blobs_deleted"] != 3.0 || res["bytes_freed"] != 4096.0 {
		t.Errorf("maintenance result = %v", m["result"])
	}
	if _, ok := up["result"]; ok || up["type"] != "upload" {
		t.Errorf("upload job = %v, want no result", up)
	}
	code, got = e.do(t, "GET", "/api/v1/companies/acme/jobs?type=maintenance", "", nil)
	if n := len(got["jobs"].([]any)); code != 200 || n != 1 {
		t.Errorf("GET jobs?type=maintenance: %d, %d jobs", code, n)
	}
}
