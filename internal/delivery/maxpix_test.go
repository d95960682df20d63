package delivery_test

import (
	"bytes"
	"context"
	"image"
	"testing"

	"github.com/vitrine/vitrine"
)

// TestMaxPixRaisedPerCompany (issue 14, Limits): a company may raise
// max_pix up to 5000×5000, Scene7's Publish Setup ceiling (notes §1.8);
// the reply size is still checked from the stored dimensions, so a reply
// above it answers 403 without a render.
func TestMaxPixRaisedPerCompany(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.put(t, "shoe", "/", nil) // 20×10
	ctx := context.Background()
	if _, err := e.db.UpdateSettings(ctx, e.p.Company.ID, []byte(`{"max_pix":[5001,5000]}`)); vitrine.ErrorCode(err) != vitrine.EINVALID {
		t.Fatalf("max_pix 5001×5000: error %v, want %s", err, vitrine.EINVALID)
	}
	if r, _ := e.get(t, "/is/image/acme/shoe?wid=3200"); r.StatusCode != 403 {
		t.Errorf("wid=3200 with the default max_pix = %d, want 403", r.StatusCode)
	}
	if _, err := e.db.UpdateSettings(ctx, e.p.Company.ID, []byte(`{"max_pix":[5000,5000]}`)); err != nil {
		t.Fatal(err)
	}
	r, body := e.get(t, "/is/image/acme/shoe?wid=3200")
	cfg, _, err := image.DecodeConfig(bytes.NewReader(body))
	if r.StatusCode != 200 || err != nil || cfg.Width != 3200 || cfg.Height != 1600 {
		t.Fatalf("wid=3200 with max_pix 5000×5000 = %d, %dx%d (%v), want 200 3200x1600", r.StatusCode, cfg.Width, cfg.Height, err)
	}
	renders := e.h.Stats().Renders.Load()
	for _, q := range []string{"wid=5001", "hei=5001", "wid=5000&hei=5001"} {
		if r, _ := e.get(t, "/is/image/acme/shoe?"+q); r.StatusCode != 403 || r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("?%s = %d %q, want 403 no-store", q, r.StatusCode, r.Header.Get("Cache-Control"))
		}
	}
	if n := e.h.Stats().Renders.Load(); n != renders {
		t.Errorf("%d renders ran for replies above max_pix, want none", n-renders)
	}
}
