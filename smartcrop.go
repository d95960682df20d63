package vitrine

import (
	"math"
	"strings"
	"time"
)

// Smart Crop (AEM Dynamic Media's image profiles): a folder's image profile
// names crops (name, width, height); every image under it gets, per
// version, a box in its source pixels for each crop, found by libvips'
// attention-based smart crop or adjusted by a user. /is/image/{co}/{id}:{crop}
// serves the box scaled to the crop's size.

// Limits of an image profile.
const (
	MaxProfileCrops  = 32   // crops per profile
	MaxCropSide      = 5000 // a crop's width or height (Scene7's 5000×5000 ceiling)
	MaxCropNameBytes = 64
)

// CropDef is one named crop of an image profile.
type CropDef struct {
	Name   string `json:"name"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

// ImageProfile is what a folder asks of the images under it: its smart
// crops. A profile with no crops is an explicit "none" that stops the
// profile of a parent folder from applying.
type ImageProfile struct {
	Crops []CropDef `json:"crops"`
}

// Validate checks a profile: at most MaxProfileCrops crops, each with a
// name usable after ':' in an /is/image URL (letters, digits, '-' and
// '_', as AEM's crop names) unique regardless of case, and sides from 1
// to MaxCropSide.
func (p *ImageProfile) Validate() error {
	if p.Crops == nil {
		p.Crops = []CropDef{}
	}
	if len(p.Crops) > MaxProfileCrops {
		return Errorf(EINVALID, "a profile has at most %d crops; this one has %d", MaxProfileCrops, len(p.Crops))
	}
	seen := map[string]bool{}
	for _, c := range p.Crops {
		if err := CheckCropName(c.Name); err != nil {
			return err
		}
		if seen[strings.ToLower(c.Name)] {
			return Errorf(EINVALID, "crop %q is named twice (names are compared without case)", c.Name)
		}
		seen[strings.ToLower(c.Name)] = true
		if c.Width < 1 || c.Height < 1 || c.Width > MaxCropSide || c.Height > MaxCropSide {
			return Errorf(EINVALID, "crop %q is %dx%d; width and height must be 1 to %d", c.Name, c.Width, c.Height, MaxCropSide)
		}
	}
	return nil
}

// Crop returns the profile's crop called name (exact case), if any.
func (p ImageProfile) Crop(name string) (CropDef, bool) {
	for _, c := range p.Crops {
		if c.Name == name {
			return c, true
		}
	}
	return CropDef{}, false
}

// CheckCropName validates a crop name: 1 to MaxCropNameBytes letters,
// digits, '-' or '_'. Nothing in it needs escaping in a URL path, and it
// cannot hold the ':' that separates it from the asset id.
func CheckCropName(name string) error {
	if name == "" || len(name) > MaxCropNameBytes {
		return Errorf(EINVALID, "crop name must be 1 to %d characters", MaxCropNameBytes)
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return Errorf(EINVALID, "crop name %q may hold only letters, digits, '-' and '_'", truncate(name, 64))
		}
	}
	return nil
}

// FolderProfile is the profile set on one folder.
type FolderProfile struct {
	Folder  string       `json:"folder"`
	Profile ImageProfile `json:"profile"`
}

// EffectiveProfile is the profile that applies in a folder and where it
// comes from: a folder path, or "" when no folder up the tree has one.
type EffectiveProfile struct {
	Profile ImageProfile `json:"profile"`
	From    string       `json:"from,omitempty"`
}

// ResolveProfile returns the effective profile of the last folder of a
// path from the profiles set along it (root first): the nearest one up
// the tree wins, as for the folder modes (SEL-2). It is the one place
// this rule lives.
func ResolveProfile(along []FolderProfile) EffectiveProfile {
	e := EffectiveProfile{Profile: ImageProfile{Crops: []CropDef{}}}
	for _, fp := range along {
		e = EffectiveProfile{Profile: fp.Profile, From: fp.Folder}
	}
	return e
}

// CropBox is a rectangle in upright source pixels.
type CropBox struct {
	X int `json:"x"`
	Y int `json:"y"`
	W int `json:"w"`
	H int `json:"h"`
}

// SmartCrop is one crop of one version of an image: the profile's crop
// and its box. Adjusted boxes were set by a user and survive a re-applied
// profile until reset.
type SmartCrop struct {
	Name     string  `json:"name"`
	Width    int     `json:"width"`
	Height   int     `json:"height"`
	Box      CropBox `json:"box"`
	Adjusted bool    `json:"adjusted"`
	// SourceWidth×SourceHeight is the upright size of the image the box
	// is in (after EXIF orientation), which boxes are checked against.
	SourceWidth  int       `json:"source_width"`
	SourceHeight int       `json:"source_height"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// SmartCropBox decides a crop's box in a srcW×srcH image: the largest
// rectangle of the crop's aspect ratio that fits the image, centred on the
// focus point (fx, fy) (the attention point libvips found) and moved
// back inside the image where the centre is too close to an edge.
func SmartCropBox(srcW, srcH, cropW, cropH int, fx, fy float64) CropBox {
	if srcW < 1 || srcH < 1 || cropW < 1 || cropH < 1 {
		return CropBox{}
	}
	w, h := srcW, int(math.Round(float64(srcW)*float64(cropH)/float64(cropW)))
	if h > srcH {
		w, h = int(math.Round(float64(srcH)*float64(cropW)/float64(cropH))), srcH
	}
	w, h = max(1, min(w, srcW)), max(1, min(h, srcH))
	x := int(math.Round(fx - float64(w)/2))
	y := int(math.Round(fy - float64(h)/2))
	x = max(0, min(x, srcW-w))
	y = max(0, min(y, srcH-h))
	return CropBox{X: x, Y: y, W: w, H: h}
}

// CheckCropBox validates a box a user sets for a crop of a srcW×srcH
// image: inside the image, at least a pixel, and of the crop's aspect
// ratio within 1% or a pixel of rounding (the box is scaled to the crop's
// size, so another aspect would stretch the picture).
func CheckCropBox(b CropBox, srcW, srcH int, def CropDef) error {
	if b.W < 1 || b.H < 1 {
		return Errorf(EINVALID, "crop box %dx%d is empty; w and h must be at least 1", b.W, b.H)
	}
	if b.X < 0 || b.Y < 0 || b.X+b.W > srcW || b.Y+b.H > srcH {
		return Errorf(EINVALID, "crop box %d,%d,%d,%d is outside the %dx%d image", b.X, b.Y, b.W, b.H, srcW, srcH)
	}
	want := float64(def.Width) / float64(def.Height)
	// The height a box of this width would have at the exact aspect.
	exactH := float64(b.W) / want
	if d := math.Abs(float64(b.H) - exactH); d > 1 && d > 0.01*exactH {
		return Errorf(EINVALID, "crop box %dx%d does not have the %dx%d aspect ratio of crop %q (height %.0f for width %d)",
			b.W, b.H, def.Width, def.Height, def.Name, exactH, b.W)
	}
	return nil
}

// KeepAdjusted merges freshly computed crops with a version's existing
// ones when a profile is (re)applied: a crop a user adjusted is kept
// while the profile still has a crop of that name and size; everything
// else is what was computed. Crops the profile no longer has go.
func KeepAdjusted(existing, computed []SmartCrop) []SmartCrop {
	adjusted := map[string]SmartCrop{}
	for _, c := range existing {
		if c.Adjusted {
			adjusted[c.Name] = c
		}
	}
	out := make([]SmartCrop, len(computed))
	for i, c := range computed {
		if a, ok := adjusted[c.Name]; ok && a.Width == c.Width && a.Height == c.Height {
			c = a
		}
		out[i] = c
	}
	return out
}

// CropTask is an image waiting for its crops to be recomputed after a
// folder's profile changed.
type CropTask struct {
	CompanyID int64
	AssetID   int64
	Name      string
	QueuedAt  time.Time
}
