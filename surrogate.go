package vitrine

import "strings"

// Surrogate keys name, for a purge, everything a cache holds that was
// derived from one asset id: renditions, the original, request answers
// (props, imageprops, exists) and the set answers that list it. Delivery
// sends them in the Xkey header; the edges index entries by them; purges
// name them; Varnish's xkey module matches them.
//
// Caches split Xkey on spaces and commas (Varnish's xkey does, and so does
// the edge), so a key must hold neither; and two ids must never share a
// key. A key is therefore the company's root id (a-z 0-9 _ -), a slash, and
// the asset id percent-encoded byte by byte: every byte but A-Z a-z 0-9
// - . _ ~ becomes %XX (upper-case hex). The encoding is one-to-one ('%' is
// itself encoded) and its output has no space, comma, '+', '/' or
// non-ASCII byte, so the key cannot split and the root id cannot run into
// the asset id. docs/edge.md shows examples.

// SurrogateKey is the purge key of what is derived from asset id asset of
// the company with root id rootID.
func SurrogateKey(rootID, asset string) string {
	return rootID + "/" + escapeKeyPart(asset)
}

// SearchKey is the purge key of a company's search answers. ':' is always
// encoded in an asset's key, so no asset id can share it.
func SearchKey(rootID string) string { return rootID + "/:search" }

// ValidSurrogateKey reports whether k can travel in an Xkey header as one
// key: not empty, printable ASCII, no space and no comma.
func ValidSurrogateKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		if c := k[i]; c <= ' ' || c >= 0x7f || c == ',' {
			return false
		}
	}
	return true
}

// escapeKeyPart percent-encodes every byte outside RFC 3986's unreserved
// set.
func escapeKeyPart(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
