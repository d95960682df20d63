package delivery_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vitrine/vitrine"
)

// replayImage is one fixture of the Scene7 replay: an image published as
// id, of the size and alpha the URLs in testdata/scene7-urls.tsv need.
// The ids have the shapes of the real ones the URLs were written for.
type replayImage struct {
	id    string
	w, h  int
	alpha bool // a PNG with transparent areas; otherwise a JPEG
}

var replayImages = []replayImage{
	{"1000001-001_DEFAULT", 1200, 1500, false}, // apparel, 4:5
	{"LM0ABCD_012345_1", 1600, 2000, false},
	{"AW21_ELEV_BS_HERO", 2400, 1600, false}, // wider than DefaultPix
	{"some-feature-easy-on-the-eyes-506884341", 1000, 1000, false},
	{"netarhat-dam-hero", 1600, 900, false},
	{"112118377", 1200, 1600, false},
	{"KTM-2025-350-XC-F-Factory-Edition", 1500, 1000, false},
	{"DC_201907_0005_Item_832x472", 832, 472, false},
	{"le-country-teacher-training", 1600, 900, false},
	{"IMG_0006", 2400, 1600, false},
	{"GUEST_1b33fcec-0718-4fe5-a230-e5b2ac9a8a3e", 1000, 1000, false},
	{"0004216738171_A", 1000, 1000, false},
	{"rz-abcde-restaurant-12345", 2400, 1600, false},
	{"m2002rpq_nb_03_i", 1200, 1200, false},
	{"Unit_N6_front_894x671_pc", 894, 671, false},
	{"watch-case-42-aluminum watch-face-42-aluminum", 1000, 640, false},
	{"23_SLP_RedCouch_3516_GF_grac13", 1600, 1600, false},
	{"10000001_1_469x587.jpg", 938, 1174, false}, // the id keeps an extension
	{"Acme Group logo header", 800, 200, true},
	{"hero-silver-select_FMT_WHH", 1000, 1200, true},
	{"netflix-hero.desktop", 1600, 450, true},
	{"Car-ES-250-AWD-visualizer-styles-750x471-MY22-0026-04", 1500, 942, true},
	{"truck-electric-cgi-exterior-1", 1536, 1024, true},
}

// replayPresets are the company's presets the URLs name. Scene7 sites
// define their own; these give each one a plausible meaning, and the
// expected sizes in the list follow from them.
const replayPresets = `{"presets":{
	"pdp": "wid=1000&hei=1000&qlt=85",
	"img_size_380x380": "wid=380&hei=380",
	"650_519_PNG": "wid=650&hei=519&fmt=png-alpha",
	"Line-Overview-M1-M2-S": "wid=600&fmt=png-alpha",
	"n_640w": "wid=640&qlt=80",
	"xlarge": "wid=1200&hei=1500",
	"landscape1600": "wid=1600&hei=900&fit=crop",
	"XlargeViewport100pct": "wid=1920&hei=1080&fit=crop",
	"dw_detail_main_lg": "wid=800&hei=800&qlt=90"}}`

// replayEnv publishes the replay fixtures in company acme: the images,
// the presets and an image set of two of them.
func replayEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	for _, im := range replayImages {
		e.putImage(t, im)
	}
	if _, err := e.db.UpdateSettings(context.Background(), e.p.Company.ID, []byte(replayPresets)); err != nil {
		t.Fatal(err)
	}
	e.set(t, vitrine.SetSpec{Name: "100001_0001_IS", Type: vitrine.TypeImageSet, Members: members("1000001-001_DEFAULT", "LM0ABCD_012345_1")})
	return e
}

// putImage stores and publishes a generated image: gradients, and for
// alpha images a fully transparent left quarter.
func (e *env) putImage(t *testing.T, im replayImage) {
	t.Helper()
	m := image.NewNRGBA(image.Rect(0, 0, im.w, im.h))
	// Eight horizontal bands, each a horizontal gradient: rows are copied
	// from eight templates, which keeps setup fast under -race.
	seed := len(im.id)
	var bands [8][]byte
	for i := range bands {
		row := image.NewNRGBA(image.Rect(0, 0, im.w, 1))
		for x := range im.w {
			a := uint8(255)
			if im.alpha && x < im.w/4 {
				a = 0
			}
			row.SetNRGBA(x, 0, color.NRGBA{uint8(x*255/im.w + seed), uint8(i * 32), uint8(seed * 7), a})
		}
		bands[i] = row.Pix
	}
	for y := range im.h {
		copy(m.Pix[y*m.Stride:], bands[y*8/im.h])
	}
	var b bytes.Buffer
	f := vitrine.NewFile{Filename: im.id + ".jpg", Type: vitrine.TypeImage, Format: "jpeg", MIME: "image/jpeg", Ext: "jpg", Width: im.w, Height: im.h}
	if im.alpha {
		f.Filename, f.Format, f.MIME, f.Ext = im.id+".png", "png", "image/png", "png"
		if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&b, m); err != nil {
			t.Fatal(err)
		}
	} else if err := jpeg.Encode(&b, m, nil); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b.Bytes())
	f.SHA256, f.Size = hex.EncodeToString(sum[:]), int64(b.Len())
	tmp := filepath.Join(e.blobs.SpoolDir(), "t-"+strings.ReplaceAll(im.id, " ", "_"))
	if err := os.WriteFile(tmp, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := e.blobs.PutFile(context.Background(), f.SHA256, tmp); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.Ingest(context.Background(), e.p, []vitrine.NewFile{f}, vitrine.UploadOptions{Folder: "/"}); err != nil {
		t.Fatalf("ingest %s: %v", im.id, err)
	}
}
