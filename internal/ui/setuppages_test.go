package ui_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/testenv"
)

// asAdmin signs e's client out and in again as the company's admin.
func (e *env) asAdmin(t *testing.T) {
	t.Helper()
	secret, err := e.db.CreateLink(context.Background(), e.co.Admin.User.ID, vitrine.LinkSetPassword, vitrine.SetPasswordLinkTTL, nil)
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	e.client.Jar = jar
	if st, body := e.post(t, "/set-password", url.Values{"token": {secret}, "password": {password}, "confirm": {password}}, nil); st >= 400 {
		t.Fatalf("set admin password: %d %s", st, body)
	}
	if st, body := e.post(t, "/signin", url.Values{"login": {"acme-admin"}, "password": {password}, "next": {"/"}}, nil); st != http.StatusSeeOther {
		t.Fatalf("sign in as admin: %d %s", st, body)
	}
}

// TestSetupPages: every Setup page draws for an admin and does not exist
// for a member; settings change through the use case, bad input comes back
// with the message.
func TestSetupPages(t *testing.T) {
	e := setup(t, testenv.Open(t, testenv.SQLite))
	pages := []string{"publish", "image", "presets", "security", "cdn", "users"}
	for _, p := range pages {
		if st, body := e.get(t, "/c/acme/setup/"+p); st != http.StatusNotFound || !strings.Contains(body, "no such page") {
			t.Errorf("member GET setup/%s = %d", p, st)
		}
	}
	if st, _ := e.post(t, "/c/acme/setup/cdn/invalidate", url.Values{"urls": {"/is/image/acme/x"}}, nil); st != http.StatusNotFound {
		t.Errorf("member POST invalidate = %d, want 404", st)
	}
	e.asAdmin(t)
	for _, p := range pages {
		if st, body := e.get(t, "/c/acme/setup/"+p); st != http.StatusOK {
			t.Errorf("admin GET setup/%s = %d\n%s", p, st, body)
		}
	}
	if st, loc := e.get(t, "/c/acme/setup"); st != http.StatusSeeOther {
		t.Errorf("GET setup = %d %s", st, loc)
	}

	form := url.Values{"trash_days": {"14"}, "time_zone": {"Europe/Paris"}, "default_sync_mode": {"sync_all"},
		"default_publish_mode": {"selective"}, "overwrite_mode": {"any_ext"}, "instant_publish": {"on"}}
	if st, loc := e.post(t, "/c/acme/setup/publish", form, nil); st != http.StatusSeeOther {
		t.Fatalf("save publish setup = %d %s", st, loc)
	}
	c, err := e.db.Company(context.Background(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	if s := c.Settings; s.TrashDays != 14 || s.TimeZone != "Europe/Paris" || s.DefaultPublishMode != vitrine.PublishSelective ||
		s.OverwriteMode != "any_ext" || !s.InstantPublish || s.RetainPublishState || s.InvalidateOnRepublish {
		t.Errorf("after saving: %+v", s)
	}
	form.Set("time_zone", "Mars/Olympus")
	if st, body := e.post(t, "/c/acme/setup/publish", form, nil); st != http.StatusBadRequest || !strings.Contains(body, "Mars/Olympus") ||
		!strings.Contains(body, "not a known IANA zone") {
		t.Errorf("bad time zone = %d\n%s", st, body)
	}

	if st, loc := e.post(t, "/c/acme/setup/presets", url.Values{"name": {"thumb"}, "modifiers": {"wid=100"}}, nil); st != http.StatusSeeOther {
		t.Fatalf("save preset = %d %s", st, loc)
	}
	if st, loc := e.post(t, "/c/acme/setup/presets", url.Values{"original": {"thumb"}, "name": {"small"}, "modifiers": {"wid=50"}}, nil); st != http.StatusSeeOther {
		t.Fatalf("rename preset = %d %s", st, loc)
	}
	if c, _ = e.db.Company(context.Background(), "acme"); len(c.Settings.Presets) != 1 || c.Settings.Presets["small"] != "wid=50" {
		t.Errorf("presets after rename: %v", c.Settings.Presets)
	}
	if st, body := e.post(t, "/c/acme/setup/presets", url.Values{"name": {"bad"}, "modifiers": {"wid=abc"}}, nil); st != http.StatusBadRequest {
		t.Errorf("bad preset = %d\n%s", st, body)
	}
	if st, _ := e.post(t, "/c/acme/setup/presets/small/delete", nil, nil); st != http.StatusSeeOther {
		t.Errorf("delete preset = %d", st)
	}

	// Rotating the signing key shows it once; the same form posted again
	// (a refresh of that answer) rotates nothing.
	_, page := e.get(t, "/c/acme/setup/security")
	mark := regexp.MustCompile(`name="keys" value="([0-9a-f]*)"`).FindStringSubmatch(page)
	if mark == nil {
		t.Fatalf("the security page has no keys mark")
	}
	rotate := url.Values{"keys": {mark[1]}}
	st, body := e.post(t, "/c/acme/setup/security/signing-key", rotate, nil)
	c, _ = e.db.Company(context.Background(), "acme")
	first := c.Settings.URLSigningKeys
	if st != http.StatusOK || len(first) == 0 || !strings.Contains(html.UnescapeString(body), first[0]) {
		t.Errorf("rotate signing key = %d; the page does not show the new key", st)
	}
	if st, _ := e.post(t, "/c/acme/setup/security/signing-key", rotate, nil); st != http.StatusConflict {
		t.Errorf("the rotation posted again = %d, want 409", st)
	}
	if c, _ = e.db.Company(context.Background(), "acme"); !slices.Equal(c.Settings.URLSigningKeys, first) || len(first) == 0 {
		t.Errorf("keys after the rotation posted again = %d keys, changed %v", len(c.Settings.URLSigningKeys), !slices.Equal(c.Settings.URLSigningKeys, first))
	}

	st, body = e.post(t, "/c/acme/setup/security/webhook-secret", nil, nil)
	secret, _ := e.db.WebhookSecret(context.Background(), e.co.ID)
	if st != http.StatusOK || secret == "" || !strings.Contains(html.UnescapeString(body), secret) {
		t.Errorf("rotate webhook secret = %d; the page does not show the new secret", st)
	}

	st, body = e.post(t, "/c/acme/setup/cdn/invalidate", url.Values{"urls": {"/is/image/other/x"}}, map[string]string{"Accept": "application/json"})
	if st != http.StatusBadRequest || !strings.Contains(body, `"details"`) {
		t.Errorf("foreign URL = %d %s", st, body)
	}
	st, body = e.post(t, "/c/acme/setup/cdn/invalidate", url.Values{"urls": {"/is/image/acme/x"}}, map[string]string{"Accept": "application/json"})
	var res struct {
		ID   int64  `json:"id"`
		Page string `json:"page"`
	}
	if err := json.Unmarshal([]byte(body), &res); st != http.StatusAccepted || err != nil || res.ID == 0 {
		t.Fatalf("invalidate = %d %s", st, body)
	}
	if st, body := e.get(t, res.Page); st != http.StatusOK || !strings.Contains(body, "no edges or CDNs are configured") {
		t.Errorf("invalidation page = %d\n%s", st, body)
	}

	st, body = e.post(t, "/c/acme/setup/users", url.Values{"name": {"dana"}, "email": {"dana@example.com"}, "role": {"user"}}, nil)
	if st != http.StatusCreated || !strings.Contains(body, "/set-password?token=") {
		t.Errorf("invite = %d\n%s", st, body)
	}
	if st, loc := e.post(t, "/c/acme/setup/users/dana", url.Values{"op": {"access"}, "disabled": {"true"}}, nil); st != http.StatusSeeOther {
		t.Errorf("switch access off = %d %s", st, loc)
	}
	if acc, err := e.db.Account(context.Background(), e.co.ID, "dana"); err != nil || !acc.Disabled {
		t.Errorf("dana after switching off: %+v %v", acc, err)
	}
	if st, body := e.post(t, "/c/acme/setup/users/acme-admin", url.Values{"op": {"role"}, "role": {"user"}}, nil); st != http.StatusForbidden ||
		!strings.Contains(body, "your own role") {
		t.Errorf("own role change = %d\n%s", st, body)
	}
}
