package delivery_test

import (
	"bytes"
	"context"
	"image"
	"net/http"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// cookieSessions is the workspace's session check as delivery sees it:
// the cookie "s" names the signed-in user.
type cookieSessions struct{ db *sqlstore.DB }

func (s cookieSessions) SessionUser(r *http.Request) (*vitrine.User, error) {
	c, err := r.Cookie("s")
	if err != nil {
		return nil, vitrine.Errorf(vitrine.EUNAUTHORIZED, "sign in")
	}
	return s.db.UserByName(r.Context(), c.Value)
}

// TestPreviewRendersLikeDelivery: preview applies modifiers as delivery
// does (not the original), never publicly cacheable, and a signed-in
// workspace member may open it in the browser.
func TestPreviewRendersLikeDelivery(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	e.h.UseSessions(cookieSessions{e.db})
	if _, err := e.db.CreateUser(ctx, "stranger", false); err != nil {
		t.Fatal(err)
	}
	sel := vitrine.PublishSelective
	e.db.CreateFolder(ctx, &e.p.Company, "/sel")
	if _, err := e.db.UpdateFolder(ctx, &e.p.Company, "/sel", sqlstore.FolderPatch{PublishMode: &sel}); err != nil {
		t.Fatal(err)
	}
	e.put(t, "shoe", "/sel", nil) // 20×10
	if _, err := e.db.Publish(ctx, e.p, sqlstore.Publication{Action: vitrine.ActionPublish, Assets: []string{"shoe"}}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path string
		hdr        []string
		status     int
		size       image.Point
	}{
		{"token, wid", "/preview/is/image/acme/shoe?wid=10", []string{"Authorization", "Bearer " + e.token}, 200, image.Pt(10, 5)},
		{"session, wid and hei", "/preview/is/image/acme/shoe?wid=8&hei=8&fit=constrain", []string{"Cookie", "s=ann"}, 200, image.Pt(8, 4)},
		{"session, png", "/preview/is/image/acme/shoe?hei=5&fmt=png", []string{"Cookie", "s=ann"}, 200, image.Pt(10, 5)},
		{"session of a non-member", "/preview/is/image/acme/shoe?wid=10", []string{"Cookie", "s=stranger"}, 403, image.Point{}},
		{"no session", "/preview/is/image/acme/shoe?wid=10", nil, 403, image.Point{}},
		{"props", "/preview/is/image/acme/shoe?req=imageprops,json", []string{"Cookie", "s=ann"}, 200, image.Point{}},
		{"content", "/preview/is/content/acme/shoe", []string{"Cookie", "s=ann"}, 200, image.Pt(20, 10)},
	}
	for _, tc := range cases {
		r, body := e.get(t, tc.path, tc.hdr...)
		if r.StatusCode != tc.status {
			t.Errorf("%s: %d, want %d", tc.name, r.StatusCode, tc.status)
			continue
		}
		if cc := r.Header.Get("Cache-Control"); tc.status == 200 && cc != "private, no-store" || r.Header.Get("Xkey") != "" {
			t.Errorf("%s: Cache-Control %q, Xkey %q; want private, no-store and no purge key", tc.name, cc, r.Header.Get("Xkey"))
		}
		if tc.size != (image.Point{}) {
			cfg, _, err := image.DecodeConfig(bytes.NewReader(body))
			if err != nil || image.Pt(cfg.Width, cfg.Height) != tc.size {
				t.Errorf("%s: %dx%d %v, want %v", tc.name, cfg.Width, cfg.Height, err, tc.size)
			}
		}
	}
	// Delivery still refuses: the asset is on preview only.
	if r, _ := e.get(t, "/is/image/acme/shoe?wid=10", "Cookie", "s=ann"); r.StatusCode != 403 {
		t.Errorf("delivery with a session = %d, want 403", r.StatusCode)
	}
}
