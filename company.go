package vitrine

import (
	"net/netip"
	"regexp"
	"strings"
	"time"
)

// Company is a tenant. RootID is its URL segment (/is/image/{RootID}/…).
type Company struct {
	ID        int64     `json:"-"`
	RootID    string    `json:"id"`
	Name      string    `json:"name"`
	Settings  Settings  `json:"settings"`
	CreatedAt time.Time `json:"created_at"`
}

var rootIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)

// ValidRootID reports whether s can name a company in URLs.
func ValidRootID(s string) bool { return rootIDPattern.MatchString(s) }

// Overwrite modes (UP-4).
const (
	OverwriteFullName          = "full_name"
	OverwriteAnyExt            = "any_ext"
	OverwriteFullNameAnyFolder = "full_name_any_folder"
	OverwriteAnyExtAnyFolder   = "any_ext_any_folder"
	OverwriteOff               = "off" // duplicates are skipped and logged
)

// ValidOverwrite reports whether s is an overwrite mode.
func ValidOverwrite(s string) bool {
	switch s {
	case OverwriteFullName, OverwriteAnyExt, OverwriteFullNameAnyFolder, OverwriteAnyExtAnyFolder, OverwriteOff:
		return true
	}
	return false
}

// Settings are a company's settings. Zero fields take the defaults of
// DefaultSettings when a company is created; PATCH replaces only the fields
// it names.
type Settings struct {
	// Publishing.
	InstantPublish        bool        `json:"instant_publish"`
	RetainPublishState    bool        `json:"retain_publish_state"`
	InvalidateOnRepublish bool        `json:"invalidate_on_republish"`
	OverwriteMode         string      `json:"overwrite_mode"`
	DefaultSyncMode       SyncMode    `json:"default_sync_mode"`
	DefaultPublishMode    PublishMode `json:"default_publish_mode"`
	TrashDays             int         `json:"trash_days"`
	TimeZone              string      `json:"time_zone"`

	// Delivery (DEL-3) and Image Serving (§5.1).
	ImageTTLSeconds        int               `json:"image_ttl_seconds"`
	NonImageTTLSeconds     int               `json:"non_image_ttl_seconds"`
	DefaultImageTTLSeconds int               `json:"default_image_ttl_seconds"`
	DefaultImage           string            `json:"default_image,omitempty"`
	MaxPix                 [2]int            `json:"max_pix"`
	DefaultPix             [2]int            `json:"default_pix"`
	JpegQuality            int               `json:"jpeg_quality"`
	ResMode                string            `json:"res_mode"`
	BkgColor               string            `json:"bkg_color"`
	Presets                map[string]string `json:"presets"`
	InvalidationTemplate   []string          `json:"invalidation_template"`
	PreviewAllowCIDRs      []string          `json:"preview_allow_cidrs"`

	// URL signing (§5.1): "off", "required" (every image URL carries a valid
	// sig=) or "presets_only" (URLs made of presets alone need none).
	URLSigning     string   `json:"url_signing"`
	URLSigningKeys []string `json:"url_signing_keys,omitempty"` // several live keys allow rotation
}

// DefaultSettings returns the settings of a new company.
func DefaultSettings() Settings {
	return Settings{
		InstantPublish:         true,
		RetainPublishState:     true,
		InvalidateOnRepublish:  true,
		OverwriteMode:          OverwriteFullName,
		DefaultSyncMode:        SyncAll,
		DefaultPublishMode:     PublishImmediately,
		TrashDays:              7,
		TimeZone:               "UTC",
		ImageTTLSeconds:        10 * 3600,
		NonImageTTLSeconds:     6 * 60,
		DefaultImageTTLSeconds: 3600,
		MaxPix:                 [2]int{3000, 3000},
		DefaultPix:             [2]int{2000, 2000},
		JpegQuality:            80,
		ResMode:                "bicub",
		BkgColor:               "FFFFFF",
		Presets:                map[string]string{},
		InvalidationTemplate:   []string{"/is/image/<COMPANY>/<ID>", "/is/content/<COMPANY>/<ID>"},
		URLSigning:             "off",
	}
}

var presetNamePattern = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

// Validate checks settings after a change.
func (s Settings) Validate() error {
	switch {
	case !ValidOverwrite(s.OverwriteMode):
		return Errorf(EINVALID, "overwrite_mode %q is not one of full_name, any_ext, full_name_any_folder, any_ext_any_folder, off", s.OverwriteMode)
	case s.DefaultSyncMode != SyncAll && s.DefaultSyncMode != SyncExclude:
		return Errorf(EINVALID, "default_sync_mode must be sync_all or exclude")
	case s.DefaultPublishMode != PublishImmediately && s.DefaultPublishMode != PublishOnActivation && s.DefaultPublishMode != PublishSelective:
		return Errorf(EINVALID, "default_publish_mode must be immediately, on_activation or selective")
	case s.TrashDays < 1 || s.TrashDays > 365:
		return Errorf(EINVALID, "trash_days must be between 1 and 365")
	case s.ImageTTLSeconds < 0 || s.NonImageTTLSeconds < 0 || s.DefaultImageTTLSeconds < 0:
		return Errorf(EINVALID, "TTLs must not be negative")
	case s.JpegQuality < 1 || s.JpegQuality > 100:
		return Errorf(EINVALID, "jpeg_quality must be between 1 and 100")
	}
	if err := s.validateRender(); err != nil {
		return err
	}
	if _, err := time.LoadLocation(s.TimeZone); err != nil {
		return Errorf(EINVALID, "time_zone %q is not a known IANA zone", s.TimeZone)
	}
	switch s.URLSigning {
	case "off", "required", "presets_only":
	default:
		return Errorf(EINVALID, "url_signing must be off, required or presets_only")
	}
	if s.URLSigning != "off" && len(s.URLSigningKeys) == 0 {
		return Errorf(EINVALID, "url_signing %s needs at least one key in url_signing_keys", s.URLSigning)
	}
	for _, k := range s.URLSigningKeys {
		if len(k) < 16 {
			return Errorf(EINVALID, "url_signing_keys: each key must be at least 16 characters")
		}
	}
	for _, line := range s.InvalidationTemplate {
		if !strings.Contains(line, "<ID>") || !(strings.HasPrefix(line, "/is/") || strings.HasPrefix(line, "/preview/is/")) {
			return Errorf(EINVALID, "invalidation_template line %q must be a delivery path with <ID>, like /is/image/<COMPANY>/<ID>?$product$", line)
		}
	}
	for _, c := range s.PreviewAllowCIDRs {
		if _, err := netip.ParsePrefix(c); err != nil {
			return Errorf(EINVALID, "preview_allow_cidrs: %q is not a CIDR like 10.0.0.0/8", c)
		}
	}
	for name := range s.Presets {
		if !presetNamePattern.MatchString(name) {
			return Errorf(EINVALID, "preset name %q may use only A-Z a-z 0-9 _ . -", name)
		}
	}
	return nil
}

// Role is a user's role in one company.
type Role string

const (
	RoleAdmin Role = "admin"
	RoleUser  Role = "user"
)

// User is a person or service account.
type User struct {
	ID          int64     `json:"-"`
	Name        string    `json:"name"`
	SystemAdmin bool      `json:"system_admin,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// Membership is a user's role in a company.
type Membership struct {
	UserID    int64
	CompanyID int64
	Role      Role
}

// Principal is the authenticated caller of a request, resolved for one company.
type Principal struct {
	User    User
	Company Company
	Role    Role
}

// IsAdmin reports whether the principal may administer its company.
func (p Principal) IsAdmin() bool { return p.Role == RoleAdmin || p.User.SystemAdmin }
