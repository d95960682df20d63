package imaging

import (
	"testing"
)

// TestCacheKeyEquivalence checks that junk variants of one URL share a key
// and that different renditions do not.
func TestCacheKeyEquivalence(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		same []string
	}{
		{"jpeg spellings", []string{"wid=100", "wid=100&fmt=jpeg", "wid=100&fmt=jpg", "wid=100&fmt=JPG,rgb", "fmt=png&wid=100&fmt=jpeg"}},
		{"colour spellings", []string{"bgc=FFFFFF", "bgc=ffffff", "bgc=0xFFFFFF", "bgc=255,255,255", "bgc=FFFFFF80", "bgc=255,255,255,10", "bgc=0xff"}},
		{"order", []string{"wid=1&hei=2&fmt=png", "fmt=png&hei=2&wid=1", "HEI=2&Wid=1&FMT=png"}},
		{"numbers", []string{"scl=2", "scl=2.0", "scl=2.000", "scl=+2"}},
		{"rotate", []string{"rotate=270", "rotate=-90", "rotate=630", "rotate=270.0"}},
		{"rotate zero", []string{"", "rotate=0", "rotate=360", "rotate=-360"}},
		{"defaults dropped", []string{"", "dpr=off", "dpr=on", "dpr=on,1", "cache=on", "cache=on,on", "op_sharpen=0", "op_usm=0,0,0,0",
			"cropN=0,0,1,1", "align=0,0", "req=img", "flip=none", ".comment", "unknown=1", "sig=abc", "exp=12345"}},
		{"qlt chroma default", []string{"qlt=80", "qlt=80,0"}},
		{"fit upscale default", []string{"fit=crop", "fit=crop,0", "fit=CROP,0"}},
		{"presets", []string{"$thumb$", "wid=75&hei=75&fit=crop", "wid=9&$thumb$", "$thumb$&.c"}},
		{"usm", []string{"op_usm=1.5,2", "op_usm=1.50,2.0,0,0"}},
		{"fit without a size", []string{"", "fit=crop,1", "fit=stretch"}},
		{"fit with scl", []string{"scl=2", "scl=2&fit=crop", "scl=2&fit=wrap,1"}},
		{"default fit", []string{"wid=5&hei=5", "wid=5&hei=5&fit=fit", "wid=5&hei=5&fit=fit,0"}},
		{"one side, capped", []string{"wid=5&fit=crop", "wid=5&fit=constrain,0", "wid=5&fit=fit"}},
		{"one side, upscaled", []string{"wid=5", "wid=5&fit=crop,1"}},
		{"align without padding", []string{"wid=5", "wid=5&align=1,1", "wid=5&align=-1,0"}},
		{"align with constrain", []string{"wid=5&hei=5&fit=constrain", "wid=5&hei=5&fit=constrain&align=-1,-1", "wid=5&hei=5&fit=stretch,0&fit=constrain&align=1,0"}},
		{"bgc with an alpha format", []string{"fmt=png-alpha", "fmt=png-alpha&bgc=000000"}},
		{"dpr without a size", []string{"", "dpr=on,2"}},
		{"encoding", []string{"id=a b", "id=a+b", "id=a%20b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var first string
			for i, q := range tt.same {
				r, err := Parse(q, testPresets)
				if err != nil {
					t.Fatalf("Parse(%q) error %v", q, err)
				}
				if i == 0 {
					first = r.CacheKey()
				} else if got := r.CacheKey(); got != first {
					t.Errorf("Parse(%q).CacheKey() = %q, want %q (from %q)", q, got, first, tt.same[0])
				}
			}
		})
	}
}

func TestCacheKeyDistinct(t *testing.T) {
	t.Parallel()
	queries := []string{
		"", "wid=100", "hei=100", "wid=100&hei=100", "wid=100&hei=100&fit=constrain", "wid=100&hei=100&fit=fit,1",
		"fmt=png", "fmt=png-alpha", "fmt=pjpeg", "qlt=80", "qlt=80,1", "bgc=000000", "id=1", "id=2", "defaultImage=",
		"defaultImage=x", "req=props", "req=props,json", "cache=off", "cache=on,off", "rotate=90", "flip=lr",
		"crop=0,0,10,10", "cropN=0,0,0.5,0.5", "rect=0,0,10,10", "wid=100&hei=100&align=1,1", "op_sharpen=1", "op_usm=1,1", "resMode=bilin", "scl=2",
		"wid=100&dpr=on,2", "wid=100&fit=constrain", "wid=100&hei=100&fit=crop", "wid=100&hei=100&fit=crop,1", "scl=2&wid=100", "scl=2&wid=100&align=1,0",
		// issue 14: pixel types, compressions, palettes and the layer commands.
		"fmt=jpeg,gray", "fmt=jpeg,cmyk", "fmt=tif", "fmt=tif,,zip", "fmt=tif,,none", "fmt=tif,,jpeg", "fmt=tif-alpha",
		"fmt=webp", "fmt=webp,,lossless", "fmt=png8", "fmt=png8-alpha", "fmt=gif", "fmt=gif&quantize=web", "fmt=gif&quantize=web,off",
		"fmt=gif&quantize=adaptive,diffuse,16", "fmt=gif&quantize=adaptive,diffuse,16,FF0000", "size=10,0", "size=0,10",
		"extend=1,0,0,0", "extendN=0.1,0,0,0", "bgColor=FF0000", "wid=100&hei=100&fit=wrap", "wid=100&hei=100&fit=wrap&align=1,1",
	}
	seen := map[string]string{}
	for _, q := range queries {
		r, err := Parse(q, nil)
		if err != nil {
			t.Fatalf("Parse(%q) error %v", q, err)
		}
		k := r.CacheKey()
		if prev, ok := seen[k]; ok {
			t.Errorf("Parse(%q) and Parse(%q) share key %q", q, prev, k)
		}
		seen[k] = q
	}
}

// TestCacheKeyRoundTrip checks the key is itself a modifier string that
// parses back to the same key.
func TestCacheKeyRoundTrip(t *testing.T) {
	t.Parallel()
	for _, q := range []string{
		"$Large$&id=a%26b%25c&defaultImage=x%3Dy+z",
		"wid=1&hei=2&fit=stretch,1&scl=0.5&align=-0.5,1&cropN=0.1,0.1,0.5,0.5&rect=1,2,3,4&rotate=180&flip=ud&bgc=010203" +
			"&op_sharpen=1&op_usm=5,250,255,1&fmt=avif-alpha&qlt=1,1&dpr=on,1.5&cache=off,on&req=exists,xml",
		"size=200,0&extendN=0.1,-0.1,0,0.5&bgColor=0x00FF00FF&fmt=png8-alpha,rgb&quantize=adaptive,off,3,000000,FfFfFf",
	} {
		r, err := Parse(q, testPresets)
		if err != nil {
			t.Fatal(err)
		}
		k := r.CacheKey()
		r2, err := Parse(k, nil)
		if err != nil {
			t.Fatalf("Parse(%q) (a cache key) error %v", k, err)
		}
		if k2 := r2.CacheKey(); k2 != k {
			t.Errorf("Parse(%q).CacheKey() = %q, want it unchanged", k, k2)
		}
	}
}
