package main_test

import (
	"bytes"
	"image"
	"image/color"
	_ "image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// writeSalient writes a w×h PNG: a flat grey background with one bright,
// detailed object, a red and white checked disc of radius r at (cx, cy).
func writeSalient(t *testing.T, dir, name string, w, h, cx, cy, r int) string {
	t.Helper()
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{96, 96, 96, 255}
			if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r {
				c = color.NRGBA{255, 255, 255, 255}
				if (x/8+y/8)%2 == 0 {
					c = color.NRGBA{255, 0, 0, 255}
				}
			}
			m.SetNRGBA(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// redPixels counts the clearly red pixels of an encoded image and returns
// the image's size.
func redPixels(t *testing.T, body []byte) (int, image.Point) {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r>>8 > 180 && g>>8 < 90 && bl>>8 < 90 {
				n++
			}
		}
	}
	return n, b.Size()
}

// TestSmartCropEndToEnd (issue 14, Smart Crop "done when"): an image
// uploaded into a folder whose image profile has three crops gets them at
// once; each crop URL, fetched through a real edge, has the crop's size;
// the attention crop holds the salient object of a synthetic image; a
// crop adjusted through the API purges the edge and serves the new box.
func TestSmartCropEndToEnd(t *testing.T) {
	t.Parallel()
	const secret = "e2e-smartcrop-secret-0123456789"
	edgeAddr := freeAddr(t)
	s := startServer(t, "--edges", "http://"+edgeAddr, "--purge-secret", secret)
	startEdge(t, s.url, edgeAddr, secret)
	edge := &server{url: "http://" + edgeAddr}

	if st, out := s.api(t, s.token, "POST", "/companies/demo/folders", map[string]any{"path": "/products"}); st != 201 {
		t.Fatalf("create folder = %d %v", st, out)
	}
	profile := map[string]any{"crops": []map[string]any{
		{"name": "Square", "width": 300, "height": 300},
		{"name": "Portrait", "width": 200, "height": 400},
		{"name": "Banner", "width": 800, "height": 200},
	}}
	if st, out := s.api(t, s.token, "PUT", "/companies/demo/folder-profiles/products", profile); st != 200 {
		t.Fatalf("PUT profile = %d %v", st, out)
	}
	// 1200×800, the object right of centre: a centred square (x 200..1000)
	// would cut it; attention must move the box right.
	const cx, cy, r = 960, 300, 90
	s.cli(t, s.token, "upload", "--folder", "/products", writeSalient(t, t.TempDir(), "hero.png", 1200, 800, cx, cy, r))

	st, out := s.api(t, s.token, "GET", "/companies/demo/assets/hero/crops", nil)
	crops, _ := out["crops"].([]any)
	if st != 200 || len(crops) != 3 {
		t.Fatalf("GET crops = %d %v", st, out)
	}
	for _, c := range crops {
		c := c.(map[string]any)
		b := c["box"].(map[string]any)
		x, y, w, h := int(b["x"].(float64)), int(b["y"].(float64)), int(b["w"].(float64)), int(b["h"].(float64))
		// The box holds the object across its short side: all of it where it is wider than the object.
		if x > cx-r || x+w < cx+r || (h >= 2*r && (y > cy-r || y+h < cy+r)) {
			t.Errorf("crop %s box %d,%d,%d,%d does not hold the object at %d,%d r %d", c["name"], x, y, w, h, cx, cy, r)
		}
	}

	for _, c := range []struct {
		name string
		want image.Point
	}{{"Square", image.Pt(300, 300)}, {"Portrait", image.Pt(200, 400)}, {"Banner", image.Pt(800, 200)}} {
		path := "/is/image/demo/hero:" + c.name
		resp, body := edge.get(t, path)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s = %d %s", path, resp.StatusCode, body)
		}
		red, size := redPixels(t, body)
		if size != c.want || red < 100 {
			t.Errorf("GET %s = %v with %d red pixels, want %v holding the object", path, size, red, c.want)
		}
	}
	// Modifiers apply after the crop.
	if resp, body := edge.get(t, "/is/image/demo/hero:Square?wid=100&fmt=png"); resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
		t.Errorf("hero:Square?wid=100&fmt=png = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	} else if _, size := redPixels(t, body); size != image.Pt(100, 100) {
		t.Errorf("hero:Square?wid=100 = %v, want 100x100", size)
	}
	if resp, _ := edge.get(t, "/is/image/demo/hero:Nope"); resp.StatusCode != 403 {
		t.Errorf("unknown crop = %d, want 403 as for an unknown image", resp.StatusCode)
	}

	const sq = "/is/image/demo/hero:Square"
	before, _ := edge.get(t, sq)
	if before.Header.Get("X-Cache") != "HIT" {
		t.Fatalf("second GET %s through the edge: X-Cache %q, want HIT", sq, before.Header.Get("X-Cache"))
	}
	// The user moves the square to the left edge, away from the object.
	st, out = s.api(t, s.token, "PUT", "/companies/demo/assets/hero/crops/Square", map[string]any{"x": 0, "y": 0, "w": 800, "h": 800})
	if st != 200 || out["adjusted"] != true {
		t.Fatalf("PUT crop = %d %v", st, out)
	}
	after, body := edge.get(t, sq)
	red, size := redPixels(t, body)
	if after.StatusCode != 200 || after.Header.Get("X-Cache") == "HIT" || after.Header.Get("ETag") == before.Header.Get("ETag") {
		t.Errorf("after adjusting: %d X-Cache %q ETag %s (was %s); want the edge purged and a new rendition",
			after.StatusCode, after.Header.Get("X-Cache"), after.Header.Get("ETag"), before.Header.Get("ETag"))
	}
	if size != image.Pt(300, 300) || red > 20 {
		t.Errorf("adjusted Square = %v with %d red pixels, want 300x300 without the object", size, red)
	}
	_, set := edge.get(t, "/is/image/demo/hero?req=set,json")
	if !bytes.Contains(set, []byte(`"relation":[{"n":"demo/hero:Banner"`)) || !bytes.Contains(set, []byte(`"SmartCropDef":"Square"`)) {
		t.Errorf("req=set,json = %s, want the three crops as set.relation[]", set)
	}
}
