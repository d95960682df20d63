package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/api"
)

// as calls the API with a token; an empty answer decodes to nil.
func (e *env) as(t *testing.T, token, method, path string, in any) (int, map[string]any) {
	t.Helper()
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, body)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(data) > 0 {
		if err := json.Unmarshal(data, &out); err != nil {
			t.Fatalf("%s %s: answer is not JSON: %q", method, path, data)
		}
	}
	return resp.StatusCode, out
}

func TestUsers(t *testing.T) {
	t.Parallel()
	e := newEnv(t, api.DefaultConfig())
	ctx := context.Background()
	const c = "/api/v1/companies/acme"

	// Invite: a user without a password and a one-time link to the workspace.
	st, out := e.as(t, e.token, "POST", c+"/invitations", map[string]any{"name": "bob", "email": "bob@example.com", "role": "user"})
	if st != http.StatusCreated {
		t.Fatalf("invite = %d %v", st, out)
	}
	link, _ := out["link"].(map[string]any)["url"].(string)
	secret, ok := strings.CutPrefix(link, e.srv.URL+"/set-password?token=")
	if !ok {
		t.Fatalf("invite link = %q, want %s/set-password?token=…", link, e.srv.URL)
	}
	bob, err := e.db.LinkUser(ctx, secret, vitrine.LinkSetPassword)
	if err != nil || bob.Name != "bob" {
		t.Fatalf("the link is for %v, %v; want bob", bob, err)
	}
	bobToken, err := e.db.CreateToken(ctx, bob.ID, "t", "")
	if err != nil {
		t.Fatal(err)
	}

	// Members may not manage users; admins may, but not themselves.
	for _, tc := range []struct {
		token, method, path string
		body                any
		want                int
	}{
		{bobToken, "GET", c + "/users", nil, http.StatusForbidden},
		{bobToken, "POST", c + "/invitations", map[string]any{"name": "eve", "role": "admin"}, http.StatusForbidden},
		{bobToken, "PATCH", c + "/users/bob", map[string]any{"role": "admin"}, http.StatusForbidden},
		{e.token, "PATCH", c + "/users/alice", map[string]any{"role": "user"}, http.StatusForbidden},
		{e.token, "PATCH", c + "/users/nobody", map[string]any{"role": "user"}, http.StatusNotFound},
		{e.token, "POST", c + "/invitations", map[string]any{"name": "bob2", "email": "BOB@example.com"}, http.StatusConflict},
		{e.token, "POST", c + "/invitations", map[string]any{"name": "x", "email": "not an email"}, http.StatusBadRequest},
		{e.token, "PATCH", c + "/users/bob", map[string]any{"role": "admin"}, http.StatusOK},
		{e.token, "PATCH", c + "/users/bob", map[string]any{"role": "user"}, http.StatusOK},
	} {
		if st, out := e.as(t, tc.token, tc.method, tc.path, tc.body); st != tc.want {
			t.Errorf("%s %s %v = %d %v, want %d", tc.method, tc.path, tc.body, st, out, tc.want)
		}
	}

	st, out = e.as(t, e.token, "GET", c+"/users", nil)
	users, _ := out["users"].([]any)
	if st != 200 || len(users) != 2 {
		t.Fatalf("list users = %d %v", st, out)
	}

	// Disabled: bob's token no longer opens the company; enabled again, it does.
	if st, out := e.as(t, e.token, "PATCH", c+"/users/bob", map[string]any{"disabled": true}); st != 200 || out["disabled"] != true {
		t.Fatalf("disable = %d %v", st, out)
	}
	if st, _ := e.as(t, bobToken, "GET", c+"/assets", nil); st != http.StatusNotFound {
		t.Errorf("disabled member reads assets: %d, want 404", st)
	}
	e.as(t, e.token, "PATCH", c+"/users/bob", map[string]any{"disabled": false})
	if st, _ := e.as(t, bobToken, "GET", c+"/assets", nil); st != http.StatusOK {
		t.Errorf("enabled member reads assets: %d, want 200", st)
	}

	// Reset: a new link; the first one stops working.
	if st, out := e.as(t, e.token, "POST", c+"/users/bob/password-reset", nil); st != http.StatusCreated || !strings.Contains(out["link"].(map[string]any)["url"].(string), "/set-password?token=") {
		t.Fatalf("reset = %d %v", st, out)
	}
	if _, err := e.db.LinkUser(ctx, secret, vitrine.LinkSetPassword); vitrine.ErrorCode(err) != vitrine.ENOTFOUND {
		t.Errorf("the first link after a reset: %v, want not found", err)
	}
}

func TestPersonalTokens(t *testing.T) {
	t.Parallel()
	e := newEnv(t, api.DefaultConfig())
	st, out := e.as(t, e.token, "POST", "/api/v1/me/tokens", map[string]any{"name": "laptop"})
	if st != http.StatusCreated {
		t.Fatalf("create token = %d %v", st, out)
	}
	secret := out["secret"].(string)
	id := int(out["token"].(map[string]any)["id"].(float64))
	if st, _ := e.as(t, secret, "GET", "/api/v1/me", nil); st != 200 {
		t.Fatalf("the new token: %d", st)
	}
	st, out = e.as(t, secret, "GET", "/api/v1/me/tokens", nil)
	raw, _ := json.Marshal(out)
	if st != 200 || len(out["tokens"].([]any)) != 2 || bytes.Contains(raw, []byte(secret)) {
		t.Fatalf("list tokens = %d %s (want two, without secrets)", st, raw)
	}
	path := "/api/v1/me/tokens/" + itoa(id)
	if st, _ := e.as(t, e.token, "DELETE", path, nil); st != http.StatusNoContent {
		t.Fatalf("revoke = %d", st)
	}
	if st, _ := e.as(t, secret, "GET", "/api/v1/me", nil); st != http.StatusUnauthorized {
		t.Errorf("revoked token: %d, want 401", st)
	}
	if st, _ := e.as(t, e.token, "DELETE", path, nil); st != http.StatusNotFound {
		t.Errorf("revoke twice: %d, want 404", st)
	}

	// Expiry: given in days, shown in the list with the last use.
	for _, days := range []int{-1, 3651} {
		if st, out := e.as(t, e.token, "POST", "/api/v1/me/tokens", map[string]any{"name": "x", "expires_in_days": days}); st != http.StatusBadRequest {
			t.Errorf("expires_in_days %d = %d %v, want 400", days, st, out)
		}
	}
	st, out = e.as(t, e.token, "POST", "/api/v1/me/tokens", map[string]any{"name": "ci", "expires_in_days": 30})
	tok, _ := out["token"].(map[string]any)
	exp, _ := time.Parse(time.RFC3339Nano, fmt.Sprint(tok["expires_at"]))
	if want := time.Now().Add(30 * 24 * time.Hour); st != http.StatusCreated || exp.Before(want.Add(-time.Hour)) || exp.After(want.Add(time.Hour)) {
		t.Fatalf("create a 30-day token = %d %v", st, out)
	}
	st, out = e.as(t, out["secret"].(string), "GET", "/api/v1/me/tokens", nil)
	list, _ := out["tokens"].([]any)
	if st != 200 || len(list) != 2 || list[0].(map[string]any)["last_used_at"] == nil || list[0].(map[string]any)["expires_at"] == nil {
		t.Errorf("list tokens = %d %v, want the 30-day token first with its last use and expiry", st, out)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
