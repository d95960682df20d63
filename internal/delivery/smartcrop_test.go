package delivery_test

import (
	"bytes"
	"context"
	"image"
	_ "image/jpeg"
	"net/http"
	"strings"
	"testing"

	"github.com/vitrine/vitrine"
)

// TestSmartCropDelivery: /is/image/{co}/{id}:{crop} serves the crop's box
// at the crop's size with modifiers after it, under the asset's surrogate
// key; an unknown crop answers as an unknown image; a moved box is a new
// rendition (ETag and pixels); req=set,json lists the crops as
// set.relation[] with the userdata the AEM Core image component reads.
func TestSmartCropDelivery(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	e.put(t, "boot", "/", nil)
	vs, err := e.db.Versions(ctx, e.p.Company.ID, "boot")
	if err != nil {
		t.Fatal(err)
	}
	v := vs[0].ID
	if _, err := e.db.SaveCrops(ctx, v, []vitrine.SmartCrop{
		{Name: "Left", Width: 40, Height: 40, Box: vitrine.CropBox{X: 0, Y: 0, W: 10, H: 10}, SourceWidth: 20, SourceHeight: 10},
		{Name: "Wide", Width: 60, Height: 20, Box: vitrine.CropBox{X: 0, Y: 0, W: 20, H: 10}, SourceWidth: 20, SourceHeight: 10},
	}); err != nil {
		t.Fatal(err)
	}
	size := func(body []byte) image.Point {
		cfg, _, err := image.DecodeConfig(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		return image.Pt(cfg.Width, cfg.Height)
	}
	for _, c := range []struct {
		path string
		want image.Point
		mime string
	}{
		{"/is/image/acme/boot:Left", image.Pt(40, 40), "image/jpeg"},
		{"/is/image/acme/boot:Wide", image.Pt(60, 20), "image/jpeg"},
		{"/is/image/acme/boot:Left?wid=20", image.Pt(20, 20), "image/jpeg"},
		{"/is/image/acme/boot:Wide?wid=30&fmt=png", image.Pt(30, 10), "image/png"},
		{"/is/image/acme/boot:Left?crop=0,0,20,40", image.Pt(20, 40), "image/jpeg"},
	} {
		resp, body := e.get(t, c.path)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != c.mime {
			t.Errorf("GET %s = %d %s, want 200 %s", c.path, resp.StatusCode, resp.Header.Get("Content-Type"), c.mime)
			continue
		}
		if got := size(body); got != c.want {
			t.Errorf("GET %s = %v, want %v", c.path, got, c.want)
		}
		if k := resp.Header.Get("Xkey"); k != vitrine.SurrogateKey("acme", "boot") {
			t.Errorf("GET %s: Xkey %q, want the asset's key", c.path, k)
		}
	}
	unknownAsset, want := e.get(t, "/is/image/acme/nope")
	for _, p := range []string{"/is/image/acme/boot:Nope", "/is/image/acme/boot:", "/is/image/acme/nope:Left"} {
		resp, body := e.get(t, p)
		if resp.StatusCode != unknownAsset.StatusCode || !bytes.Equal(body, want) {
			t.Errorf("GET %s = %d %q, want %d %q as for an unknown image", p, resp.StatusCode, body, unknownAsset.StatusCode, want)
		}
	}

	before, oldBody := e.get(t, "/is/image/acme/boot:Left")
	if _, err := e.db.SetCrop(ctx, v, vitrine.SmartCrop{Name: "Left", Box: vitrine.CropBox{X: 10, Y: 0, W: 10, H: 10}, Adjusted: true}); err != nil {
		t.Fatal(err)
	}
	after, newBody := e.get(t, "/is/image/acme/boot:Left")
	if before.Header.Get("ETag") == after.Header.Get("ETag") || bytes.Equal(oldBody, newBody) {
		t.Errorf("a moved box served the old rendition (ETag %s)", after.Header.Get("ETag"))
	}

	resp, body := e.get(t, "/is/image/acme/boot?req=set,json")
	text := string(body)
	for _, want := range []string{
		`"relation":[{"n":"acme/boot:Left","userdata":{"SmartCropDef":"Left","SmartCropHeight":"40.0","SmartCropRect":"0.5,0,0.5,1,40,40","SmartCropWidth":"40.0"}},`,
		`{"n":"acme/boot:Wide","userdata":{"SmartCropDef":"Wide","SmartCropHeight":"20.0","SmartCropRect":"0,0,1,1,60,20","SmartCropWidth":"60.0"}}]`,
		`"type":"img"`,
	} {
		if resp.StatusCode != http.StatusOK || !strings.Contains(text, want) {
			t.Errorf("req=set,json = %d %s\nwant it to contain %s", resp.StatusCode, text, want)
		}
	}
	// One crop is still an array: the AEM Core image component reads
	// set.relation.length (image v3 site/js/imageDynamicMedia.js).
	e.put(t, "hat", "/", nil)
	hv, _ := e.db.Versions(ctx, e.p.Company.ID, "hat")
	if _, err := e.db.SaveCrops(ctx, hv[0].ID, []vitrine.SmartCrop{{Name: "Only", Width: 10, Height: 10, Box: vitrine.CropBox{W: 10, H: 10}, SourceWidth: 20, SourceHeight: 10}}); err != nil {
		t.Fatal(err)
	}
	if _, body := e.get(t, "/is/image/acme/hat?req=set,json"); !strings.Contains(string(body), `"relation":[{"n":"acme/hat:Only"`) {
		t.Errorf("req=set,json with one crop = %s, want relation as an array", body)
	}
	_, body = e.get(t, "/is/image/acme/boot?req=set,xml")
	if want := `<relation n="acme/boot:Left"><userdata SmartCropDef="Left" SmartCropHeight="40.0" SmartCropRect="0.5,0,0.5,1,40,40" SmartCropWidth="40.0"/></relation>`; !strings.Contains(string(body), want) {
		t.Errorf("req=set,xml = %s\nwant it to contain %s", body, want)
	}
}
