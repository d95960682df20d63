package main_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"sort"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/vitrine/vitrine/internal/testenv"
)

// node is a `vitrine serve` process the test may kill.
type node struct {
	cmd *exec.Cmd
	url string
	log *syncBuffer
}

func startNode(t *testing.T, data string, extra ...string) *node {
	t.Helper()
	addr := freeAddr(t)
	n := &node{url: "http://" + addr, log: &syncBuffer{}}
	n.cmd = exec.Command(binary(t), append([]string{"serve", "--data", data, "--addr", addr}, extra...)...)
	n.cmd.Env = append(os.Environ(), "VITRINE_ADMIN_TOKEN="+adminToken)
	n.cmd.Stdout, n.cmd.Stderr = n.log, n.log
	if err := n.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.kill() })
	n.log.waitFor(t, "vitrine serving", time.Minute)
	return n
}

// kill sends SIGKILL: no shutdown, no deferred anything (kill -9).
func (n *node) kill() {
	if n.cmd.ProcessState == nil {
		n.cmd.Process.Signal(syscall.SIGKILL)
		n.cmd.Wait()
	}
}

func (n *node) call(t *testing.T, method, path string, body any, out any) int {
	t.Helper()
	st, err := n.try(method, path, body, out)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return st
}

// uploadFiles posts JPEGs named names into folder.
func (n *node) uploadFiles(t *testing.T, folder string, names ...string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("folder", folder)
	dir := t.TempDir()
	for i, name := range names {
		p := writeJPEG(t, dir, name, 8, 8, byte(i)+byte(len(folder)))
		b, _ := os.ReadFile(p)
		w, _ := mw.CreateFormFile("file", name)
		w.Write(b)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", n.url+"/api/v1/companies/demo/assets", &buf)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("upload: HTTP %d", resp.StatusCode)
	}
}

type jobJSON struct {
	ID         int64      `json:"id"`
	Status     string     `json:"status"`
	Published  int        `json:"published"`
	Occurrence *time.Time `json:"occurrence"`
	ScheduleID *int64     `json:"schedule_id"`
}

// TestKillDuringJobs: 50 publish jobs, the server killed with SIGKILL at
// random moments three times and restarted; every job ends, and each
// asset has exactly one history row per destination: no duplicate, no gap
// (JOB-7). The kill moments come from a logged seed: VITRINE_TEST_SEED=…
// replays them (the jobs' progress at those moments still varies).
func TestKillDuringJobs(t *testing.T) {
	t.Parallel()
	rng := testenv.Rand(t)
	data := t.TempDir()
	n := startNode(t, data)
	if st := n.call(t, "PATCH", "/settings", map[string]any{"instant_publish": false}, nil); st != 200 {
		t.Fatalf("settings: %d", st)
	}
	const jobs = 50
	for i := range jobs {
		n.uploadFiles(t, fmt.Sprintf("/f%02d", i), fmt.Sprintf("a%02d.jpg", i), fmt.Sprintf("b%02d.jpg", i))
	}
	var ids []int64
	for i := range jobs {
		var j jobJSON
		body := map[string]any{"name": fmt.Sprintf("K%02d", i), "options": map[string]any{"folders": []string{fmt.Sprintf("/f%02d", i)}, "publish_type": "full"}}
		if st := n.call(t, "POST", "/jobs", body, &j); st != 201 {
			t.Fatalf("POST /jobs: %d", st)
		}
		ids = append(ids, j.ID)
	}
	for i := range 3 {
		at := time.Duration(rng.IntN(400)) * time.Millisecond
		t.Logf("kill %d after %s", i+1, at)
		time.Sleep(at) // the moment to kill at is the test's input, not a wait for work
		n.kill()
		n = startNode(t, data)
	}
	// The jobs run in the server process, which sends the test no event:
	// watch them through the API.
	pending := ids
	ok := eventually(3*time.Minute, 100*time.Millisecond, func() bool {
		for len(pending) > 0 {
			var j jobJSON
			n.call(t, "GET", fmt.Sprintf("/jobs/%d", pending[0]), nil, &j)
			if j.Status == "failed" || j.Status == "cancelled" {
				t.Fatalf("job %d: %s\n%s", j.ID, j.Status, n.log)
			}
			if j.Status != "succeeded" {
				return false
			}
			pending = pending[1:]
		}
		return true
	})
	if !ok {
		t.Fatalf("jobs %v not succeeded after 3 minutes\n%s", pending, n.log)
	}
	for i := range jobs {
		for _, name := range []string{fmt.Sprintf("a%02d", i), fmt.Sprintf("b%02d", i)} {
			var h struct {
				History []struct {
					Destination string `json:"destination"`
					Action      string `json:"action"`
					JobID       *int64 `json:"job_id"`
				} `json:"history"`
			}
			n.call(t, "GET", "/assets/"+name+"/history", nil, &h)
			var got []string
			for _, e := range h.History {
				if e.JobID == nil || *e.JobID != ids[i] {
					t.Errorf("%s: history row from job %v, want %d", name, e.JobID, ids[i])
				}
				got = append(got, e.Action+" "+e.Destination)
			}
			sort.Strings(got)
			if fmt.Sprint(got) != "[published delivery published preview]" {
				t.Errorf("%s: history %v, want one published row per destination", name, got)
			}
		}
	}
}

// TestTwoNodesPostgres: two serve processes on one PostgreSQL database
// tick the same schedules; every occurrence runs once, none is skipped
// (JOB-7).
func TestTwoNodesPostgres(t *testing.T) {
	t.Parallel()
	dsn := testenv.PostgresDSN(t)
	a := startNode(t, t.TempDir(), "--db", dsn)
	b := startNode(t, t.TempDir(), "--db", dsn)
	var entries []int64
	for i := range 3 {
		var j jobJSON
		body := map[string]any{"name": fmt.Sprintf("Tick%d", i), "when": map[string]any{"rule": "*/2 * * * * ?"}}
		if st := []*node{a, b}[i%2].call(t, "POST", "/jobs", body, &j); st != 201 {
			t.Fatalf("POST /jobs: %d", st)
		}
		entries = append(entries, j.ID)
	}
	const want = 5
	runsOf := func(entry int64) []jobJSON {
		var res struct{ Jobs []jobJSON }
		a.call(t, "GET", "/jobs?limit=1000", nil, &res)
		var out []jobJSON
		for _, j := range res.Jobs {
			if j.ScheduleID != nil && *j.ScheduleID == entry {
				out = append(out, j)
			}
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Occurrence.Before(*out[j].Occurrence) })
		return out
	}
	// The schedules fire on the servers' real clocks, in their processes:
	// watch the runs through the API.
	allRan := func() bool {
		for _, e := range entries {
			if len(runsOf(e)) < want {
				return false
			}
		}
		return true
	}
	if !eventually(2*time.Minute, 100*time.Millisecond, allRan) {
		for _, e := range entries {
			t.Errorf("entry %d: %d runs after 2 minutes, want %d", e, len(runsOf(e)), want)
		}
		t.FailNow()
	}
	for _, e := range entries { // stop firing before reading the runs
		a.call(t, "PATCH", fmt.Sprintf("/jobs/%d", e), map[string]any{"active": false}, nil)
	}
	for _, e := range entries {
		r := runsOf(e)
		for i := 1; i < len(r); i++ {
			if d := r[i].Occurrence.Sub(*r[i-1].Occurrence); d != 2*time.Second {
				t.Errorf("entry %d: occurrences %s and %s are %s apart, want 2s (a duplicate or a gap)", e, r[i-1].Occurrence, r[i].Occurrence, d)
			}
		}
	}
}
