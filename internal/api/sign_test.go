package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/vitrine/vitrine"
)

// TestSignURL: an admin signs an image URL with the company's newest key
// and the delivery serves it where unsigned URLs are refused; a member
// may not sign, nor may anyone for a URL of another company, a signed URL,
// or a company without keys.
func TestSignURL(t *testing.T) {
	t.Parallel()
	e, _ := newMediaEnv(t)
	ctx := context.Background()
	if st, out := e.upload(t, true, map[string][]byte{"shoe.png": pngBytes(t, 40, 30)}); st != http.StatusCreated {
		t.Fatalf("upload = %d %v", st, out)
	}
	sign := func(token string, in map[string]any) (int, map[string]any) {
		return e.as(t, token, "POST", "/api/v1/companies/acme/signed-urls", in)
	}
	if st, out := sign(e.token, map[string]any{"url": "/is/image/acme/shoe?wid=20"}); st != http.StatusConflict {
		t.Errorf("sign without a key = %d %v, want 409", st, out)
	}
	if st, out := e.json(t, "PATCH", "/settings", map[string]any{"url_signing": "required",
		"url_signing_keys": []string{"newest-key-0123456789", "older-key-0123456789"}}); st != http.StatusOK {
		t.Fatalf("settings = %d %v", st, out)
	}
	if resp, _ := e.public(t, "/is/image/acme/shoe?wid=20"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("unsigned = %d, want 403", resp.StatusCode)
	}
	var last string
	for _, in := range []map[string]any{
		{"url": "/is/image/acme/shoe?wid=20&hei=10"},
		{"url": "/is/image/acme/shoe"},
		{"url": "/is/image/acme/shoe?WID=20&fmt=png", "expires_in_seconds": 3600},
	} {
		st, out := sign(e.token, in)
		signed, _ := out["url"].(string)
		if st != http.StatusOK || !strings.Contains(signed, "sig=") {
			t.Errorf("sign %v = %d %v", in, st, out)
			continue
		}
		if _, hasExp := in["expires_in_seconds"]; hasExp != strings.Contains(signed, "exp=") {
			t.Errorf("sign %v = %s: exp= present %v, want %v", in, signed, !hasExp, hasExp)
		}
		if resp, _ := e.public(t, signed); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", signed, resp.StatusCode)
		}
		last = signed
	}
	// The key is the newest (the first): with only the older one live the
	// URL no longer verifies.
	if st, out := e.json(t, "PATCH", "/settings", map[string]any{"url_signing_keys": []string{"older-key-0123456789"}}); st != http.StatusOK {
		t.Fatalf("settings = %d %v", st, out)
	}
	if resp, _ := e.public(t, last); resp.StatusCode != http.StatusForbidden {
		t.Errorf("GET %s with its key retired = %d, want 403", last, resp.StatusCode)
	}
	for _, in := range []map[string]any{
		{"url": "/is/image/other/shoe?wid=20"},
		{"url": "/is/image/acmex/shoe"},
		{"url": "/api/v1/companies/acme/assets"},
		{"url": "/is/image/acme/shoe?wid=20&sig=abc"},
		{"url": "/is/image/acme/shoe?wid=20&exp=4000000000"},
		{"url": "/is/image/acme/./shoe"},
		{"url": "/is/image/acme//shoe"},
		{"url": "/is/image/acme/x/../shoe"},
		{"url": "/is/image/acme/..%2Fother%2Fx"},
		{"url": "/is/image/acme/shoe?wid=abc"},
		{"url": "/is/image/acme/shoe", "expires_in_seconds": -1},
	} {
		if st, out := sign(e.token, in); st != http.StatusBadRequest && st != http.StatusForbidden {
			t.Errorf("sign %v = %d %v, want a refusal", in, st, out)
		}
	}
	// A member who is not an admin may not sign (nor see the keys).
	u, err := e.db.CreateUser(ctx, "mia", false)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.SetMembership(ctx, u.ID, companyID(t, e), vitrine.RoleUser); err != nil {
		t.Fatal(err)
	}
	tok, err := e.db.CreateToken(ctx, u.ID, "t", "")
	if err != nil {
		t.Fatal(err)
	}
	if st, out := sign(tok, map[string]any{"url": "/is/image/acme/shoe?wid=20"}); st != http.StatusForbidden {
		t.Errorf("sign as a member = %d %v, want 403", st, out)
	}
}
