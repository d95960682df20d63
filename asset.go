package vitrine

import (
	"strings"
	"time"
)

// AssetType is what an asset is. The stored type of an uploaded file comes
// from its bytes, never from its name (UP-7).
type AssetType string

const (
	TypeImage  AssetType = "image"
	TypeVideo  AssetType = "video"
	TypeStatic AssetType = "static" // PDF, CSS, JS, SVG, XML, ZIP, audio, animated GIF: served as stored

	TypeImageSet      AssetType = "image_set"
	TypeSwatchSet     AssetType = "swatch_set"
	TypeSpinSet       AssetType = "spin_set"
	TypeMixedMediaSet AssetType = "mixed_media_set"
	TypeECatalog      AssetType = "ecatalog"
	TypeVideoSet      AssetType = "video_set"
)

// Valid reports whether t is a known asset type.
func (t AssetType) Valid() bool {
	switch t {
	case TypeImage, TypeVideo, TypeStatic:
		return true
	}
	return t.IsSet()
}

// IsSet reports whether assets of type t hold an ordered member list.
func (t AssetType) IsSet() bool {
	switch t {
	case TypeImageSet, TypeSwatchSet, TypeSpinSet, TypeMixedMediaSet, TypeECatalog, TypeVideoSet:
		return true
	}
	return false
}

// Context returns the delivery context an asset of type t is published to.
func (t AssetType) Context() Context {
	switch t {
	case TypeVideo:
		return ContextVideo
	case TypeStatic:
		return ContextContent
	}
	return ContextImage
}

// Asset is a named, versioned file (or set) of one company. Its Name (the
// asset id of Scene7 URLs) is unique per company, trashed assets included.
type Asset struct {
	ID        int64     `json:"-"`
	CompanyID int64     `json:"-"`
	Name      string    `json:"name"`
	Type      AssetType `json:"type"`
	FolderID  int64     `json:"-"`
	Folder    string    `json:"folder"` // path, like /products/shoes
	Ext       string    `json:"ext,omitempty"`
	Title     string    `json:"title,omitempty"`
	Keywords  []string  `json:"keywords"`

	// Version is the current version number; CurrentVersion its detail.
	Version        int      `json:"version"`
	CurrentVersion *Version `json:"current_version,omitempty"`

	// Modes applied at upload time from the folder's effective properties
	// (SEL-3); later folder changes do not touch them.
	SyncMode    SyncMode    `json:"sync_mode"`
	PublishMode PublishMode `json:"publish_mode"`

	// Intent is what the asset is marked for, per context and destination;
	// Published is what the catalog serves now.
	Intent          []Intent   `json:"intent"`
	Published       Published  `json:"published"`
	LastPublishedAt *time.Time `json:"last_published_at,omitempty"`

	TrashedAt *time.Time `json:"trashed_at,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// Trashed reports whether the asset is in the Trash.
func (a *Asset) Trashed() bool { return a.TrashedAt != nil }

// Version is one immutable stored file of an asset, content-addressed by
// its SHA-256.
type Version struct {
	ID        int64     `json:"-"`
	AssetID   int64     `json:"-"`
	Number    int       `json:"number"`
	SHA256    string    `json:"sha256"`
	Size      int64     `json:"size"`
	Format    string    `json:"format"` // jpeg, png, pdf, mp4, …
	MIME      string    `json:"mime"`
	Width     int       `json:"width,omitempty"`
	Height    int       `json:"height,omitempty"`
	Filename  string    `json:"filename"` // the uploaded file name
	CreatedBy int64     `json:"-"`
	CreatedAt time.Time `json:"created_at"`
}

// AssetFilter selects assets in a listing.
type AssetFilter struct {
	Folder    string // path; "" for all. Includes subfolders when Recursive.
	Recursive bool
	Query     string    // substring of the name
	Type      AssetType // "" for any
	Published *bool     // in the delivery catalog of its context
	// PublishedPreview: in the preview catalog.
	PublishedPreview *bool
	Trashed          bool // list the Trash instead
	// ModifiedAfter and ModifiedBefore bound the last change (UpdatedAt):
	// after is inclusive, before exclusive; zero is no bound.
	ModifiedAfter, ModifiedBefore time.Time
	// Sort orders the listing (the List view's columns); ties go by name.
	Sort  AssetSort
	Desc  bool
	Limit int
	// Cursor is the NextCursor of the previous page of the same filter.
	Cursor string
}

// AssetSort is a listing order.
type AssetSort string

const (
	SortName     AssetSort = "name" // the default
	SortType     AssetSort = "type"
	SortSize     AssetSort = "size" // of the current version
	SortModified AssetSort = "modified"
)

// Valid reports whether s is a known order ("" is by name).
func (s AssetSort) Valid() bool {
	switch s {
	case "", SortName, SortType, SortSize, SortModified:
		return true
	}
	return false
}

// nameStrip holds the characters removed from file names to make asset ids (UP-3).
const nameStrip = "\\;/?:@&=+$,*\"<>|'{}%"

// MaxNameLength bounds an asset id, in bytes.
const MaxNameLength = 255

// AssetNameFromFile returns the asset id for an uploaded file name: the base
// name without its extension, with the characters of UP-3 removed, and the
// extension (lower case, without the dot). Spaces are kept; case is kept.
func AssetNameFromFile(filename string) (name, ext string, err error) {
	if strings.ContainsRune(filename, 0) {
		return "", "", Errorf(EINVALID, "file name contains a NUL byte")
	}
	// Browsers may send a full client path; keep the last element.
	if i := strings.LastIndexAny(filename, `/\`); i >= 0 {
		filename = filename[i+1:]
	}
	base := filename
	if i := strings.LastIndexByte(filename, '.'); i > 0 {
		base, ext = filename[:i], strings.ToLower(filename[i+1:])
	}
	name, err = CleanAssetName(base)
	return name, ext, err
}

// CleanAssetName removes the characters of UP-3 and control characters from
// a proposed asset id and checks what is left.
func CleanAssetName(s string) (string, error) {
	var b strings.Builder
	for _, r := range s {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(nameStrip, r) {
			continue
		}
		b.WriteRune(r)
	}
	name := strings.TrimSpace(b.String())
	switch {
	case name == "" || strings.Trim(name, ".") == "":
		return "", Errorf(EINVALID, "file name %q gives an empty asset id", truncate(s, 64))
	case len(name) > MaxNameLength:
		return "", Errorf(EINVALID, "asset id is %d bytes long; the limit is %d", len(name), MaxNameLength)
	}
	return name, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// CheckKeywords validates an asset's keywords: at most 100, each 1-100
// bytes without control characters, duplicates (ignoring case) dropped.
func CheckKeywords(kw []string) ([]string, error) {
	if len(kw) > 100 {
		return nil, Errorf(EINVALID, "at most 100 keywords")
	}
	seen := map[string]bool{}
	out := []string{}
	for _, k := range kw {
		k = strings.TrimSpace(k)
		if k == "" || len(k) > 100 || strings.ContainsFunc(k, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return nil, Errorf(EINVALID, "keyword %q must be 1-100 bytes of text", truncate(k, 32))
		}
		if !seen[strings.ToLower(k)] {
			seen[strings.ToLower(k)] = true
			out = append(out, k)
		}
	}
	return out, nil
}

// AssetPage is one page of a listing.
type AssetPage struct {
	Assets     []Asset `json:"assets"`
	NextCursor string  `json:"next_cursor,omitempty"`
}

// MetadataPatch changes an asset's descriptive metadata; nil fields stay.
type MetadataPatch struct {
	Title    *string
	Keywords *[]string
}
