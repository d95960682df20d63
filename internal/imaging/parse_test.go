package imaging

import (
	"strings"
	"testing"

	"github.com/vitrine/vitrine"
)

// testPresets are company presets; Large is DMC's own example (notes §1.5).
var testPresets = map[string]string{
	"Large":  "wid=250&fmt=jpeg&qlt=80,0&resMode=sharp&op_usm=1.1,0.5,1,0",
	"thumb":  "?wid=75&hei=75&fit=crop",
	"nested": "$thumb$&fmt=png",
	"loop":   "wid=1&$loop$",
	"bad":    "wid=-1",
	"png":    "fmt=png-alpha",
}

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, query string
		want        string // CacheKey
	}{
		{"empty", "", ""},
		{"leading question mark", "?wid=100", "wid=100"},
		{"basic", "wid=250&hei=100", "wid=250&hei=100"},
		{"preset expands", "$Large$", "wid=250&op_usm=1.1,0.5,1,0&resmode=sharp2&qlt=80,0"},
		{"preset overrides command before it", "wid=100&$Large$", "wid=250&op_usm=1.1,0.5,1,0&resmode=sharp2&qlt=80,0"},
		{"command after preset overrides it", "$Large$&wid=100&qlt=90", "wid=100&op_usm=1.1,0.5,1,0&resmode=sharp2&qlt=90,0"},
		{"preset name case-insensitive", "$LARGE$", "wid=250&op_usm=1.1,0.5,1,0&resmode=sharp2&qlt=80,0"},
		{"nested preset", "$nested$", "wid=75&hei=75&fit=crop,0&fmt=png"},
		{"preset keeps other commands", "hei=50&$png$", "hei=50&fmt=png-alpha"},
		{"comment ignored", "wid=100&.2024-01-01T10:00&hei=50", "wid=100&hei=50"},
		{"comment with equals", "wid=100&.x=y", "wid=100"},
		{"unknown commands ignored", "foo=bar&wid=10&layer=1&$var=3", "wid=10"},
		{"command names case-insensitive", "WID=100&Hei=50&FMT=PNG&ResMode=BiCub", "wid=100&hei=50&resmode=bicub&fmt=png"},
		{"values keep case", "id=AbC&defaultImage=Shoe_Default", "id=AbC&defaultimage=Shoe_Default"},
		{"encoded value", "id=a%26b%3Dc&defaultImage=my%20default", "id=a%26b%3Dc&defaultimage=my%20default"},
		{"encoded name", "wi%64=100", "wid=100"},
		{"encoded comma", "bgc=255%2C0%2C0", "bgc=FF0000"},
		{"empty modifiers", "&&wid=1&&", "wid=1"},
		{"last wins", "wid=1&wid=2", "wid=2"},
		{"fit", "wid=1&hei=2&fit=crop,1", "wid=1&hei=2&fit=crop,1"},
		{"fit upscale reset", "wid=1&hei=2&fit=crop,1&fit=crop", "wid=1&hei=2&fit=crop,0"},
		{"align", "wid=1&hei=2&align=-1,1", "wid=1&hei=2&align=-1,1"},
		{"crop", "crop=10,20,300,400", "crop=10,20,300,400"},
		{"crop past edges", "crop=-10,-20,300,400", "crop=-10,-20,300,400"},
		{"cropN", "cropN=0.1,0.2,0.5,0.5", "cropn=0.1,0.2,0.5,0.5"},
		{"crop and cropN share a slot", "crop=1,2,3,4&cropN=0.1,0.2,0.5,0.5", "cropn=0.1,0.2,0.5,0.5"},
		// Sites send all zeros for "no crop"; live Scene7 serves the whole image.
		{"crop all zeros", "crop=0,0,0,0&wid=10", "wid=10"},
		{"cropN all zeros", "cropN=0,0,0,0", ""},
		{"crop zeros clears an earlier crop", "crop=1,2,3,4&crop=0,0,0,0", ""},
		{"fmt pjpg", "fmt=pjpg", "fmt=pjpeg"},
		{"rect", "rect=0,0,256,256", "rect=0,0,256,256"},
		{"rotate", "rotate=90", "rotate=90"},
		{"flip", "flip=LRUD", "flip=lrud"},
		{"sharpen", "op_sharpen=1", "op_sharpen=1"},
		{"usm short", "op_usm=1,2", "op_usm=1,2,0,0"},
		{"resMode sharp alias", "resMode=sharp", "resmode=sharp2"},
		{"fmt pixel type", "fmt=webp,rgb", "fmt=webp"},
		{"fmt tiff", "fmt=tiff", "fmt=tif"},
		{"qlt chroma", "qlt=90,1", "qlt=90,1"},
		{"dpr", "wid=3&dpr=on,2", "wid=3&dpr=on,2"},
		{"cache off", "cache=off", "cache=off,off"},
		{"cache split", "cache=on,off", "cache=on,off"},
		{"req props json", "req=props,json", "req=props,json"},
		{"req default text", "req=imageprops", "req=imageprops"},
		{"req img", "req=img", ""},
		// Viewers send the encoding (the Image Serving reference: req=type[,format[,encoding]]).
		{"req encoding", "req=set,json,UTF-8", "req=set,json"},
		{"req encoding lower", "req=imageprops,xml,utf-8", "req=imageprops,xml"},
		{"sig and exp dropped", "wid=5&sig=abc&exp=1700000000", "wid=5"},
		{"id empty", "id=", "id="},
		{"plus is space", "id=a+b", "id=a%20b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := Parse(tt.query, testPresets)
			if err != nil {
				t.Fatalf("Parse(%q) error %v", tt.query, err)
			}
			if got := r.CacheKey(); got != tt.want {
				t.Errorf("Parse(%q).CacheKey() = %q, want %q", tt.query, got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, query string
		want        string // in the message
	}{
		{"wid zero", "wid=0", `wid="0"`},
		{"wid text", "wid=abc", `wid="abc"`},
		{"wid empty", "wid", `wid=""`},
		{"hei negative", "hei=-5", `hei="-5"`},
		{"scl zero", "scl=0", `scl="0"`},
		{"scl nan", "scl=NaN", `scl="NaN"`},
		{"scl hex float", "scl=0x1p-2", `scl="0x1p-2"`},
		{"fit mode", "fit=bogus", `fit="bogus"`},
		{"fit upscale", "fit=fit,2", `fit="fit,2"`},
		{"align range", "align=2,0", `align="2,0"`},
		{"align arity", "align=1", `align="1"`},
		{"crop empty", "crop=0,0,0,10", `crop="0,0,0,10"`},
		{"crop arity", "crop=1,2,3", `crop="1,2,3"`},
		{"cropN zero", "cropN=0,0,0,1", `cropn="0,0,0,1"`},
		{"rect negative", "rect=-1,0,10,10", `rect="-1,0,10,10"`},
		{"rect scale", "rect=0,0,10,10,2", `rect="0,0,10,10,2"`},
		{"rotate 45", "rotate=45", `rotate="45"`},
		{"flip", "flip=diag", `flip="diag"`},
		{"bgc hex", "bgc=GGGGGG", `bgc="GGGGGG"`},
		{"bgc length", "bgc=FFF", `bgc="FFF"`},
		{"bgc gray without prefix", "bgc=80", `bgc="80"`},
		{"bgc decimal range", "bgc=256,0,0", `bgc="256,0,0"`},
		{"bgc cmyk", "bgc=0,0,0,0,k", `bgc="0,0,0,0,k"`},
		{"sharpen", "op_sharpen=2", `op_sharpen="2"`},
		{"usm amount", "op_usm=6,1,0,0", `op_usm="6,1,0,0"`},
		{"usm radius", "op_usm=1,300", `op_usm="1,300"`},
		{"resMode", "resMode=nearest", `resmode="nearest"`},
		{"fmt", "fmt=bmp", `fmt="bmp"`},
		{"fmt pixel type", "fmt=png8,gray", `fmt="png8,gray"`},
		{"qlt", "qlt=101", `qlt="101"`},
		{"qlt chroma", "qlt=80,3", `qlt="80,3"`},
		{"dpr", "dpr=maybe", `dpr="maybe"`},
		{"dpr ratio", "dpr=on,0", `dpr="on,0"`},
		{"cache", "cache=validate", `cache="validate"`},
		{"req type", "req=tmb", `req="tmb"`},
		{"req format", "req=props,html", `req="props,html"`},
		{"req img format", "req=img,json", `req="img,json"`},
		{"req encoding", "req=set,json,UTF-16", `req="set,json,UTF-16"`},
		{"exp", "exp=soon", `exp="soon"`},
		{"bad encoding", "wid=%zz", `wid="%zz"`},
		{"bad encoding in name", "w%zzid=1", "bad URL encoding"},
		{"unknown preset", "$nope$", `unknown preset "$nope$"`},
		{"preset loop", "$loop$", "nested deeper"},
		{"bad value in preset", "$bad$", `wid="-1"`},
		{"too long", "id=" + strings.Repeat("x", maxQueryLen), "longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(tt.query, testPresets)
			if code := vitrine.ErrorCode(err); code != vitrine.EINVALID {
				t.Fatalf("Parse(%q) error %v (code %q), want %s", tt.query, err, code, vitrine.EINVALID)
			}
			if msg := vitrine.ErrorMessage(err); !strings.Contains(msg, tt.want) {
				t.Errorf("Parse(%q) message %q, want it to contain %q", tt.query, msg, tt.want)
			}
		})
	}
}

func TestParseAccessors(t *testing.T) {
	t.Parallel()
	r, err := Parse("req=props,XML&defaultImage=&cache=off,on&id=7&sig=s1&exp=99&fmt=webp-alpha", nil)
	if err != nil {
		t.Fatal(err)
	}
	if kind, format := r.Req(); kind != ReqProps || format != "xml" {
		t.Errorf("Req() = %q, %q, want props, xml", kind, format)
	}
	if r.DefaultImage() != "" || !r.DefaultImageOff() {
		t.Errorf("DefaultImage() = %q, off %v; want empty and off", r.DefaultImage(), r.DefaultImageOff())
	}
	if r.CacheControl() || !r.ServerCache() {
		t.Errorf("CacheControl() = %v, ServerCache() = %v; want false, true", r.CacheControl(), r.ServerCache())
	}
	if sig, exp := r.Signature(); sig != "s1" || exp != 99 || r.ID() != "7" {
		t.Errorf("Signature() = %q, %d, ID() = %q", sig, exp, r.ID())
	}
	if r.Format() != "webp-alpha" {
		t.Errorf("Format() = %q", r.Format())
	}
	d, _ := Parse("", nil)
	if kind, format := d.Req(); kind != ReqImg || format != "" || !d.CacheControl() || d.DefaultImageOff() || d.Format() != "jpeg" {
		t.Errorf("defaults: Req() = %q, %q, CacheControl() = %v, DefaultImageOff() = %v, Format() = %q",
			kind, format, d.CacheControl(), d.DefaultImageOff(), d.Format())
	}
	dr, _ := Parse("wid=10&hei=20&fmt=png&qlt=50&rotate=90&bgc=000000", nil)
	if got, want := dr.DefaultImageRequest().CacheKey(), "wid=10&hei=20&fmt=png&qlt=50,0"; got != want {
		t.Errorf("DefaultImageRequest().CacheKey() = %q, want %q", got, want)
	}
}

func TestPresetOnly(t *testing.T) {
	t.Parallel()
	tests := []struct {
		query string
		want  bool
	}{
		{"$Large$", true},
		{"$Large$&.comment&sig=x&exp=5", true},
		{"$Large$&foo=bar", true}, // unknown commands do nothing
		{"", false},               // no preset: the original size, not "presets only" (issue 15, item 9)
		{".comment", false},       // nor a comment alone
		{"sig=x&exp=5", false},
		{"$Large$&wid=10", false},
		{"wid=10", false},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			t.Parallel()
			r, err := Parse(tt.query, testPresets)
			if err != nil {
				t.Fatal(err)
			}
			if got := r.PresetOnly(); got != tt.want {
				t.Errorf("Parse(%q).PresetOnly() = %v, want %v", tt.query, got, tt.want)
			}
		})
	}
}
