package delivery_test

import (
	"bytes"
	"image"
	"image/color"
	"testing"
)

// TestFormatValuesServed (issue 14, Format values): the fmt= and
// quantize= values reach the reply and its Content-Type; a combination
// the reference does not list is a request error, never cached.
func TestFormatValuesServed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.put(t, "shoe", "/", nil) // 20×10
	for q, mime := range map[string]string{
		"fmt=png8-alpha":     "image/png",
		"fmt=jpeg,gray":      "image/jpeg",
		"fmt=tif,,jpeg":      "image/tiff",
		"fmt=tif-alpha,,lzw": "image/tiff",
		"fmt=webp,,lossless": "image/webp",
		"fmt=gif&quantize=adaptive,off,2,000000,ffffff": "image/gif",
	} {
		r, body := e.get(t, "/is/image/acme/shoe?"+q)
		if r.StatusCode != 200 || r.Header.Get("Content-Type") != mime || len(body) == 0 {
			t.Errorf("?%s = %d %q, want 200 %s", q, r.StatusCode, r.Header.Get("Content-Type"), mime)
		}
	}
	_, body := e.get(t, "/is/image/acme/shoe?fmt=jpeg,gray")
	if m, _, err := image.Decode(bytes.NewReader(body)); err != nil || m.ColorModel() != color.GrayModel {
		t.Errorf("fmt=jpeg,gray decodes as %T (%v), want a gray JPEG", m, err)
	}
	for _, q := range []string{"fmt=png8,gray", "fmt=tif-alpha,,jpeg", "fmt=png,,zip", "fmt=gif&quantize=adaptive,off,1"} {
		if r, _ := e.get(t, "/is/image/acme/shoe?"+q); r.StatusCode < 400 || r.StatusCode >= 500 || r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("?%s = %d %q, want a request error, no-store", q, r.StatusCode, r.Header.Get("Cache-Control"))
		}
	}
}
