package vitrine

import (
	"path"
	"strings"
	"time"
)

// SyncMode says whether a folder's assets are processed for delivery (SEL-2).
type SyncMode string

const (
	SyncInherit SyncMode = "inherit"
	SyncAll     SyncMode = "sync_all" // company default only
	SyncOn      SyncMode = "sync"
	SyncExclude SyncMode = "exclude"
)

// PublishMode says when a folder's new uploads go public (SEL-2, SEL-4).
type PublishMode string

const (
	PublishInherit      PublishMode = "inherit"
	PublishImmediately  PublishMode = "immediately"
	PublishOnActivation PublishMode = "on_activation"
	PublishSelective    PublishMode = "selective"
)

// Folder is a node of a company's folder tree. The root folder has path "/".
type Folder struct {
	ID          int64       `json:"-"`
	CompanyID   int64       `json:"-"`
	ParentID    *int64      `json:"-"`
	Path        string      `json:"path"`
	SyncMode    SyncMode    `json:"sync_mode"`
	PublishMode PublishMode `json:"publish_mode"`
	CreatedAt   time.Time   `json:"created_at"`

	Effective *EffectiveModes `json:"effective,omitempty"`
}

// EffectiveModes are a folder's resolved modes and where each came from.
type EffectiveModes struct {
	SyncMode        SyncMode    `json:"sync_mode"`
	SyncFrom        string      `json:"sync_from"` // a folder path, or "company"
	PublishMode     PublishMode `json:"publish_mode"`
	PublishFrom     string      `json:"publish_from"`
	PublishDisabled bool        `json:"publish_disabled,omitempty"` // under exclude
}

// Synced reports whether assets under these modes are processed for delivery.
func (e EffectiveModes) Synced() bool { return e.SyncMode != SyncExclude }

// ResolveModes computes the effective modes of the last folder of chain,
// which lists a folder's ancestors from the root down to the folder itself,
// falling back to the company defaults (SEL-2). It is the one place this
// rule lives.
func ResolveModes(chain []Folder, s Settings) EffectiveModes {
	e := EffectiveModes{SyncMode: s.DefaultSyncMode, SyncFrom: "company", PublishMode: s.DefaultPublishMode, PublishFrom: "company"}
	for _, f := range chain {
		if f.SyncMode != "" && f.SyncMode != SyncInherit {
			e.SyncMode, e.SyncFrom = f.SyncMode, f.Path
		}
		if f.PublishMode != "" && f.PublishMode != PublishInherit {
			e.PublishMode, e.PublishFrom = f.PublishMode, f.Path
		}
	}
	if e.SyncMode == SyncAll {
		e.SyncMode = SyncOn
	}
	if e.SyncMode == SyncExclude {
		e.PublishDisabled = true
	}
	return e
}

// CleanFolderPath validates and normalises a folder path: absolute, no empty,
// "." or ".." elements, no characters that asset ids forbid, no trailing slash.
func CleanFolderPath(p string) (string, error) {
	if p == "" || p == "/" {
		return "/", nil
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	p = strings.TrimRight(p, "/")
	if len(p) > 1024 {
		return "", Errorf(EINVALID, "folder path is longer than 1024 bytes")
	}
	for _, el := range strings.Split(p[1:], "/") {
		switch {
		case el == "" || el == "." || el == "..":
			return "", Errorf(EINVALID, "folder path %q has an empty, '.' or '..' element", truncate(p, 64))
		case strings.ContainsAny(el, "\\;?:@&=+$,*\"<>|'{}%\x00"):
			return "", Errorf(EINVALID, "folder name %q contains a forbidden character", truncate(el, 64))
		}
		for _, r := range el {
			if r < 0x20 || r == 0x7f {
				return "", Errorf(EINVALID, "folder name contains a control character")
			}
		}
	}
	return path.Clean(p), nil
}

// FolderAncestors returns the paths from "/" down to p, inclusive.
func FolderAncestors(p string) []string {
	out := []string{"/"}
	if p == "/" {
		return out
	}
	parts := strings.Split(p[1:], "/")
	for i := range parts {
		out = append(out, "/"+strings.Join(parts[:i+1], "/"))
	}
	return out
}

// FolderPatch changes a folder's properties; nil fields are left alone.
type FolderPatch struct {
	SyncMode    *SyncMode
	PublishMode *PublishMode
	Path        *string // rename or move the folder (and its subtree)
}

// CheckModes refuses a patch whose modes a folder cannot take: its sync
// mode is inherit, sync or exclude (sync_all is the company's default
// only), its publish mode one of the four (SEL-2).
func (p FolderPatch) CheckModes() error {
	if s := p.SyncMode; s != nil && *s != SyncInherit && *s != SyncOn && *s != SyncExclude {
		return Errorf(EINVALID, "sync_mode must be inherit, sync or exclude")
	}
	if m := p.PublishMode; m != nil && *m != PublishInherit && *m != PublishImmediately &&
		*m != PublishOnActivation && *m != PublishSelective {
		return Errorf(EINVALID, "publish_mode must be inherit, immediately, on_activation or selective")
	}
	return nil
}
