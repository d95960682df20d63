package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/api"
	"github.com/vitrine/vitrine/internal/testenv"
)

// TestBatchUpload: several upload requests naming one open upload job make
// one job (the workspace sends a dropped folder file by file), each answer
// keeps the upload's shape, and finishing logs what was not uploaded.
func TestBatchUpload(t *testing.T) {
	t.Parallel()
	e := newEnv(t, api.DefaultConfig())
	st, out := e.do(t, "POST", "/api/v1/companies/acme/upload-jobs", "application/json", strings.NewReader(`{"folder":"/drop","total":3}`))
	if st != 201 || out["status"] != "running" || out["type"] != "upload" {
		t.Fatalf("open upload job = %d %v", st, out)
	}
	id := fmt.Sprint(int64(out["id"].(float64)))

	for i, folder := range []string{"/drop/a", "/drop/a/b"} {
		body, ct := multipartBody(t, part{"folder", "", []byte(folder)}, part{"upload_job", "", []byte(id)},
			part{"file", fmt.Sprintf("pic%d.png", i), pngBytes(t, 8+i, 8)})
		st, out := e.do(t, "POST", "/api/v1/companies/acme/assets", ct, body)
		if st != 201 {
			t.Fatalf("upload %d into job %s = %d %v", i, id, st, out)
		}
		job := out["job"].(map[string]any)
		if got := fmt.Sprint(int64(job["id"].(float64))); got != id || job["done"] != float64(i+1) || job["status"] != "running" {
			t.Errorf("upload %d answered job %v, want job %s running with %d done", i, job, id, i+1)
		}
		if a := out["assets"].([]any); len(a) != 1 || a[0].(map[string]any)["name"] != fmt.Sprintf("pic%d", i) {
			t.Errorf("upload %d assets = %v", i, a)
		}
	}
	a, err := e.db.Asset(context.Background(), companyID(t, e), "pic1")
	if err != nil || a.Folder != "/drop/a/b" {
		t.Errorf("pic1 = %+v, %v; want it in /drop/a/b", a, err)
	}

	st, out = e.do(t, "POST", "/api/v1/companies/acme/upload-jobs/"+id+"/finish", "application/json",
		strings.NewReader(`{"not_uploaded":[{"file":"a/broken.png","message":"unsupported file type"}]}`))
	if st != 200 || out["status"] != string(vitrine.JobSucceededWithWarnings) || out["done"] != float64(2) || out["errors"] != float64(1) {
		t.Errorf("finish = %d %v; want succeeded_with_warnings, 2 done, 1 error", st, out)
	}
	_, jobs := e.do(t, "GET", "/api/v1/companies/acme/jobs?type=upload", "", nil)
	if n := len(jobs["jobs"].([]any)); n != 1 {
		t.Errorf("%d upload jobs, want the batch's one: %v", n, jobs)
	}

	// A finished batch, a job of another kind or another company's take
	// no more files.
	other, err := e.db.CreateCompany(context.Background(), "other", "Other")
	if err != nil {
		t.Fatal(err)
	}
	bob := testenv.Member(t, e.db, other, "bob", vitrine.RoleAdmin)
	theirs := &env{srv: e.srv, token: testenv.Token(t, e.db, bob)}
	_, out = theirs.do(t, "POST", "/api/v1/companies/other/upload-jobs", "application/json", strings.NewReader(`{}`))
	theirID := fmt.Sprint(int64(out["id"].(float64)))
	for _, tc := range []struct {
		name, job string
		want      int
	}{
		{"finished", id, 409},
		{"another company's", theirID, 404},
		{"not a number", "x", 400},
	} {
		body, ct := multipartBody(t, part{"upload_job", "", []byte(tc.job)}, part{"file", "late.png", pngBytes(t, 8, 8)})
		if st, out := e.do(t, "POST", "/api/v1/companies/acme/assets", ct, body); st != tc.want {
			t.Errorf("upload into %s job = %d %v, want %d", tc.name, st, out, tc.want)
		}
	}
	if _, err := e.db.Asset(context.Background(), companyID(t, e), "late"); vitrine.ErrorCode(err) != vitrine.ENOTFOUND {
		t.Errorf("a refused upload stored late: %v", err)
	}
}

func companyID(t *testing.T, e *env) int64 {
	t.Helper()
	c, err := e.db.Company(context.Background(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}
