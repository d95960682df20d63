package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/api"
)

// TestQuickPublishIsNow: with instant publish off (classic Scene7), a
// publish only marks the asset for the next publish job, but Quick Publish
// publishes now (SEL-5). quick used to be decoded and ignored.
func TestQuickPublishIsNow(t *testing.T) {
	t.Parallel()
	e := newEnv(t, api.DefaultConfig())
	ctx := context.Background()
	if code, out := e.do(t, "PATCH", "/api/v1/companies/acme/settings", "application/json", strings.NewReader(`{"instant_publish":false}`)); code != 200 {
		t.Fatalf("settings = %d %v", code, out)
	}
	for _, n := range []string{"slow", "quick"} {
		body, ctype := multipartBody(t, part{field: "publish", data: []byte("false")}, part{field: "file", filename: n + ".jpg", data: jpegBytes(t, 8, 8)})
		if code, out := e.do(t, "POST", "/api/v1/companies/acme/assets", ctype, body); code != 201 {
			t.Fatalf("upload = %d %v", code, out)
		}
	}
	for _, q := range []string{`{"action":"publish","assets":["slow"]}`, `{"action":"publish","assets":["quick"],"quick":true}`} {
		if code, out := e.do(t, "POST", "/api/v1/companies/acme/publication", "application/json", strings.NewReader(q)); code != 200 {
			t.Fatalf("publication %s = %d %v", q, code, out)
		}
	}
	c, err := e.db.Company(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{"slow": false, "quick": true} {
		_, err := e.db.Lookup(ctx, c.ID, vitrine.ContextImage, vitrine.DestDelivery, name)
		if got := err == nil; got != want {
			t.Errorf("%s live = %v (%v), want %v", name, got, err, want)
		}
	}
}
