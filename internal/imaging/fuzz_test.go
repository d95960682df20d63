package imaging

import (
	"testing"

	"github.com/vitrine/vitrine"
)

// FuzzParse checks that Parse never panics, that it fails only with
// EINVALID, that a cache key parses back to itself, and that every
// accepted request can be planned without panicking. The seeds run in every
// plain `go test`.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"", "wid=250", "$Large$&wid=100", "wid=100&.comment&hei=50", "WID=1&Fmt=PNG", "id=a%26b",
		"wid=300&hei=300&fit=crop,1&align=-1,1", "crop=-10,-10,50,50&rotate=-90&flip=lrud", "cropN=0.1,0.1,0.8,0.8",
		"bgc=0xff&op_usm=1,2,3,1&resMode=sharp", "fmt=png8&qlt=10,1&dpr=on,3", "rect=0,0,16,16&scl=0.25",
		"req=props,json&cache=off,on&defaultImage=&sig=x&exp=1", "fmt=tif-alpha,gray,zip", "fmt=webp,,lossless", "fmt=jpeg,cmyk",
		"fmt=gif-alpha&quantize=adaptive,off,2,000000,ffffff", "quantize=mac&fmt=png8-alpha", "fmt=png8&quantize=web,,9", "%zz", "$loop$", "$nope$", "wid=1&wid=", "&&&", "$$",
	} {
		f.Add(seed)
	}
	src := Source{Width: 640, Height: 480, Orientation: 6}
	f.Fuzz(func(t *testing.T, q string) {
		r, err := Parse(q, testPresets)
		if err != nil {
			if code := vitrine.ErrorCode(err); code != vitrine.EINVALID {
				t.Fatalf("Parse(%q) error code %q, want %s: %v", q, code, vitrine.EINVALID, err)
			}
			return
		}
		k := r.CacheKey()
		r2, err := Parse(k, nil)
		if err != nil {
			t.Fatalf("Parse(%q) key %q does not parse: %v", q, k, err)
		}
		if k2 := r2.CacheKey(); k2 != k {
			t.Fatalf("Parse(%q) key %q reparses to %q", q, k, k2)
		}
		p, err := NewPlan(r, src, DefaultSettings())
		if err != nil {
			if code := vitrine.ErrorCode(err); code == vitrine.EINTERNAL {
				t.Fatalf("NewPlan for %q: %v", q, err)
			}
			return
		}
		if p.Width < 1 || p.Height < 1 || p.Width > 3000 || p.Height > 3000 {
			t.Fatalf("NewPlan for %q: reply %dx%d", q, p.Width, p.Height)
		}
	})
}
