package delivery

import (
	"crypto/sha256"
	"encoding/hex"
)

// renditionKey names a rendition by everything that decides its bytes: the
// company, the source version's digest, the canonical modifiers (presets
// expanded, imaging.Request.CacheKey) and the fingerprint of the company's
// render settings and the renderer (imaging.Settings.Fingerprint). It keys
// the rendition cache and makes the ETag, so a settings change or a new
// renderer gives a new key: no stale rendition is served, and a browser's
// old ETag no longer answers 304.
func renditionKey(rootID, versionSHA, modifiers, settings string) string {
	h := sha256.New()
	// NUL cannot occur in any part (root ids, hex digests, and CacheKey
	// escapes control bytes), so the parts cannot run into each other.
	for _, part := range []string{rootID, versionSHA, modifiers, settings} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// renditionETag is the strong ETag of the rendition with key k.
func renditionETag(k string) string { return `"` + k[:40] + `"` }
