package jobs_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/jobs"
	"github.com/vitrine/vitrine/internal/testenv"
)

// stallServer answers every GET with headers and a few bytes, then holds
// the body until release is closed or the client goes; hits tells when a
// request arrived.
func stallServer(t *testing.T) (srv *httptest.Server, hits <-chan struct{}, release func()) {
	t.Helper()
	hit := make(chan struct{}, 16)
	rel := make(chan struct{})
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write([]byte{0xff, 0xd8, 0xff})
		w.(http.Flusher).Flush()
		hit <- struct{}{}
		select {
		case <-rel:
		case <-r.Context().Done():
		}
	}))
	var once bool
	release = func() {
		if !once {
			once = true
			close(rel)
		}
	}
	t.Cleanup(srv.Close)
	t.Cleanup(release) // before the server closes (cleanups run last first)
	return srv, hit, release
}

// A company cannot hold more than half of the job workers: with two
// workers and two stalled URL uploads of one company, another company's
// publish job still runs (issue 15, item 6).
func TestJobWorkersFairShare(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, hits, release := stallServer(t)
	defer release() // before the engine's Stop, which waits for running jobs
	e := newEnv(t, filepath.Join(t.TempDir(), "v.db"), func(c *jobs.Config) {
		c.Workers = 2
		c.Outbound.AllowPrivate = true
	})
	other := testenv.NewCompany(t, e.db, "globex")
	if err := e.eng.Start(ctx); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"a", "b"} {
		if _, err := e.eng.Submit(ctx, e.user, jobs.Submission{Type: vitrine.JobUpload, Name: "Slow" + n,
			Options: jobs.Options{Upload: &jobs.UploadOptions{URLs: []string{srv.URL + "/" + n + ".jpg"}, Folder: "/in"}}}); err != nil {
			t.Fatal(err)
		}
	}
	<-hits // one upload holds a worker
	pub, err := e.eng.Submit(ctx, other.User, jobs.Submission{Type: vitrine.JobPublish, Name: "Pub"})
	if err != nil {
		t.Fatal(err)
	}
	if j := e.wait(t, pub.ID); j.Status != vitrine.JobSucceeded {
		t.Errorf("other company's publish = %s, want succeeded", j.Status)
	}
	select {
	case <-hits:
		t.Error("both uploads of one company ran at once on two workers")
	default:
	}
}

// Cancel reaches an upload job in the middle of a stalled fetch: it ends
// cancelled at once, not stopping until the fetch gives up.
func TestCancelStalledUpload(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, hits, release := stallServer(t)
	defer release() // before the engine's Stop, which waits for running jobs
	e := newEnv(t, filepath.Join(t.TempDir(), "v.db"), func(c *jobs.Config) { c.Outbound.AllowPrivate = true })
	if err := e.eng.Start(ctx); err != nil {
		t.Fatal(err)
	}
	j, err := e.eng.Submit(ctx, e.user, jobs.Submission{Type: vitrine.JobUpload, Name: "Slow",
		Options: jobs.Options{Upload: &jobs.UploadOptions{URLs: []string{srv.URL + "/a.jpg", srv.URL + "/b.jpg"}, Folder: "/in"}}})
	if err != nil {
		t.Fatal(err)
	}
	<-hits
	if _, err := e.eng.Cancel(ctx, e.user, j.ID); err != nil {
		t.Fatal(err)
	}
	if done := e.wait(t, j.ID); done.Status != vitrine.JobCancelled {
		t.Errorf("cancelled upload = %s, want cancelled", done.Status)
	}
}

// A remote server that stalls after its headers is cut off after the grace
// period at the minimum rate, not after the whole request timeout.
func TestOutboundMinimumRate(t *testing.T) {
	t.Parallel()
	srv, _, _ := stallServer(t)
	o := jobs.NewOutbound(jobs.OutboundConfig{AllowPrivate: true, Timeout: time.Hour, MinRate: 1 << 10, Grace: 200 * time.Millisecond})
	resp, err := o.Get(context.Background(), srv.URL+"/a.jpg", 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.ReadAll(resp.Body); !errors.Is(err, jobs.ErrTooSlow) {
		t.Errorf("stalled body read = %v, want ErrTooSlow", err)
	}
}
