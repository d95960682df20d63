package testenv

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// Pattern is a w×h RGBA image whose pixels derive from seed, so two seeds
// give two different files (two digests) of the same size.
func Pattern(w, h int, seed byte) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range m.Pix {
		m.Pix[i] = byte(i) + seed
	}
	return m
}

// JPEG encodes Pattern(w, h, seed) as a baseline JPEG.
func JPEG(t testing.TB, w, h int, seed byte) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, Pattern(w, h, seed), nil); err != nil {
		t.Fatalf("encode JPEG: %v", err)
	}
	return b.Bytes()
}

// PNG encodes a w×h transparent image with one red pixel at (0, 0) and,
// unless seed is 0, a grey pixel of that value next to it.
func PNG(t testing.TB, w, h int, seed byte) []byte {
	t.Helper()
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	m.Set(0, 0, color.NRGBA{255, 0, 0, 255})
	if w > 1 && seed != 0 {
		m.Set(1, 0, color.NRGBA{seed, seed, seed, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatalf("encode PNG: %v", err)
	}
	return b.Bytes()
}

// WriteFile writes data to dir/name and returns the path.
func WriteFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
