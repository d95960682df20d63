package jobs

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/vitrine/vitrine"
)

// notifyArgs is the River job of one notification: unique by its
// arguments, so a job's end is announced to a URL once however often the
// end is observed.
type notifyArgs struct {
	JobID int64  `json:"job_id"`
	URL   string `json:"url"`
}

func (notifyArgs) Kind() string { return "vitrine_notify" }

func (e *Engine) enqueueNotify(ctx context.Context, jobID int64, u string) error {
	_, err := e.q.insert(ctx, notifyArgs{JobID: jobID, URL: u}, &river.InsertOpts{MaxAttempts: e.cfg.NotifyAttempts,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStateCompleted,
			rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled,
			rivertype.JobStateDiscarded}}})
	if err != nil {
		return fmt.Errorf("enqueue notification of job %d: %w", jobID, err)
	}
	return nil
}

// Notification is the JSON body of an HTTP notification (JOB-6), in the
// Standard Webhooks shape: a type, a timestamp and the data.
type Notification struct {
	Type      string     `json:"type"` // job.ended
	Timestamp time.Time  `json:"timestamp"`
	Data      JobSummary `json:"data"`
}

// JobSummary is what a notification says about the job.
type JobSummary struct {
	ID         int64             `json:"id"`
	Company    string            `json:"company"`
	Name       string            `json:"name"`
	Type       vitrine.JobType   `json:"type"`
	Status     vitrine.JobStatus `json:"status"`
	Total      int               `json:"total"`
	Done       int               `json:"done"`
	Published  int               `json:"published"`
	Warnings   int               `json:"warnings"`
	Errors     int               `json:"errors"`
	Message    string            `json:"message,omitempty"`
	StartedAt  *time.Time        `json:"started_at,omitempty"`
	FinishedAt *time.Time        `json:"finished_at,omitempty"`
}

// notifyWorker delivers one notification attempt; River retries failures
// with the engine's backoff.
type notifyWorker struct {
	river.WorkerDefaults[notifyArgs]
	e *Engine
}

func (w *notifyWorker) Timeout(*river.Job[notifyArgs]) time.Duration { return time.Minute }

func (w *notifyWorker) NextRetry(job *river.Job[notifyArgs]) time.Time {
	return w.e.cfg.Now().Add(w.e.backoff(job.Attempt))
}

func (w *notifyWorker) Work(ctx context.Context, job *river.Job[notifyArgs]) error {
	e := w.e
	j, err := e.db.Job(ctx, 0, job.Args.JobID)
	if vitrine.ErrorCode(err) == vitrine.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	err = e.Deliver(ctx, j, job.Args.URL, job.Attempt)
	if err != nil && job.Attempt >= job.MaxAttempts {
		msg := fmt.Sprintf("HTTP notification to %s failed after %d attempts: %v", job.Args.URL, job.Attempt, err)
		if lerr := e.db.AppendJobLog(ctx, j.ID, []vitrine.JobLogEntry{{Level: vitrine.LogWarning, Message: msg}}); lerr != nil {
			e.log.Error("jobs: log notification failure", "job", j.ID, "err", lerr)
		}
	}
	return err
}

// Deliver makes one signed POST of j's summary to u and records it in the
// delivery log. Any 2xx answer is success.
func (e *Engine) Deliver(ctx context.Context, j *vitrine.JobRun, u string, attempt int) error {
	c, err := e.db.CompanyByID(ctx, j.CompanyID)
	if err != nil {
		return err
	}
	secret, err := e.db.WebhookSecret(ctx, j.CompanyID)
	if err != nil {
		return err
	}
	now := e.cfg.Now()
	body, err := json.Marshal(Notification{Type: "job.ended", Timestamp: now.UTC(), Data: summary(j, c.RootID)})
	if err != nil {
		return err
	}
	msgID := MessageID(j.ID, u)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return vitrine.Errorf(vitrine.EINVALID, "notification URL %q: %v", u, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Vitrine-Webhooks/1")
	req.Header.Set("webhook-id", msgID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(now.Unix(), 10))
	req.Header.Set("webhook-signature", Sign(secret, msgID, now, body))
	rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	start := time.Now()
	resp, err := e.out.Do(req.WithContext(rctx), 64<<10)
	d := vitrine.WebhookDelivery{JobID: j.ID, MessageID: msgID, URL: u, Attempt: attempt, At: now}
	if err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		d.StatusCode = resp.StatusCode
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			err = fmt.Errorf("receiver answered HTTP %d", resp.StatusCode)
		}
	}
	d.Duration = time.Since(start)
	if err != nil {
		d.Error = err.Error()
	}
	if lerr := e.db.LogWebhookDelivery(context.WithoutCancel(ctx), j.CompanyID, d); lerr != nil {
		e.log.Error("jobs: delivery log", "job", j.ID, "err", lerr)
	}
	return err
}

func summary(j *vitrine.JobRun, company string) JobSummary {
	return JobSummary{ID: j.ID, Company: company, Name: j.Name, Type: j.Type, Status: j.Status, Total: j.Total, Done: j.Done,
		Published: j.Published, Warnings: j.Warnings, Errors: j.Errors, Message: j.Message, StartedAt: j.StartedAt, FinishedAt: j.FinishedAt}
}

// MessageID is the webhook-id of job's notification to u: the same on
// every retry, so a receiver can drop duplicates.
func MessageID(jobID int64, u string) string {
	h := sha256.Sum256([]byte(u))
	return fmt.Sprintf("msg_job%d_%x", jobID, h[:6])
}

// Sign returns the Standard Webhooks signature header value:
// "v1," + base64(HMAC-SHA256(key, id "." timestamp "." body)), where key is
// the base64 part of a "whsec_" secret.
func Sign(secret, msgID string, ts time.Time, body []byte) string {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		key = []byte(secret)
	}
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "%s.%d.", msgID, ts.Unix())
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Verify checks a notification as a receiver would: the signature header
// (which may list several space-separated signatures) against secret, and
// the timestamp within tolerance of now.
func Verify(secret string, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	ts, err := strconv.ParseInt(h.Get("webhook-timestamp"), 10, 64)
	if err != nil {
		return fmt.Errorf("bad webhook-timestamp: %w", err)
	}
	t := time.Unix(ts, 0)
	if t.Before(now.Add(-tolerance)) || t.After(now.Add(tolerance)) {
		return fmt.Errorf("webhook-timestamp %d outside tolerance", ts)
	}
	want := Sign(secret, h.Get("webhook-id"), t, body)
	for _, s := range strings.Fields(h.Get("webhook-signature")) {
		if hmac.Equal([]byte(s), []byte(want)) {
			return nil
		}
	}
	return fmt.Errorf("no valid signature")
}

// backoff is the delay before retry attempt+1: NotifyBackoff doubled per
// attempt up to NotifyBackoffMax, with "equal jitter" (half fixed, half
// random) so many receivers failing at once do not retry in lockstep.
func (e *Engine) backoff(attempt int) time.Duration {
	return Backoff(attempt, e.cfg.NotifyBackoff, e.cfg.NotifyBackoffMax, e.cfg.Rand())
}

// Backoff is the backoff formula, with r in [0, 1) the random part.
func Backoff(attempt int, base, max time.Duration, r float64) time.Duration {
	d := max
	if attempt < 1 {
		attempt = 1
	}
	if attempt <= 40 {
		if x := base << (attempt - 1); x > 0 && x < max {
			d = x
		}
	}
	return d/2 + time.Duration(r*float64(d/2))
}
