package vitrine

// Derivation asks for a derived image: a new asset made from a parent image
// by an edit recipe in the modifier language (crop, rotate, flip, sharpen,
// unsharp mask), or, with ReplaceOriginal, a new version of the parent.
type Derivation struct {
	Name            string `json:"name"`   // the new asset id; ignored with ReplaceOriginal
	Recipe          string `json:"recipe"` // e.g. crop=0,0,500,500&rotate=90&op_usm=1,1,5,0
	ReplaceOriginal bool   `json:"replace_original,omitempty"`
}

// MaxRecipeLength bounds a derivation recipe, in bytes.
const MaxRecipeLength = 4096

// Validate checks what needs no image: the name and the recipe's length.
func (d *Derivation) Validate() error {
	if d.Recipe == "" {
		return Errorf(EINVALID, "recipe is empty; give modifiers like crop=0,0,100,100&rotate=90")
	}
	if len(d.Recipe) > MaxRecipeLength {
		return Errorf(ETOOLARGE, "recipe is longer than %d bytes", MaxRecipeLength)
	}
	if d.ReplaceOriginal {
		return nil
	}
	name, err := CleanAssetName(d.Name)
	if err != nil {
		return err
	}
	d.Name = name
	return nil
}

// DerivedRef names one asset made from another: a derived image or a
// video's thumbnail (Built & Derivatives).
type DerivedRef struct {
	Name   string    `json:"name"`
	Type   AssetType `json:"type"`
	Recipe string    `json:"recipe,omitempty"`
}

// Relations are what an asset's detail shows beyond the asset itself: the
// parent and recipe of a derived image, the assets derived from it, and
// the sets it is a member of.
type Relations struct {
	Parent  string       `json:"parent,omitempty"`
	Recipe  string       `json:"recipe,omitempty"`
	Derived []DerivedRef `json:"derived"`
	Sets    []string     `json:"sets"`
}

// SearchHit is one eCatalog page matched by a published search (DEL-6).
type SearchHit struct {
	Catalog  string   `json:"catalog"` // the eCatalog's asset id
	Page     int      `json:"page"`    // 1-based
	Image    string   `json:"image"`   // the page image's asset id
	Keywords []string `json:"keywords,omitempty"`
	Text     string   `json:"text,omitempty"`
}

// DeriveResult is what recording a derived image did.
type DeriveResult struct {
	Asset   *Asset
	Changes []CatalogChange
}
