package delivery_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vitrine/vitrine/internal/delivery"
)

// putPattern stores and publishes a w×h photo-like PNG as asset name and
// returns its digest.
func (e *env) putPattern(t *testing.T, name string, w, h int) string {
	t.Helper()
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := 128 + 60*math.Sin(float64(x)/40) + 40*math.Cos(float64(y)/25)
			m.SetNRGBA(x, y, color.NRGBA{uint8(v), uint8(255 - v), uint8(x * 255 / w), 255})
		}
	}
	return e.putPNG(t, e.p, name, m)
}

// TestPyramids: a large original's first render comes from the original
// and asks for its pyramid; once built, renders read it, with the same
// geometry; a small original gets none; the pyramid goes when the blob
// collection deletes its original.
func TestPyramids(t *testing.T) {
	built := make(chan string, 4)
	dir := filepath.Join(t.TempDir(), "pyramids")
	e := newEnvWith(t, func(c *delivery.Config) {
		c.PyramidDir = dir
		c.OnPyramid = func(d string, err error) {
			if err != nil && !errors.Is(err, context.Canceled) { // canceled: the handler closed
				t.Errorf("pyramid of %s: %v", d, err)
			}
			select {
			case built <- d:
			default:
			}
		}
	})
	small := e.putPattern(t, "small", 1200, 800)
	large := e.putPattern(t, "large", 2100, 1000)
	queries := []string{"wid=300", "crop=700,200,800,600&wid=200", "wid=400&hei=400&fit=crop", "rect=0,0,150,100&scl=4"}

	resp, _ := e.get(t, "/is/image/acme/small?wid=300&fmt=png")
	if resp.StatusCode != 200 || resp.Header.Get("X-Pyramid") != "" {
		t.Fatalf("small: %s, X-Pyramid %q, want 200 and none", resp.Status, resp.Header.Get("X-Pyramid"))
	}
	// Renders said "building" after they ran, so they read the original
	// (the build may finish during the later ones: those are not kept).
	before := map[string][]byte{}
	for i, q := range queries {
		resp, body := e.get(t, "/is/image/acme/large?fmt=png&"+q)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %s %s", q, resp.Status, body)
		}
		switch st := resp.Header.Get("X-Pyramid"); {
		case st == "building":
			before[q] = body
		case i == 0:
			t.Fatalf("%s: X-Pyramid %q before any build, want building", q, st)
		}
	}
	select {
	case d := <-built:
		if d != large {
			t.Fatalf("built the pyramid of %s, want only the large original's %s", d, large)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("no pyramid built")
	}
	if _, err := os.Stat(filepath.Join(dir, small[:2], small+".tif")); err == nil {
		t.Error("the small original has a pyramid")
	}
	for _, q := range queries {
		resp, body := e.get(t, "/is/image/acme/large?fmt=png&id=2&"+q)
		if resp.StatusCode != 200 || resp.Header.Get("X-Pyramid") != "ready" {
			t.Fatalf("%s: %s, X-Pyramid %q, want ready", q, resp.Status, resp.Header.Get("X-Pyramid"))
		}
		if before[q] == nil {
			continue
		}
		a, b := decodePNG(t, before[q]), decodePNG(t, body)
		if a.Bounds() != b.Bounds() {
			t.Fatalf("%s: %v from the pyramid, %v from the original", q, b.Bounds(), a.Bounds())
		}
		if d := meanDiff(a, b); d > 2 {
			t.Errorf("%s: mean difference %.2f of 255 between the renders from the pyramid and the original", q, d)
		}
	}

	if err := e.h.SweepPyramids(context.Background()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, large[:2], large+".tif")
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the sweep deleted a live original's pyramid: %v", err)
	}
	if err := e.blobs.Delete(context.Background(), large); err != nil {
		t.Fatal(err)
	}
	if err := e.h.SweepPyramids(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the pyramid of a deleted original is still there (%v)", err)
	}
}

func decodePNG(t *testing.T, b []byte) image.Image {
	t.Helper()
	m, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// meanDiff is the mean absolute difference of the RGB samples, 0-255.
func meanDiff(a, b image.Image) float64 {
	var sum float64
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r1, g1, b1, _ := a.At(x, y).RGBA()
			r2, g2, b2, _ := b.At(x, y).RGBA()
			sum += math.Abs(float64(r1)-float64(r2)) + math.Abs(float64(g1)-float64(g2)) + math.Abs(float64(b1)-float64(b2))
		}
	}
	return sum / float64(3*r.Dx()*r.Dy()) / 257
}
