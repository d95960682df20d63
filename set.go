package vitrine

import (
	"regexp"
	"strconv"
	"strings"
)

// Set limits (Dynamic Media Classic "limitations": at most 1000 assets in a
// set, at most 20 copies of one asset; reference notes §4.1). MaxSetDepth
// bounds nesting, as Scene7's PS::fvctx.nestingLimit does, so a req=set
// answer stays small whatever the sets refer to.
const (
	MaxSetMembers    = 1000
	MaxSetDuplicates = 20
	MaxSetDepth      = 4
	// MaxPageText bounds the search text of one eCatalog page, in bytes.
	MaxPageText = 64 << 10
)

// SetMember is one ordered entry of a set.
type SetMember struct {
	Name string    `json:"name"`
	Type AssetType `json:"type,omitempty"` // the member's type; filled in by the server
	// Swatch is the member's swatch in a swatch set (required) or a mixed
	// media set (optional).
	Swatch *Swatch `json:"swatch,omitempty"`
	// Keywords and Text are an eCatalog page's search data (DEL-6).
	Keywords []string `json:"keywords,omitempty"`
	Text     string   `json:"text,omitempty"`
}

// Swatch is what a shopper clicks to pick a member: a solid colour, a crop
// of the member itself, or another image. Exactly one of Color, Crop and
// Image is set.
type Swatch struct {
	Color string `json:"color,omitempty"` // RRGGBB, hex
	Label string `json:"label,omitempty"` // optional text, with Color (Scene7's solidColorSpecifier label)
	Crop  string `json:"crop,omitempty"`  // x,y,w,h in pixels of the member
	Image string `json:"image,omitempty"` // another image's asset id
}

// SetSpec is a set as a client saves it (POST /sets, PUT /sets/{name}).
type SetSpec struct {
	Name    string      `json:"name"`
	Type    AssetType   `json:"type"`
	Folder  string      `json:"folder,omitempty"`  // new sets only; default "/"
	Rows    int         `json:"rows,omitempty"`    // spin sets: the grid (1 row when 0)
	Columns int         `json:"columns,omitempty"` // spin sets
	Source  string      `json:"source,omitempty"`  // video sets: the primary video the encodes come from
	Members []SetMember `json:"members"`
	// PublishAfterSave is the set editors' checkbox (PUB-5); absent means on.
	PublishAfterSave *bool `json:"publish_after_save,omitempty"`
}

// Set is a set asset with its members, as the API shows it.
type Set struct {
	*Asset
	Rows    int         `json:"rows,omitempty"`
	Columns int         `json:"columns,omitempty"`
	Source  string      `json:"source,omitempty"`
	Members []SetMember `json:"members"`
}

// PublishesAfterSave reports whether a save publishes the set and its
// members (PUB-5): the checkbox is on unless the client turned it off.
func (s *SetSpec) PublishesAfterSave() bool { return s.PublishAfterSave == nil || *s.PublishAfterSave }

// CanHold reports whether a set of type t may hold a member of type m: the
// nesting Scene7 allows. Image, spin and eCatalog sets hold images; swatch
// sets hold images and other swatch sets (Scene7's hierarchical swatch
// sets, the one nesting that can loop); video sets hold the encodes of one
// video; mixed media sets hold images, videos and image, swatch, spin and
// video sets, but never another mixed media set (Adobe: "Nested media sets
// are not supported").
func (t AssetType) CanHold(m AssetType) bool {
	switch t {
	case TypeImageSet, TypeSpinSet, TypeECatalog:
		return m == TypeImage
	case TypeSwatchSet:
		return m == TypeImage || m == TypeSwatchSet
	case TypeVideoSet:
		return m == TypeVideo
	case TypeMixedMediaSet:
		switch m {
		case TypeImage, TypeVideo, TypeImageSet, TypeSwatchSet, TypeSpinSet, TypeVideoSet:
			return true
		}
	}
	return false
}

var (
	hex6Pattern = regexp.MustCompile(`^[0-9A-Fa-f]{6}$`)
	cropPattern = regexp.MustCompile(`^\d{1,6},\d{1,6},\d{1,6},\d{1,6}$`)
)

// Validate checks a set's shape: everything that does not need the
// database. Member types, nesting and cycles are checked when it is saved.
// It cleans the name and normalises colours.
func (s *SetSpec) Validate() error {
	if !s.Type.IsSet() {
		return Errorf(EINVALID, "type %q is not one of image_set, swatch_set, spin_set, mixed_media_set, ecatalog, video_set", s.Type)
	}
	name, err := CleanAssetName(s.Name)
	if err != nil {
		return err
	}
	s.Name = name
	if len(s.Members) > MaxSetMembers {
		return Errorf(ETOOLARGE, "a set holds at most %d members; this one has %d", MaxSetMembers, len(s.Members))
	}
	if err := s.validateGrid(); err != nil {
		return err
	}
	if s.Source != "" && s.Type != TypeVideoSet {
		return Errorf(EINVALID, "source is for video sets only")
	}
	count := map[string]int{}
	for i := range s.Members {
		m := &s.Members[i]
		if m.Name == "" {
			return Errorf(EINVALID, "member %d has no name", i+1)
		}
		if count[m.Name]++; count[m.Name] > MaxSetDuplicates {
			return Errorf(EINVALID, "%q is in the set more than %d times", m.Name, MaxSetDuplicates)
		}
		if m.Name == s.Name {
			return Errorf(EINVALID, "a set cannot contain itself")
		}
		if err := s.validateMember(i, m); err != nil {
			return err
		}
	}
	return nil
}

func (s *SetSpec) validateGrid() error {
	if s.Type != TypeSpinSet {
		if s.Rows != 0 || s.Columns != 0 {
			return Errorf(EINVALID, "rows and columns are for spin sets only")
		}
		return nil
	}
	switch {
	case s.Rows < 0 || s.Columns < 0:
		return Errorf(EINVALID, "rows and columns must not be negative")
	case s.Rows == 0 && s.Columns == 0:
		return nil // one row of any length
	case s.Rows == 0 || s.Columns == 0:
		return Errorf(EINVALID, "give both rows and columns, or neither")
	case s.Rows*s.Columns != len(s.Members):
		return Errorf(EINVALID, "a %d × %d spin set needs %d images; it has %d", s.Rows, s.Columns, s.Rows*s.Columns, len(s.Members))
	}
	return nil
}

func (s *SetSpec) validateMember(i int, m *SetMember) error {
	if (len(m.Keywords) > 0 || m.Text != "") && s.Type != TypeECatalog {
		return Errorf(EINVALID, "member %d: keywords and text are for eCatalog pages only", i+1)
	}
	if len(m.Text) > MaxPageText {
		return Errorf(ETOOLARGE, "member %d: page text is longer than %d bytes", i+1, MaxPageText)
	}
	for _, k := range m.Keywords {
		if k == "" || len(k) > 256 || strings.ContainsAny(k, "\r\n") {
			return Errorf(EINVALID, "member %d: keywords must be one line of 1 to 256 bytes", i+1)
		}
	}
	switch {
	case m.Swatch == nil && s.Type == TypeSwatchSet:
		return Errorf(EINVALID, "member %d (%s): every member of a swatch set needs a swatch (color, crop or image)", i+1, m.Name)
	case m.Swatch == nil:
		return nil
	case s.Type != TypeSwatchSet && s.Type != TypeMixedMediaSet:
		return Errorf(EINVALID, "member %d: swatches are for swatch sets and mixed media sets only", i+1)
	}
	return m.Swatch.validate(i)
}

func (w *Swatch) validate(i int) error {
	kinds := 0
	for _, v := range []string{w.Color, w.Crop, w.Image} {
		if v != "" {
			kinds++
		}
	}
	if kinds != 1 {
		return Errorf(EINVALID, "member %d: a swatch is exactly one of color, crop or image", i+1)
	}
	if w.Label != "" && w.Color == "" {
		return Errorf(EINVALID, "member %d: a swatch label goes with a color", i+1)
	}
	if len(w.Label) > 256 {
		return Errorf(EINVALID, "member %d: swatch label is longer than 256 bytes", i+1)
	}
	if w.Color != "" {
		c := strings.TrimPrefix(strings.TrimPrefix(w.Color, "#"), "0x")
		if !hex6Pattern.MatchString(c) {
			return Errorf(EINVALID, "member %d: swatch color %q is not RRGGBB hex", i+1, w.Color)
		}
		w.Color = strings.ToLower(c)
	}
	if w.Crop != "" {
		if _, err := ParseCrop(w.Crop); err != nil {
			return Errorf(EINVALID, "member %d: %s", i+1, ErrorMessage(err))
		}
	}
	return nil
}

// ParseCrop reads a swatch crop "x,y,w,h" in pixels; w and h must be positive.
func ParseCrop(s string) ([4]int, error) {
	var r [4]int
	if !cropPattern.MatchString(s) {
		return r, Errorf(EINVALID, "crop %q is not x,y,w,h in pixels", s)
	}
	for i, p := range strings.Split(s, ",") {
		r[i], _ = strconv.Atoi(p)
	}
	if r[2] == 0 || r[3] == 0 {
		return r, Errorf(EINVALID, "crop %q has no area", s)
	}
	return r, nil
}

// SetTree is a set as delivery serves it (req=set, DEL-5): only what is
// published, in order, nested sets resolved.
type SetTree struct {
	Name    string // the set's asset id
	Type    AssetType
	Rows    int
	Columns int
	Items   []SetItem
}

// SetItem is one published member of a SetTree.
type SetItem struct {
	Position int // 0-based place in the saved set (a spin set's grid cell)
	Name     string
	Type     AssetType
	Width    int
	Height   int
	Version  int
	MIME     string
	Title    string      // the asset's title (req=set labels, labelkey=)
	Swatch   *LiveSwatch // nil: none, or its image is not published
	Set      *SetTree    // the member's own tree when it is a set
	Poster   string      // videos: a published thumbnail (derived image), if any
}

// LiveSwatch is a swatch as served: a published image (possibly cropped
// from the member) or a colour.
type LiveSwatch struct {
	Name  string // image asset id; "" for a colour
	Color string // RRGGBB
	Label string
	Crop  string // x,y,w,h of Name
}

// SetResult is what saving a set did.
type SetResult struct {
	Set     *Set            `json:"set"`
	Results []PublishResult `json:"results,omitempty"` // publish after save, per asset
	Changes []CatalogChange `json:"-"`
}
