package ui_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/auth"
	"github.com/vitrine/vitrine/internal/service"
	"github.com/vitrine/vitrine/internal/sqlstore"
	"github.com/vitrine/vitrine/internal/testenv"
	"github.com/vitrine/vitrine/internal/ui"
)

// env is a workspace on a real store and listener, with a signed-in
// browser-like client (cookie jar, no redirects followed).
type env struct {
	db     *sqlstore.DB
	svc    *service.Service
	co     *testenv.Company
	srv    *httptest.Server
	client *http.Client
}

const password = "a long pass phrase"

func setup(t *testing.T, engine *testenv.Env) *env {
	t.Helper()
	ctx := context.Background()
	db := engine.DB
	svc, err := service.New(service.Deps{Store: db, Blobs: testenv.Blobs(t)})
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
	st, body := e.post(t, "/signin", url.Values{"login": {"acme-user"}, "password": {password}, "next": {"/"}}, nil)
	if st != http.StatusSeeOther {
		t.Fatalf("sign in: %d %s", st, body)
	}
	return e
}

// get answers status and body of a GET.
func (e *env) get(t *testing.T, path string) (int, string) {
	t.Helper()
	res, err := e.client.Get(e.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// post sends a form as the page would (same origin), with extra headers.
func (e *env) post(t *testing.T, path string, form url.Values, hdr map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := e.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if loc := res.Header.Get("Location"); loc != "" {
		return res.StatusCode, loc
	}
	return res.StatusCode, string(b)
}

// upload records images in folder as the user (no bytes: the store only).
func (e *env) upload(t *testing.T, folder string, publish bool, names ...string) {
	t.Helper()
	files := make([]vitrine.NewFile, len(names))
	for i, n := range names {
		files[i] = testenv.Image(n+".jpg", len(n)*1000+i+int(folder[len(folder)-1]))
	}
	if _, err := e.db.Ingest(context.Background(), e.co.User, files, vitrine.UploadOptions{Folder: folder, Publish: &publish}); err != nil {
		t.Fatal(err)
	}
}

func (e *env) asset(t *testing.T, name string) *vitrine.Asset {
	t.Helper()
	a, err := e.db.Asset(context.Background(), e.co.ID, name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
