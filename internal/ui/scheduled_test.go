package ui_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/auth"
	"github.com/vitrine/vitrine/internal/jobs"
	"github.com/vitrine/vitrine/internal/service"
	"github.com/vitrine/vitrine/internal/testenv"
	"github.com/vitrine/vitrine/internal/ui"
)

// setupJobs is setup with a job engine (not started: entries are made,
// edited and queued, nothing runs).
func setupJobs(t *testing.T, engine *testenv.Env) (*env, *jobs.Engine) {
	t.Helper()
	ctx := context.Background()
	db := engine.DB
	svc, err := service.New(service.Deps{Store: db, Blobs: testenv.Blobs(t)})
	if err != nil {
		t.Fatal(err)
	}
	eng, err := jobs.New(ctx, jobs.DefaultConfig(), svc, engine.DSN, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := auth.DefaultConfig()
	cfg.Argon2 = auth.Argon2{MemoryKiB: 64, Time: 1, Threads: 1}
	signIn, err := auth.New(cfg, db)
	if err != nil {
		t.Fatal(err)
	}
	w, err := ui.New(svc, db, signIn, slog.New(slog.DiscardHandler), ui.WithJobs(eng))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{db: db, svc: svc, co: testenv.NewCompany(t, db, "acme"), srv: httptest.NewServer(w)}
	t.Cleanup(e.srv.Close)
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
	return e, eng
}

var timesShown = regexp.MustCompile(`<time datetime="([^"]+)">`)

// TestScheduledWithoutScript: the Publish page and the Scheduled tab work
// as plain forms. Preview shows the engine's next five run times and makes
// nothing; an invalid rule is the page again with its message; Create
// makes the entry; Active, Edit, Delete (after its confirmation) and Run
// now act on it as PATCH, DELETE and POST /jobs/{id}/run do.
func TestScheduledWithoutScript(t *testing.T) {
	t.Parallel()
	testenv.EachEngine(t, func(t *testing.T, engine *testenv.Env) {
		ctx := context.Background()
		e, eng := setupJobs(t, engine)
		p, err := e.db.Principal(ctx, &e.co.User.User, "acme")
		if err != nil {
			t.Fatal(err)
		}
		if st, body := e.get(t, "/c/acme/publish"); st != 200 || !strings.Contains(body, `id="job-form"`) || !strings.Contains(body, "(UTC)") {
			t.Fatalf("Publish page: %d, no form or no time zone", st)
		}
		form := url.Values{"name": {"Nightly"}, "when": {"recurring"}, "kind": {"monthly"}, "monthly_by": {"nth"},
			"monthly_nth": {"L"}, "monthly_weekday": {"FRI"}, "monthly_time": {"22:30"}, "scope": {"folders"},
			"folders": {"/a\n/b/c\n"}, "to": {"image"}, "publish_type": {"full"}, "notify_url": {"https://example.com/hook"}}

		// Preview: the engine's five times, and no entry.
		form.Set("preview", "1")
		st, body := e.post(t, "/c/acme/publish", form, nil)
		want, err := eng.Preview(p, jobs.When{Monthly: "L FRI 22:30"}, 5)
		if err != nil {
			t.Fatal(err)
		}
		got := timesShown.FindAllStringSubmatch(body, -1)
		if st != 200 || len(got) != 5 || got[0][1] != want.NextRuns[0].Format("2006-01-02T15:04:05Z07:00") {
			t.Fatalf("preview: %d, %v, want five times from %v", st, got, want.NextRuns)
		}
		if list, _ := eng.Jobs(ctx, e.co.ID, vitrine.JobFilter{Scheduled: true, Limit: 10}); len(list) != 0 {
			t.Fatalf("preview made %d entries", len(list))
		}
		form.Del("preview")

		// An invalid custom rule: the page again, with the parser's words.
		bad := url.Values{"when": {"recurring"}, "kind": {"custom"}, "rule": {"0 0 25 * * ?"}, "scope": {"company"}}
		if st, body := e.post(t, "/c/acme/publish", bad, nil); st != 400 || !strings.Contains(body, "hours") {
			t.Fatalf("invalid rule: %d, want 400 naming the hours field:\n%s", st, body)
		}

		// Create.
		st, loc := e.post(t, "/c/acme/publish", form, nil)
		if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/c/acme/jobs/scheduled?") {
			t.Fatalf("create: %d %s", st, loc)
		}
		list, err := eng.Jobs(ctx, e.co.ID, vitrine.JobFilter{Scheduled: true, Limit: 10})
		if err != nil || len(list) != 1 {
			t.Fatalf("entries: %v %v", list, err)
		}
		j := list[0]
		id := strconv.FormatInt(j.ID, 10)
		if j.Schedule.Rule != "0 30 22 ? * 6L" || !strings.Contains(string(j.Options), `"folders":["/a","/b/c"]`) ||
			!strings.Contains(string(j.Options), `"publish_type":"full"`) || !strings.Contains(string(j.Options), `"to":"image"`) {
			t.Errorf("entry: rule %q, options %s", j.Schedule.Rule, j.Options)
		}
		if st, body := e.get(t, loc); st != 200 || !strings.Contains(body, `id="entry-`+id+`"`) || !strings.Contains(body, "0 30 22 ? * 6L") {
			t.Errorf("Scheduled tab: %d, no row for the entry", st)
		}

		// Active off (an unchecked box sends nothing), then on.
		if st, _ := e.post(t, "/c/acme/jobs/scheduled/"+id+"/active", url.Values{}, nil); st != http.StatusSeeOther {
			t.Fatalf("pause: %d", st)
		}
		if j, _ := eng.Job(ctx, e.co.ID, j.ID); j.Schedule.Active {
			t.Errorf("paused entry is active")
		}
		e.post(t, "/c/acme/jobs/scheduled/"+id+"/active", url.Values{"active": {"true"}}, nil)
		if j, _ := eng.Job(ctx, e.co.ID, j.ID); !j.Schedule.Active {
			t.Errorf("resumed entry is paused")
		}

		// Edit: the form shows the entry; saving changes it.
		st, body = e.get(t, "/c/acme/jobs/scheduled/"+id+"/edit")
		for _, want := range []string{`value="nth" checked`, `<option value="L" selected>Last (L)</option>`, `value="FRI" selected`,
			`value="22:30"`, `/a` + "\n" + `/b/c</textarea>`, `value="full" checked`, `value="image" selected`} {
			if !strings.Contains(body, want) {
				t.Errorf("edit form (%d) lacks %s", st, want)
			}
		}
		edit := url.Values{"name": {"Weekly"}, "when": {"recurring"}, "kind": {"weekly"}, "weekly_day": {"TUE", "SAT"},
			"weekly_time": {"07:05"}, "scope": {"company"}, "publish_type": {"incremental"}}
		if st, loc := e.post(t, "/c/acme/jobs/scheduled/"+id+"/edit", edit, nil); st != http.StatusSeeOther {
			t.Fatalf("save: %d %s", st, loc)
		}
		if j, _ := eng.Job(ctx, e.co.ID, j.ID); j.Name != "Weekly" || j.Schedule.Rule != "0 5 7 ? * TUE,SAT" || strings.Contains(string(j.Options), "folders") {
			t.Errorf("saved entry: %s %q %s", j.Name, j.Schedule.Rule, j.Options)
		}

		// Run now: a queued run of the entry, on its page.
		st, loc = e.post(t, "/c/acme/jobs/scheduled/"+id+"/run", url.Values{}, nil)
		if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/c/acme/jobs/") || loc == "/c/acme/jobs/"+id {
			t.Fatalf("run now: %d %s", st, loc)
		}

		// Delete asks first, then deletes.
		if st, body := e.get(t, "/c/acme/jobs/scheduled/"+id+"/delete"); st != 200 || !strings.Contains(body, `id="confirm-delete"`) {
			t.Fatalf("delete confirmation: %d", st)
		}
		if _, err := eng.Job(ctx, e.co.ID, j.ID); err != nil {
			t.Fatalf("the confirmation page deleted the entry: %v", err)
		}
		if st, _ := e.post(t, "/c/acme/jobs/scheduled/"+id+"/delete", url.Values{}, nil); st != http.StatusSeeOther {
			t.Fatalf("delete: %d", st)
		}
		if _, err := eng.Job(ctx, e.co.ID, j.ID); vitrine.ErrorCode(err) != vitrine.ENOTFOUND {
			t.Errorf("deleted entry: %v, want not found", err)
		}
	})
}

// TestPublishPreviewFragment: the live preview's answer, for the page's
// script: the next five times, or the message for an invalid rule.
func TestPublishPreviewFragment(t *testing.T) {
	t.Parallel()
	e, _ := setupJobs(t, testenv.Open(t, testenv.SQLite))
	st, body := e.get(t, "/c/acme/publish/preview?when=recurring&kind=weekly&weekly_day=WED&weekly_time=10:15")
	if st != 200 || len(timesShown.FindAllString(body, -1)) != 5 || strings.Contains(body, "<html") {
		t.Errorf("weekly preview: %d\n%s", st, body)
	}
	st, body = e.get(t, "/c/acme/publish/preview?when=recurring&kind=custom&rule="+url.QueryEscape("0 0 9 ? * FUNDAY"))
	if st != 200 || !strings.Contains(body, `id="schedule-error"`) || !strings.Contains(body, "FUNDAY") {
		t.Errorf("invalid rule preview: %d\n%s", st, body)
	}
}

// TestUploadJobForm: the upload-job form makes the job POST /jobs would
// (URL list, folder, Publish After Uploading, follow-on), a recurring one
// too, which its Edit form shows again.
func TestUploadJobForm(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e, eng := setupJobs(t, testenv.Open(t, testenv.SQLite))
	if st, body := e.get(t, "/c/acme/upload-jobs"); st != 200 || !strings.Contains(body, `id="urls"`) {
		t.Fatalf("upload-job form: %d", st)
	}
	form := url.Values{"name": {"Feed"}, "source": {"urls"}, "urls": {"https://example.com/a.jpg\n\nhttps://example.com/b.jpg\n"},
		"folder": {"/feed"}, "publish": {"false"}, "overwrite": {"off"}, "follow": {"publish"}, "follow_only_if_files": {"true"},
		"when": {"recurring"}, "kind": {"daily"}, "daily_time": {"06:30"}, "weekdays_only": {"true"}}
	st, loc := e.post(t, "/c/acme/upload-jobs", form, nil)
	if st != http.StatusSeeOther || !regexp.MustCompile(`^/c/acme/jobs/\d+$`).MatchString(loc) {
		t.Fatalf("create: %d %s, want the job's page", st, loc)
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(loc, "/c/acme/jobs/"), 10, 64)
	j, err := eng.Job(ctx, e.co.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"upload":{"urls":["https://example.com/a.jpg","https://example.com/b.jpg"],"folder":"/feed","publish":false,"overwrite":"off","follow":"publish","follow_only_if_files":true}}`
	if j.Type != vitrine.JobUpload || j.Schedule == nil || j.Schedule.Rule != "0 30 6 ? * MON-FRI" || string(j.Options) != want {
		t.Errorf("job: %s %v options %s, want %s", j.Type, j.Schedule, j.Options, want)
	}
	_, body := e.get(t, "/c/acme/jobs/scheduled/"+strconv.FormatInt(id, 10)+"/edit")
	for _, w := range []string{`https://example.com/a.jpg` + "\n" + `https://example.com/b.jpg</textarea>`, `value="/feed"`,
		`<option value="false" selected>`, `value="publish" checked`, `name="weekdays_only" value="true" checked`, `value="06:30"`} {
		if !strings.Contains(body, w) {
			t.Errorf("edit form lacks %s", w)
		}
	}
	// The engine's own checks come back as the form with the message.
	form.Set("urls", "ftp://example.com/x.jpg")
	if st, body := e.post(t, "/c/acme/upload-jobs", form, nil); st != 400 || !strings.Contains(body, "absolute http or https URL") {
		t.Errorf("bad URL: %d, want 400 with the engine's message", st)
	}
}

// TestScheduledOthersEntry: a member sees another's entry in the Scheduled
// tab without its controls, and its Edit and Delete pages and actions are
// refused; another company's entry does not exist for them.
func TestScheduledOthersEntry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e, eng := setupJobs(t, testenv.Open(t, testenv.SQLite))
	j, err := eng.Submit(ctx, e.co.Admin, jobs.Submission{Type: vitrine.JobPublish, Name: "AdminsNightly", When: jobs.When{Daily: "02:00"}})
	if err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(j.ID, 10)
	st, body := e.get(t, "/c/acme/jobs/scheduled")
	if st != 200 || !strings.Contains(body, `id="entry-`+id+`"`) || strings.Contains(body, `id="edit-`+id+`"`) ||
		strings.Contains(body, `id="delete-`+id+`"`) || strings.Contains(body, `id="active-`+id+`"`) || strings.Contains(body, `id="run-`+id+`"`) {
		t.Errorf("the admin's entry for a member: %d, want it listed without controls", st)
	}
	for _, p := range []string{"/edit", "/delete"} {
		if st, _ := e.get(t, "/c/acme/jobs/scheduled/"+id+p); st != http.StatusForbidden {
			t.Errorf("GET %s of another's entry = %d, want 403", p, st)
		}
	}
	for _, p := range []string{"/active", "/run", "/delete"} {
		if st, _ := e.post(t, "/c/acme/jobs/scheduled/"+id+p, url.Values{}, nil); st != http.StatusForbidden {
			t.Errorf("POST %s of another's entry = %d, want 403", p, st)
		}
	}
	if got, _ := eng.Job(ctx, e.co.ID, j.ID); got == nil || got.Schedule == nil || !got.Schedule.Active {
		t.Errorf("the entry after the refused posts = %+v", got)
	}
	// Another company's entry: not found.
	other := testenv.NewCompany(t, e.db, "bolt")
	oj, err := eng.Submit(ctx, other.Admin, jobs.Submission{Type: vitrine.JobPublish, Name: "BoltNightly", When: jobs.When{Daily: "02:00"}})
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := e.get(t, "/c/acme/jobs/scheduled/"+strconv.FormatInt(oj.ID, 10)+"/edit"); st != http.StatusNotFound {
		t.Errorf("another company's entry = %d, want 404", st)
	}
}
