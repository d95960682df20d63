package vitrine

import (
	"strings"
	"testing"
)

func TestSmartCropBox(t *testing.T) {
	for _, c := range []struct {
		name                     string
		srcW, srcH, cropW, cropH int
		fx, fy                   float64
		want                     CropBox
	}{
		{"square in landscape, centred", 1000, 500, 100, 100, 500, 250, CropBox{250, 0, 500, 500}},
		{"square in landscape, focus left edge", 1000, 500, 100, 100, 10, 250, CropBox{0, 0, 500, 500}},
		{"square in landscape, focus right edge", 1000, 500, 100, 100, 990, 100, CropBox{500, 0, 500, 500}},
		{"square in landscape, focus off centre", 1000, 500, 300, 300, 700, 250, CropBox{450, 0, 500, 500}},
		{"portrait crop in landscape", 1200, 800, 400, 800, 300, 400, CropBox{100, 0, 400, 800}},
		{"landscape crop in portrait", 600, 1200, 1200, 600, 300, 900, CropBox{0, 750, 600, 300}},
		{"same aspect: whole image", 800, 600, 400, 300, 0, 0, CropBox{0, 0, 800, 600}},
		{"wide banner from square", 1000, 1000, 1920, 480, 500, 100, CropBox{0, 0, 1000, 250}},
		{"rounded height", 333, 1000, 100, 100, 166, 500, CropBox{0, 334, 333, 333}},
		{"tiny source", 1, 1, 300, 100, 0, 0, CropBox{0, 0, 1, 1}},
		{"no source", 0, 10, 1, 1, 0, 0, CropBox{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := SmartCropBox(c.srcW, c.srcH, c.cropW, c.cropH, c.fx, c.fy)
			if got != c.want {
				t.Errorf("SmartCropBox(%d, %d, %d, %d, %g, %g) = %+v, want %+v", c.srcW, c.srcH, c.cropW, c.cropH, c.fx, c.fy, got, c.want)
			}
		})
	}
}

func TestCheckCropBox(t *testing.T) {
	sq := CropDef{Name: "Square", Width: 300, Height: 300}
	wide := CropDef{Name: "Wide", Width: 1600, Height: 900}
	for _, c := range []struct {
		name string
		box  CropBox
		def  CropDef
		ok   bool
	}{
		{"square inside", CropBox{10, 10, 400, 400}, sq, true},
		{"square at the edge", CropBox{600, 400, 400, 400}, sq, true},
		{"one pixel off is rounding", CropBox{0, 0, 400, 401}, sq, true},
		{"within 1%", CropBox{0, 0, 1000, 565}, wide, true},
		{"wrong aspect", CropBox{0, 0, 400, 300}, sq, false},
		{"past the right edge", CropBox{700, 0, 400, 400}, sq, false},
		{"negative x", CropBox{-1, 0, 100, 100}, sq, false},
		{"empty", CropBox{0, 0, 0, 0}, sq, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := CheckCropBox(c.box, 1000, 800, c.def)
			if (err == nil) != c.ok {
				t.Errorf("CheckCropBox(%+v, 1000, 800, %v) = %v, want ok=%v", c.box, c.def, err, c.ok)
			}
			if err != nil && ErrorCode(err) != EINVALID {
				t.Errorf("code = %s, want %s", ErrorCode(err), EINVALID)
			}
		})
	}
}

func TestImageProfileValidate(t *testing.T) {
	many := ImageProfile{}
	for i := 0; i <= MaxProfileCrops; i++ {
		many.Crops = append(many.Crops, CropDef{Name: "c" + strings.Repeat("x", i), Width: 10, Height: 10})
	}
	for _, c := range []struct {
		name string
		p    ImageProfile
		ok   bool
	}{
		{"three crops", ImageProfile{Crops: []CropDef{{"Large", 1200, 800}, {"Medium", 600, 600}, {"Swatch-1_a", 40, 40}}}, true},
		{"none (explicit)", ImageProfile{}, true},
		{"largest side", ImageProfile{Crops: []CropDef{{"Big", 5000, 5000}}}, true},
		{"colon in name", ImageProfile{Crops: []CropDef{{"a:b", 10, 10}}}, false},
		{"space in name", ImageProfile{Crops: []CropDef{{"a b", 10, 10}}}, false},
		{"empty name", ImageProfile{Crops: []CropDef{{"", 10, 10}}}, false},
		{"long name", ImageProfile{Crops: []CropDef{{strings.Repeat("a", 65), 10, 10}}}, false},
		{"duplicate regardless of case", ImageProfile{Crops: []CropDef{{"Large", 10, 10}, {"large", 20, 20}}}, false},
		{"zero width", ImageProfile{Crops: []CropDef{{"a", 0, 10}}}, false},
		{"too tall", ImageProfile{Crops: []CropDef{{"a", 10, 5001}}}, false},
		{"too many crops", many, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.p.Validate()
			if (err == nil) != c.ok {
				t.Errorf("Validate(%+v) = %v, want ok=%v", c.p, err, c.ok)
			}
			if err != nil && ErrorCode(err) != EINVALID {
				t.Errorf("code = %s, want %s", ErrorCode(err), EINVALID)
			}
		})
	}
}

func TestResolveProfile(t *testing.T) {
	a := ImageProfile{Crops: []CropDef{{"A", 1, 1}}}
	b := ImageProfile{Crops: []CropDef{{"B", 2, 2}}}
	none := ImageProfile{Crops: []CropDef{}}
	for _, c := range []struct {
		name     string
		along    []FolderProfile
		wantFrom string
		want     int
	}{
		{"nothing set", nil, "", 0},
		{"root only", []FolderProfile{{"/", a}}, "/", 1},
		{"nearest wins", []FolderProfile{{"/", a}, {"/shoes", b}}, "/shoes", 1},
		{"explicit none stops inheritance", []FolderProfile{{"/", a}, {"/shoes", none}}, "/shoes", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := ResolveProfile(c.along)
			if got.From != c.wantFrom || len(got.Profile.Crops) != c.want {
				t.Errorf("ResolveProfile(%v) = %+v, want from %q with %d crops", c.along, got, c.wantFrom, c.want)
			}
		})
	}
}

func TestKeepAdjusted(t *testing.T) {
	box := func(x int) CropBox { return CropBox{X: x, W: 10, H: 10} }
	existing := []SmartCrop{
		{Name: "A", Width: 100, Height: 100, Box: box(1), Adjusted: true},
		{Name: "B", Width: 100, Height: 100, Box: box(2), Adjusted: true},
		{Name: "C", Width: 100, Height: 100, Box: box(3)},
		{Name: "Gone", Width: 100, Height: 100, Box: box(4), Adjusted: true},
	}
	computed := []SmartCrop{
		{Name: "A", Width: 100, Height: 100, Box: box(10)}, // adjusted, same size: kept
		{Name: "B", Width: 200, Height: 100, Box: box(20)}, // adjusted, but resized in the profile
		{Name: "C", Width: 100, Height: 100, Box: box(30)}, // computed before: recomputed
		{Name: "D", Width: 100, Height: 100, Box: box(40)}, // new
	}
	got := KeepAdjusted(existing, computed)
	want := []int{1, 20, 30, 40}
	if len(got) != len(want) {
		t.Fatalf("KeepAdjusted gave %d crops, want %d", len(got), len(want))
	}
	for i, c := range got {
		if c.Box.X != want[i] || c.Adjusted != (i == 0) {
			t.Errorf("crop %s: box x %d adjusted %v, want x %d adjusted %v", c.Name, c.Box.X, c.Adjusted, want[i], i == 0)
		}
	}
}
