package imaging

import (
	"encoding/binary"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
)

// Property names, order and value forms follow Adobe's req pages:
// r-imageprops.md and r-props.md (AdobeDocs/dynamic-media-developer-resources.en).
func TestImageProps(t *testing.T) {
	t.Parallel()
	meta := SourceMeta{ID: "acme/shoe", Version: "3", Modified: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Expiration: 10 * time.Hour}
	tests := []struct {
		name string
		info Info
		meta SourceMeta
		want []Prop
	}{
		{"r-imageprops.md: every property Vitrine knows, upright, anchor at the centre (r-anchor.md default)",
			Info{Source: Source{Width: 2000, Height: 1501, Orientation: 6}, Format: "jpeg", PixelType: "cmyk", ICC: true,
				ICCName: "U.S. Web Coated (SWOP) v2", PrintRes: 300}, meta,
			[]Prop{
				{"image.anchor", "750,1000"}, {"image.embeddedIccProfile", "1"}, {"image.expiration", "10"},
				{"image.format", "jpeg"}, {"image.height", "2000"}, {"image.iccProfile", "U.S. Web Coated (SWOP) v2"},
				{"image.mask", "0"}, {"image.modifier", ""}, {"image.pixTyp", "CMYK"}, {"image.postModifier", ""},
				{"image.printRes", "300"}, {"image.timeStamp", "Fri Jan 02 03:04:05 GMT 2026"},
				{"image.translatedId", "acme/shoe"}, {"image.version", "3"}, {"image.width", "1501"},
			}},
		{"r-imageprops.md: image.mask 2 is non-premultiplied alpha; BW names gray; unknown profile, resolution and time omitted",
			Info{Source: Source{Width: 20, Height: 10}, Format: "png", PixelType: "gray", Alpha: true},
			SourceMeta{Expiration: 90 * time.Minute},
			[]Prop{
				{"image.anchor", "10,5"}, {"image.embeddedIccProfile", "0"}, {"image.expiration", "1.5"},
				{"image.format", "png"}, {"image.height", "10"}, {"image.mask", "2"}, {"image.modifier", ""},
				{"image.pixTyp", "BW"}, {"image.postModifier", ""}, {"image.width", "20"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, ImageProps(tt.info, tt.meta)); diff != "" {
				t.Errorf("ImageProps (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReplyProps(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		query string
		meta  ReplyMeta
		want  []Prop
	}{
		{"r-props.md: image.quality an integer, image.length of the cached reply, metadata.version",
			"wid=300&hei=300&fmt=png-alpha&qlt=90,1&bgc=ff0080", ReplyMeta{Length: 1234, Version: "7", MetadataVersion: "ab12"},
			[]Prop{
				{"image.bgc", "0xff0080"}, {"image.height", "300"}, {"image.iccEmbed", "0"}, {"image.iccProfile", "sRGB IEC61966-2.1"},
				{"image.length", "1234"}, {"image.mask", "1"}, {"image.pathEmbed", "0"}, {"image.pixTyp", "RGB"},
				{"image.quality", "90"}, {"image.type", "image/png"}, {"image.width", "300"}, {"image.xmpEmbed", "0"},
				{"image.version", "7"}, {"metadata.version", "ab12"},
			}},
		{"r-props.md: image.length 0 when the reply is not cached; the company JpegQuality",
			"wid=100", ReplyMeta{},
			[]Prop{
				{"image.bgc", "0xffffff"}, {"image.height", "75"}, {"image.iccEmbed", "0"}, {"image.iccProfile", "sRGB IEC61966-2.1"},
				{"image.length", "0"}, {"image.mask", "0"}, {"image.pathEmbed", "0"}, {"image.pixTyp", "RGB"},
				{"image.quality", "80"}, {"image.type", "image/jpeg"}, {"image.width", "100"}, {"image.xmpEmbed", "0"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := mustPlan(t, tt.query, Source{Width: 2000, Height: 1500}, Settings{})
			if diff := cmp.Diff(tt.want, ReplyProps(p, tt.meta)); diff != "" {
				t.Errorf("ReplyProps(%q) (-want +got):\n%s", tt.query, diff)
			}
		})
	}
	if got := ExistsProps(false); !cmp.Equal(got, []Prop{{"catalogRecord.exists", "0"}}) {
		t.Errorf("ExistsProps(false) = %v (r-exists.md: catalogRecord.exists=0)", got)
	}
}

func TestJavaDate(t *testing.T) {
	t.Parallel()
	// r-text-java-properties.md: "#S7Z OK", then "#" and the time stamp,
	// written the way java.util.Date prints (Properties.store).
	at := time.Date(2026, 12, 4, 3, 4, 5, 0, time.FixedZone("CET", 3600))
	if got, want := JavaDate(at), "Fri Dec 04 02:04:05 GMT 2026"; got != want {
		t.Errorf("JavaDate(%v) = %q, want %q", at, got, want)
	}
}

// iccProfile builds a profile holding one description tag.
func iccProfile(tag []byte) []byte {
	p := make([]byte, 144, 144+len(tag))
	binary.BigEndian.PutUint32(p[128:], 1)
	copy(p[132:], "desc")
	binary.BigEndian.PutUint32(p[136:], 144)
	binary.BigEndian.PutUint32(p[140:], uint32(len(tag)))
	return append(p, tag...)
}

func TestICCDescription(t *testing.T) {
	t.Parallel()
	v2 := append([]byte("desc\x00\x00\x00\x00\x00\x00\x00\x12"), "sRGB IEC61966-2.1\x00"...)
	name := utf16.Encode([]rune("Display P3"))
	v4 := make([]byte, 28)
	copy(v4, "mluc")
	binary.BigEndian.PutUint32(v4[8:], 1)
	binary.BigEndian.PutUint32(v4[12:], 12)
	copy(v4[16:], "enUS")
	binary.BigEndian.PutUint32(v4[20:], uint32(2*len(name)))
	binary.BigEndian.PutUint32(v4[24:], 28)
	for _, u := range name {
		v4 = binary.BigEndian.AppendUint16(v4, u)
	}
	tests := []struct {
		name    string
		profile []byte
		want    string
	}{
		{"ICC v2 textDescriptionType", iccProfile(v2), "sRGB IEC61966-2.1"},
		{"ICC v4 multiLocalizedUnicodeType", iccProfile(v4), "Display P3"},
		{"too short", []byte("desc"), ""},
		{"tag past the end", iccProfile(v2)[:150], ""},
		{"no profile", nil, ""},
	}
	for _, tt := range tests {
		if got := iccDescription(tt.profile); got != tt.want {
			t.Errorf("%s: iccDescription = %q, want %q", tt.name, got, tt.want)
		}
	}
	for _, tc := range []struct {
		pxPerMM float64
		want    int
	}{{0, 0}, {1, 0}, {2.834645669, 72}, {11.811023622, 300}} {
		if got := printRes(tc.pxPerMM); got != tc.want {
			t.Errorf("printRes(%v) = %d, want %d", tc.pxPerMM, got, tc.want)
		}
	}
}
