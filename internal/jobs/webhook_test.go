package jobs_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/jobs"
)

// receiver is a local webhook endpoint that fails its first fails calls.
type receiver struct {
	mu      sync.Mutex
	fails   int
	calls   []http.Header
	bodies  [][]byte
	arrived chan struct{}
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	rc.calls, rc.bodies = append(rc.calls, r.Header.Clone()), append(rc.bodies, b)
	n := len(rc.calls)
	rc.mu.Unlock()
	if n <= rc.fails {
		http.Error(w, "try later", http.StatusServiceUnavailable)
		return
	}
	close(rc.arrived) // before the answer, so before the attempt is logged
	w.WriteHeader(http.StatusNoContent)
}

// TestWebhook: a job's end is POSTed to a local receiver, signed with the
// company's secret (Standard Webhooks), retried after failures with the
// same webhook-id, and every attempt is in the delivery log (JOB-6).
func TestWebhook(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rc := &receiver{fails: 2, arrived: make(chan struct{})}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	e := newEnv(t, t.TempDir()+"/v.db", func(c *jobs.Config) {
		c.Outbound.AllowPrivate = true // the receiver is on loopback
		c.NotifyBackoff, c.NotifyBackoffMax = time.Millisecond, 10*time.Millisecond
	})
	if err := e.eng.Start(ctx); err != nil {
		t.Fatal(err)
	}
	j, err := e.eng.Submit(ctx, e.user, jobs.Submission{Name: "Hook", Options: jobs.Options{NotifyURL: srv.URL + "/hook"}})
	if err != nil {
		t.Fatal(err)
	}
	e.wait(t, j.ID)
	// The notification's last attempt has ended: every attempt is logged.
	e.events.wait(t, jobs.Event{JobID: j.ID, Notification: true, Final: true})
	select {
	case <-rc.arrived:
	default:
		rc.mu.Lock()
		t.Fatalf("no successful delivery; %d calls", len(rc.calls))
	}
	secret, err := e.db.WebhookSecret(ctx, e.admin.Company.ID)
	if err != nil || !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("secret %q, %v", secret, err)
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.calls) != 3 {
		t.Fatalf("%d calls, want 2 failures and 1 success", len(rc.calls))
	}
	for i, h := range rc.calls {
		if err := jobs.Verify(secret, h, rc.bodies[i], e.clock.Now(), 5*time.Minute); err != nil {
			t.Errorf("call %d: %v", i, err)
		}
		if h.Get("webhook-id") != rc.calls[0].Get("webhook-id") {
			t.Errorf("call %d: webhook-id %q changed across retries", i, h.Get("webhook-id"))
		}
	}
	if err := jobs.Verify("whsec_"+strings.Repeat("A", 44), rc.calls[2], rc.bodies[2], e.clock.Now(), time.Minute); err == nil {
		t.Error("a wrong secret verified")
	}
	if !strings.Contains(string(rc.bodies[2]), `"status":"succeeded"`) || !strings.Contains(string(rc.bodies[2]), `"name":"Hook_`) {
		t.Errorf("body = %s", rc.bodies[2])
	}
	log := deliveries(t, e, j.ID, 3)
	if log[0].StatusCode != 503 || log[2].StatusCode != 204 || log[2].Attempt != 3 {
		t.Errorf("delivery log = %+v", log)
	}
}

// deliveries returns the delivery log of job id, which must have n rows.
func deliveries(t *testing.T, e *env, id int64, n int) []struct {
	StatusCode, Attempt int
	Error               string
} {
	t.Helper()
	d, err := e.db.WebhookDeliveries(context.Background(), e.admin.Company.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(d) != n {
		t.Fatalf("delivery log of job %d has %d rows, want %d: %+v", id, len(d), n, d)
	}
	var out []struct {
		StatusCode, Attempt int
		Error               string
	}
	for _, x := range d {
		out = append(out, struct {
			StatusCode, Attempt int
			Error               string
		}{x.StatusCode, x.Attempt, x.Error})
	}
	return out
}

// TestWebhookLoopbackRefused: without the operator's permission the
// outbound client refuses loopback, at dial time.
func TestWebhookLoopbackRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var hit atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hit.Store(true) }))
	defer srv.Close()
	e := newEnv(t, t.TempDir()+"/v.db", nil)
	j, err := e.db.CreateJob(ctx, newDoneJob(e))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{srv.URL, strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)} {
		err = e.eng.Deliver(ctx, j, u, 1)
		if err == nil || !strings.Contains(err.Error(), "not a public address") || hit.Load() {
			t.Errorf("Deliver(%s) = %v (hit %v), want a refusal before connecting", u, err, hit.Load())
		}
	}
	if log := deliveries(t, e, j.ID, 2); len(log) != 2 || !strings.Contains(log[0].Error, "not a public address") {
		t.Errorf("delivery log = %+v", log)
	}
	// Allowed by the operator: delivered.
	allowed := newEnv(t, t.TempDir()+"/v.db", func(c *jobs.Config) { c.Outbound.AllowPrivate = true })
	j2, _ := allowed.db.CreateJob(ctx, newDoneJob(allowed))
	if err := allowed.eng.Deliver(ctx, j2, srv.URL, 1); err != nil || !hit.Load() {
		t.Errorf("allowed: %v, hit %v", err, hit.Load())
	}
}

func newDoneJob(e *env) sqlstoreNewJob {
	return sqlstoreNewJob{CompanyID: e.admin.Company.ID, Type: vitrine.JobPublish, Name: "X", Status: vitrine.JobSucceeded,
		UserID: e.user.User.ID, SubmittedBy: e.user.User.ID}
}
