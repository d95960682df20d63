package ui_test

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/auth"
	"github.com/vitrine/vitrine/internal/events"
	"github.com/vitrine/vitrine/internal/jobs"
	"github.com/vitrine/vitrine/internal/service"
	"github.com/vitrine/vitrine/internal/testenv"
	"github.com/vitrine/vitrine/internal/ui"
)

// setupLive is setup with the event broker wired as serve wires it, and a
// second company, bolt, whose events acme's user must never see.
func setupLive(t *testing.T, engine *testenv.Env) (*env, *events.Broker, *testenv.Company) {
	t.Helper()
	ctx := context.Background()
	db := engine.DB
	broker, err := events.New(events.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(service.Deps{Store: db, Blobs: testenv.Blobs(t),
		Changes: service.NewChanges(service.Subscribers{Others: []service.Subscriber{broker}})})
	if err != nil {
		t.Fatal(err)
	}
	cfg := auth.DefaultConfig()
	cfg.Argon2 = auth.Argon2{MemoryKiB: 64, Time: 1, Threads: 1}
	signIn, err := auth.New(cfg, db)
	if err != nil {
		t.Fatal(err)
	}
	w, err := ui.New(svc, db, signIn, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.UseEvents(broker, events.StreamConfig{Heartbeat: time.Hour, WriteTimeout: 5 * time.Second}); err != nil {
		t.Fatal(err)
	}
	e := &env{db: db, svc: svc, co: testenv.NewCompany(t, db, "acme"), srv: httptest.NewServer(w)}
	t.Cleanup(e.srv.Close)
	t.Cleanup(broker.Close) // ends the streams before the server closes
	bolt := testenv.NewCompany(t, db, "bolt")
	link, err := db.CreateLink(ctx, e.co.User.User.ID, vitrine.LinkSetPassword, vitrine.SetPasswordLinkTTL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := signIn.SetPassword(ctx, link, password); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	e.client = &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if st, body := e.post(t, "/signin", url.Values{"login": {"acme-user"}, "password": {password}, "next": {"/"}}, nil); st != http.StatusSeeOther {
		t.Fatalf("sign in: %d %s", st, body)
	}
	return e, broker, bolt
}

// TestWorkspaceEventsAreTheCompanys: the workspace's stream takes the
// session cookie and carries the member's company's events only; another
// company's stream is not found for them, and without a session there is
// no stream.
func TestWorkspaceEventsAreTheCompanys(t *testing.T) {
	t.Parallel()
	testenv.EachEngine(t, func(t *testing.T, engine *testenv.Env) {
		e, broker, bolt := setupLive(t, engine)
		if st, _ := e.get(t, "/c/bolt/events"); st != http.StatusNotFound {
			t.Errorf("acme's user opening bolt's stream: %d, want 404", st)
		}
		anon := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		if res, err := anon.Get(e.srv.URL + "/c/acme/events"); err != nil {
			t.Fatal(err)
		} else if res.Body.Close(); res.StatusCode != http.StatusSeeOther {
			t.Errorf("the stream without a session: %d, want a redirect to sign in", res.StatusCode)
		}

		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", e.srv.URL+"/c/acme/events", nil)
		res, err := e.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/event-stream" {
			t.Fatalf("GET /c/acme/events: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		rd := bufio.NewReader(res.Body)
		readEvent := func() (typ, data string) {
			t.Helper()
			for {
				line, err := rd.ReadString('\n')
				if err != nil {
					t.Fatalf("reading the stream: %v", err)
				}
				line = strings.TrimRight(line, "\n")
				switch {
				case strings.HasPrefix(line, "event: "):
					typ = line[7:]
				case strings.HasPrefix(line, "data: "):
					data = line[6:]
				case line == "" && typ != "":
					return typ, data
				}
			}
		}
		// The stream is subscribed once its first bytes arrived; wait for them.
		if _, err := rd.ReadString('\n'); err != nil {
			t.Fatal(err)
		}
		broker.JobChanged(&vitrine.JobRun{Job: vitrine.Job{ID: 900, Name: "bolt-secret", Status: vitrine.JobRunning}, CompanyID: bolt.ID})
		broker.CatalogChanged(ctx, bolt.Company, []vitrine.CatalogChange{{Asset: "bolt-asset", Destination: vitrine.DestDelivery,
			Action: vitrine.HistPublished, Version: 1, Context: vitrine.ContextImage}})
		broker.JobChanged(&vitrine.JobRun{Job: vitrine.Job{ID: 901, Name: "acme-job", Status: vitrine.JobRunning, Total: 10, Done: 3}, CompanyID: e.co.ID})
		typ, data := readEvent()
		if typ != events.TypeJob || !strings.Contains(data, `"acme-job"`) || !strings.Contains(data, `"done":3`) {
			t.Errorf("first event %s %s, want acme's job", typ, data)
		}
		broker.CatalogChanged(ctx, e.co.Company, []vitrine.CatalogChange{{Asset: "acme-asset", Destination: vitrine.DestDelivery,
			Action: vitrine.HistPublished, Version: 1, Context: vitrine.ContextImage}})
		typ, data = readEvent()
		if typ != events.TypeAsset || !strings.Contains(data, `"acme-asset"`) {
			t.Errorf("second event %s %s, want acme's asset", typ, data)
		}
	})
}

// jobNames lists the job names of a History page in order.
func jobNames(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<tr data-job="\d+" id="job-\d+" class="job[^"]*">\s*<td><a href="[^"]+">([^<]+)</a>`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func link(t *testing.T, body, class string) string {
	t.Helper()
	m := regexp.MustCompile(`<a class="` + class + `" href="([^"]+)">`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return strings.ReplaceAll(m[1], "&amp;", "&")
}

// TestJobsHistory: History pages newest first with next and previous,
// filters by type and mine/all, and refuses a cursor it did not make.
func TestJobsHistory(t *testing.T) {
	t.Parallel()
	testenv.EachEngine(t, func(t *testing.T, engine *testenv.Env) {
		e, _, bolt := setupLive(t, engine)
		ctx := context.Background()
		var want []string // newest first
		for i := range 120 {
			p, typ := e.co.Admin, vitrine.JobPublish
			if i%4 == 0 {
				p, typ = e.co.User, vitrine.JobUpload
			}
			name := fmt.Sprintf("job%03d", i)
			if _, err := e.db.RecordJob(ctx, p, typ, name, nil, 0, nil); err != nil {
				t.Fatal(err)
			}
			want = append([]string{name}, want...)
		}
		if _, err := e.db.RecordJob(ctx, bolt.Admin, vitrine.JobPublish, "bolt-job", nil, 0, nil); err != nil {
			t.Fatal(err)
		}

		st, body := e.get(t, "/c/acme/jobs")
		if st != 200 || !slices.Equal(jobNames(body), want[:50]) {
			t.Fatalf("first page: %d %v\n%s", st, jobNames(body), body)
		}
		if strings.Contains(body, "bolt-job") || link(t, body, "prev") != "" {
			t.Errorf("first page shows bolt's job or a previous link")
		}
		if !strings.Contains(body, `aria-current="page">History</a>`) {
			t.Errorf("the History tab is not current")
		}
		next := link(t, body, "next")
		_, body = e.get(t, next)
		if !slices.Equal(jobNames(body), want[50:100]) {
			t.Fatalf("second page: %v", jobNames(body))
		}
		_, body = e.get(t, link(t, body, "next"))
		if !slices.Equal(jobNames(body), want[100:]) || link(t, body, "next") != "" {
			t.Fatalf("last page: %v, next %q", jobNames(body), link(t, body, "next"))
		}
		_, body = e.get(t, link(t, body, "prev"))
		if !slices.Equal(jobNames(body), want[50:100]) {
			t.Fatalf("back to the second page: %v", jobNames(body))
		}
		_, body = e.get(t, link(t, body, "prev"))
		if !slices.Equal(jobNames(body), want[:50]) || link(t, body, "prev") != "" || link(t, body, "next") == "" {
			t.Fatalf("back to the first page: %v", jobNames(body))
		}

		// Filters: mine (the user ran every fourth, the uploads), type.
		_, body = e.get(t, "/c/acme/jobs?show=mine")
		var mine []string
		for i := 116; i >= 0; i -= 4 {
			mine = append(mine, fmt.Sprintf("job%03d", i))
		}
		if got := jobNames(body); !slices.Equal(got, mine) {
			t.Errorf("mine: %v, want %v", got, mine)
		}
		_, body = e.get(t, "/c/acme/jobs?type=upload")
		if got := jobNames(body); !slices.Equal(got, mine) {
			t.Errorf("uploads: %v, want %v", got, mine)
		}
		if !strings.Contains(body, `<option value="upload" selected>`) {
			t.Errorf("the form does not keep the type")
		}
		_, body = e.get(t, "/c/acme/jobs?type=publish&until=2000-01-01")
		if got := jobNames(body); len(got) != 0 || !strings.Contains(body, "No job matches") {
			t.Errorf("before 2000: %v", got)
		}
		for _, bad := range []string{"type=nonsense", "before=12", "range=decade", "since=yesterday"} {
			if st, body := e.get(t, "/c/acme/jobs?"+bad); st != http.StatusBadRequest || !strings.Contains(body, `class="error"`) {
				t.Errorf("?%s: %d, want 400 with the form and a message", bad, st)
			}
		}
	})
}

// TestJobDetailLog: a job's log pages with a cursor and filters to
// warnings and errors; a finished job offers no Cancel.
func TestJobDetailLog(t *testing.T) {
	t.Parallel()
	testenv.EachEngine(t, func(t *testing.T, engine *testenv.Env) {
		e, _, _ := setupLive(t, engine)
		var lines []vitrine.JobLine
		for i := range 450 {
			lv := vitrine.LogInfo
			if i%10 == 0 {
				lv = vitrine.LogWarning
			}
			lines = append(lines, vitrine.JobLine{Asset: fmt.Sprintf("a%03d", i), Level: lv, Message: "m"})
		}
		j, err := e.db.RecordJob(context.Background(), e.co.User, vitrine.JobUpload, "big", nil, len(lines), lines)
		if err != nil {
			t.Fatal(err)
		}
		base := fmt.Sprintf("/c/acme/jobs/%d", j.ID)
		rows := regexp.MustCompile(`<tr class="log-(\w+)"><td><a href="[^"]+">(a\d+)</a>`)
		st, body := e.get(t, base)
		if n := len(rows.FindAllString(body, -1)); st != 200 || n != 200 {
			t.Fatalf("first log page: %d, %d rows", st, n)
		}
		if strings.Contains(body, "job-cancel") {
			t.Errorf("a finished job offers Cancel")
		}
		if !strings.Contains(body, "No notification was sent") {
			t.Errorf("the detail does not say no notification was sent")
		}
		var seen int
		for page := base; page != ""; page = link(t, body, "next") {
			_, body = e.get(t, page)
			seen += len(rows.FindAllString(body, -1))
		}
		if seen != 450 {
			t.Errorf("the log pages hold %d entries, want 450", seen)
		}
		_, body = e.get(t, base+"?level=problems")
		got := rows.FindAllStringSubmatch(body, -1)
		if len(got) != 45 || got[0][2] != "a000" || got[1][2] != "a010" {
			t.Errorf("warnings only: %d rows, want 45 from a000, a010", len(got))
		}
		for _, m := range got {
			if m[1] != vitrine.LogWarning {
				t.Errorf("the problems filter shows a %s entry", m[1])
			}
		}
	})
}

// TestJobCancelForm: Cancel without script is a form post through the
// cancel use case: a queued job is cancelled at once and History says so;
// a member may not cancel another's job and the page says why.
func TestJobCancelForm(t *testing.T) {
	t.Parallel()
	testenv.EachEngine(t, func(t *testing.T, engine *testenv.Env) {
		e, _, _ := setupLive(t, engine)
		ctx := context.Background()
		jcfg := jobs.DefaultConfig()
		jcfg.Tick = time.Hour
		eng, err := jobs.New(ctx, jcfg, e.svc, engine.DSN, nil) // not started: jobs stay queued
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { eng.Stop() })
		admins, err := eng.Submit(ctx, e.co.Admin, jobs.Submission{Name: "admins"})
		if err != nil {
			t.Fatal(err)
		}
		mine, err := eng.Submit(ctx, e.co.User, jobs.Submission{Name: "mine"})
		if err != nil {
			t.Fatal(err)
		}
		_, body := e.get(t, "/c/acme/jobs")
		if strings.Count(body, `class="job-cancel"`) != 1 || !strings.Contains(body, fmt.Sprintf(`action="/c/acme/jobs/%d/cancel"`, mine.ID)) {
			t.Errorf("History offers Cancel on other than the user's queued job")
		}

		st, body := e.post(t, fmt.Sprintf("/c/acme/jobs/%d/cancel", admins.ID), url.Values{"back": {"/c/acme/jobs"}}, nil)
		if st != http.StatusForbidden || !strings.Contains(body, "only the job&#39;s submitter or a company admin") {
			t.Errorf("cancelling the admin's job as a member: %d %s", st, body)
		}
		st, loc := e.post(t, fmt.Sprintf("/c/acme/jobs/%d/cancel", mine.ID), url.Values{"back": {"/c/acme/jobs?type=publish"}}, nil)
		if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/c/acme/jobs?") || !strings.Contains(loc, "done=cancelled") || !strings.Contains(loc, "type=publish") {
			t.Fatalf("cancel: %d %s", st, loc)
		}
		_, body = e.get(t, loc)
		if !strings.Contains(body, fmt.Sprintf("Job %d is cancelled.", mine.ID)) || !strings.Contains(body, `st-cancelled">cancelled<`) {
			t.Errorf("after Cancel History says %s", body)
		}
		if j, _ := e.db.Job(ctx, e.co.ID, mine.ID); j.Status != vitrine.JobCancelled {
			t.Errorf("the job is %s after Cancel", j.Status)
		}
		// The page's script: the new status as text.
		again, err := eng.Submit(ctx, e.co.User, jobs.Submission{Name: "again"})
		if err != nil {
			t.Fatal(err)
		}
		st, body = e.post(t, fmt.Sprintf("/c/acme/jobs/%d/cancel", again.ID), url.Values{}, map[string]string{"X-Fragment": "job"})
		if st != http.StatusOK || body != "cancelled" {
			t.Errorf("cancel from script: %d %q", st, body)
		}
	})
}
