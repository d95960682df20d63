package delivery_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vitrine/vitrine"
)

// putPNG stores img as a PNG asset name of p's company, published, and
// returns its digest.
func (e *env) putPNG(t *testing.T, p *vitrine.Principal, name string, img image.Image) string {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b.Bytes())
	digest := hex.EncodeToString(sum[:])
	tmp := filepath.Join(e.blobs.SpoolDir(), "t-"+name+digest[:8])
	if err := os.WriteFile(tmp, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := e.blobs.PutFile(context.Background(), digest, tmp); err != nil {
		t.Fatal(err)
	}
	bd := img.Bounds()
	_, err := e.db.Ingest(context.Background(), p, []vitrine.NewFile{{Filename: name + ".png", Type: vitrine.TypeImage, Format: "png",
		MIME: "image/png", Ext: "png", Width: bd.Dx(), Height: bd.Dy(), SHA256: digest, Size: int64(b.Len())}}, vitrine.UploadOptions{Folder: "/"})
	if err != nil {
		t.Fatal(err)
	}
	return digest
}

func flat(w, h int, c color.NRGBA) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(m.Pix); i += 4 {
		copy(m.Pix[i:], []byte{c.R, c.G, c.B, c.A})
	}
	return m
}

// TestLayersDelivery (issue 14, layers): a composite of two published
// assets of the company; a src that is unpublished, missing or another
// company's answers 403 like a missing image; the composite carries the
// surrogate keys of both assets; republishing the layer source gives new
// pixels under a new ETag.
func TestLayersDelivery(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	grey, red, blue := color.NRGBA{128, 128, 128, 255}, color.NRGBA{255, 0, 0, 255}, color.NRGBA{0, 0, 255, 255}
	e.putPNG(t, e.p, "photo", flat(40, 20, grey))
	e.putPNG(t, e.p, "badge", flat(10, 10, red))
	e.put(t, "draft", "/", func() *bool { b := false; return &b }())
	other, _ := e.db.CreateCompany(ctx, "other", "")
	u, _ := e.db.CreateUser(ctx, "bob", false)
	e.db.SetMembership(ctx, u.ID, other.ID, vitrine.RoleUser)
	op, err := e.db.Principal(ctx, u, "other")
	if err != nil {
		t.Fatal(err)
	}
	e.putPNG(t, op, "logo", flat(10, 10, blue))

	pixel := func(body []byte, x, y int) color.NRGBA {
		t.Helper()
		m, err := png.Decode(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		return color.NRGBAModel.Convert(m.At(x, y)).(color.NRGBA)
	}
	const q = "/is/image/acme/photo?layer=1&src=badge&pos=10,0&fmt=png"
	resp, body := e.get(t, q)
	if resp.StatusCode != 200 {
		t.Fatalf("composite = %d %s", resp.StatusCode, body)
	}
	if got := pixel(body, 30, 10); got != red {
		t.Errorf("badge pixel = %v, want %v", got, red)
	}
	if got := pixel(body, 5, 10); got != grey {
		t.Errorf("photo pixel = %v, want %v", got, grey)
	}
	if got := resp.Header.Get("Xkey"); got != "acme/photo acme/badge" {
		t.Errorf("Xkey = %q, want both assets", got)
	}
	// [CMD]r-src.md: src=rootId/id names the same asset.
	if r, b := e.get(t, "/is/image/acme/photo?layer=1&src=acme/badge&pos=10,0&fmt=png"); r.StatusCode != 200 || pixel(b, 30, 10) != red {
		t.Errorf("src=acme/badge = %d", r.StatusCode)
	}
	for _, src := range []string{"draft", "none", "other/logo", "logo"} {
		r, b := e.get(t, "/is/image/acme/photo?layer=1&src="+src+"&fmt=png")
		if r.StatusCode != 403 || !strings.Contains(string(b), "not found or not published") {
			t.Errorf("src=%s = %d %q, want 403 like a missing image", src, r.StatusCode, b)
		}
	}
	if r, b := e.get(t, "/is/image/acme/photo?layer=1&text=hi"); r.StatusCode != 403 || !strings.Contains(string(b), "text=") {
		t.Errorf("text= = %d %q, want 403 naming text=", r.StatusCode, b)
	}

	// Republish the layer source with other pixels.
	e.putPNG(t, e.p, "badge", flat(10, 10, blue))
	resp2, body2 := e.get(t, q)
	if resp2.StatusCode != 200 || resp2.Header.Get("ETag") == resp.Header.Get("ETag") {
		t.Fatalf("after republishing the src: %d, ETag %s then %s; want a new ETag", resp2.StatusCode, resp.Header.Get("ETag"), resp2.Header.Get("ETag"))
	}
	if got := pixel(body2, 30, 10); got != blue {
		t.Errorf("badge pixel after republishing = %v, want %v", got, blue)
	}
	if r, _ := e.get(t, q, "If-None-Match", resp.Header.Get("ETag")); r.StatusCode != 200 {
		t.Errorf("the old ETag = %d, want 200", r.StatusCode)
	}
}
