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
	"github.com/vitrine/vitrine/internal/imaging"
	"github.com/vitrine/vitrine/internal/service"
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
	{"23_SLP_RedCouch_3516_GF_grac13", 1800, 1200, false},
	{"10000001_1_469x587.jpg", 938, 1174, false}, // the id keeps an extension
	{"Acme Group logo header", 800, 200, true},
	{"hero-silver-select_FMT_WHH", 1000, 1200, true},
	{"netflix-hero.desktop", 1600, 450, true},
	{"Car-ES-250-AWD-visualizer-styles-750x471-MY22-0026-04", 1500, 942, true},
	{"truck-electric-cgi-exterior-1", 1536, 1024, true},
	// layers: the sources the composite URLs name
	{"HH0H2", 1000, 1000, false},
	{"paint_template-1", 1200, 1200, true}, // a room scene with the wall left transparent
	{"SW6244", 300, 300, false},            // a paint colour swatch
	{"AdobeStock_322150086 trans", 1000, 1000, true},
	{"backdrop5-Camera", 1000, 1000, false},
	{"mfcxlq4_nb_05_i", 1200, 1200, false},
	// path-ids: published under the last segment of the DAM path the URLs send
	{"nb-15-gallery-1", 914, 804, true},
	{"nb-m15-franchise-mod1", 1440, 1440, true},
}

// replayProfiles are the image profiles (Smart Crop) of the folders the
// smart-crop lines' images are uploaded to (the other images go to "/",
// which has none), a folder per site as each company has its own profile.
// AEM sites name crops freely; the sizes are the fixtures' choice, and the
// expected sizes in the list follow from them (the crop is an image of the
// crop's size, the modifiers apply after it):
//   - product-header-desktop 832×472: the restaurant's desktop header, the
//     size its image id names; ?wid=830&hei=458 fits it into an 830×458
//     reply (wid and hei: fit inside, pad to exactly wid×hei).
//   - Classic-Hor 1600×1200: the hotel's horizontal crop, 4:3 where the
//     photo is 3:2 (2133×1600 of it); ?wid=1200&fit=constrain is 1200×900,
//     a reduction, so fit=constrain's no-upscale rule does not apply.
//   - introduction 800×450: the device maker's 16:9 banner of a 4:3 photo
//     (894×503 of it), served at its size with no query (under DefaultPix).
//   - 1-1 600×600: the mattress retailer's square (1200×1200 of the
//     1800×1200 photo), served at its size with no query.
var replayProfiles = []struct {
	folder string
	image  string // the replayImages id uploaded to folder
	crops  []vitrine.CropDef
}{
	{"/restaurant", "DC_201907_0005_Item_832x472", []vitrine.CropDef{{Name: "product-header-desktop", Width: 832, Height: 472}}},
	{"/hotel", "rz-abcde-restaurant-12345", []vitrine.CropDef{{Name: "Classic-Hor", Width: 1600, Height: 1200}}},
	{"/medical", "Unit_N6_front_894x671_pc", []vitrine.CropDef{{Name: "introduction", Width: 800, Height: 450}}},
	{"/mattress", "23_SLP_RedCouch_3516_GF_grac13", []vitrine.CropDef{{Name: "1-1", Width: 600, Height: 600}}},
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
// the folders' image profiles, the presets and an image set of two of them.
// The images are uploaded through the product's upload use case
// (service.Ingest), which computes the smart crops of those in a folder
// with a profile (libvips attention, imaging.SmartCrops) as an upload does.
func replayEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	ctx := context.Background()
	svc, err := service.New(service.Deps{Store: e.db, Blobs: e.blobs, Crops: imaging.SmartCrops})
	if err != nil {
		t.Fatal(err)
	}
	folder := map[string]string{}
	for _, fp := range replayProfiles {
		folder[fp.image] = fp.folder
		if _, err := e.db.CreateFolder(ctx, &e.p.Company, fp.folder); err != nil {
			t.Fatal(err)
		}
		if err := svc.SetFolderProfile(ctx, e.p, fp.folder, &vitrine.ImageProfile{Crops: fp.crops}); err != nil {
			t.Fatal(err)
		}
	}
	for _, im := range replayImages {
		f := folder[im.id]
		if f == "" {
			f = "/"
		}
		e.putImage(t, svc, im, f)
	}
	// A failure at upload costs the crops, not the upload (it is only
	// logged): say so here rather than as 403s in the replay.
	for _, fp := range replayProfiles {
		if crops, err := svc.Crops(ctx, e.p, fp.image); err != nil || len(crops) != len(fp.crops) {
			t.Fatalf("smart crops of %s after upload = %+v, %v; want %d", fp.image, crops, err, len(fp.crops))
		}
	}
	if _, err := e.db.UpdateSettings(context.Background(), e.p.Company.ID, []byte(replayPresets)); err != nil {
		t.Fatal(err)
	}
	e.set(t, vitrine.SetSpec{Name: "100001_0001_IS", Type: vitrine.TypeImageSet, Members: members("1000001-001_DEFAULT", "LM0ABCD_012345_1")})
	return e
}

// putImage uploads a generated image to folder, published by the
// folder's default (UP-2): gradients, and for alpha images a fully
// transparent left quarter.
func (e *env) putImage(t *testing.T, svc *service.Service, im replayImage, folder string) {
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
	sp := service.Spooled{Path: tmp, File: f}
	defer sp.Remove()
	if _, err := svc.Ingest(context.Background(), e.p, []service.Spooled{sp}, vitrine.UploadOptions{Folder: folder}); err != nil {
		t.Fatalf("ingest %s: %v", im.id, err)
	}
}
