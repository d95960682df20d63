package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/api"
	"github.com/vitrine/vitrine/internal/blob"
	"github.com/vitrine/vitrine/internal/service"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

func TestSetsCommand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlstore.Open(ctx, filepath.Join(dir, "v.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	blobs, err := blob.OpenLocal(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	c, _ := db.CreateCompany(ctx, "acme", "")
	u, _ := db.CreateUser(ctx, "ann", false)
	db.SetMembership(ctx, u.ID, c.ID, vitrine.RoleUser)
	tok, _ := db.CreateToken(ctx, u.ID, "t", "")
	p, _ := db.Principal(ctx, u, "acme")
	var files []vitrine.NewFile
	for i, n := range []string{"a", "b", "c"} {
		files = append(files, vitrine.NewFile{Filename: n + ".jpg", Type: vitrine.TypeImage, Format: "jpeg", MIME: "image/jpeg",
			Ext: "jpg", Width: 10, Height: 10, SHA256: fmt.Sprintf("%064x", i+1), Size: 10})
	}
	f := false
	if _, err := db.Ingest(ctx, p, files, vitrine.UploadOptions{Publish: &f}); err != nil {
		t.Fatal(err)
	}
	h, err := api.New(api.DefaultConfig(), mustService(t, service.Deps{Store: db, Blobs: blobs}), slog.New(slog.NewTextHandler(io.Discard, nil)), api.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	run := func(args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		args = append(args, "--url", srv.URL, "--token", tok, "--company", "acme")
		if code := Main(ctx, args, &out, &errb); code != 0 {
			t.Fatalf("vitrine %v = %d: %s", args, code, errb.String())
		}
		return out.String()
	}
	out := run("sets", "create", "views", "--type", "image_set", "--publish=false", "a", "b")
	if !strings.Contains(out, "views (image_set) in /, version 1, unpublished") {
		t.Errorf("create: %s", out)
	}
	out = run("sets", "add", "views", "c")
	if !strings.Contains(out, "version 2, published v2") || !hasRow(out, "3", "c", "image") || !strings.Contains(out, "published c to [delivery preview] published with views") {
		t.Errorf("add: %s", out)
	}
	out = run("sets", "rm", "views", "a", "--publish=false")
	if hasRow(out, "1", "a") || !strings.Contains(out, "version 3, published v3") {
		t.Errorf("rm: %s", out)
	}
	if out = run("sets", "show", "views"); !hasRow(out, "1", "b") || !hasRow(out, "2", "c") {
		t.Errorf("show: %s", out)
	}
	var errb bytes.Buffer
	if code := Main(ctx, []string{"sets", "add", "views", "nope", "--url", srv.URL, "--token", tok, "--company", "acme"}, io.Discard, &errb); code != 1 || !strings.Contains(errb.String(), "nope: asset not found") {
		t.Errorf("add unknown = %d: %s", code, errb.String())
	}
}

// hasRow reports whether a line of out starts with the given fields.
func hasRow(out string, fields ...string) bool {
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) >= len(fields) && strings.Join(f[:len(fields)], " ") == strings.Join(fields, " ") {
			return true
		}
	}
	return false
}

func mustService(t testing.TB, d service.Deps) *service.Service {
	t.Helper()
	svc, err := service.New(d)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}
