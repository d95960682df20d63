package imaging

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/vitrine/vitrine"
)

// URL signing (SPEC §5.1, reference notes §3.1). A signature is
//
//	base64url-without-padding( HMAC-SHA256( key, path + "?" + cacheKey [+ "&exp=" + unix seconds] ) )
//
// where path is the decoded URL path (for example "/is/image/acme/shoe",
// r.URL.Path) and cacheKey the request's canonical modifiers
// (Request.CacheKey), which leave sig and exp out. Signing the canonical
// form means any spelling of the same rendition verifies, and nothing
// that changes the pixels can be added without breaking the signature.
// Verify also accepts the 64-digit hex form of the same MAC.

// Sign returns the sig= value for a path and canonical modifiers, expiring
// at exp (the zero time means never).
func Sign(key []byte, path, cacheKey string, exp time.Time) string {
	var unix int64
	if !exp.IsZero() {
		unix = exp.Unix()
	}
	return base64.RawURLEncoding.EncodeToString(mac(key, path, cacheKey, unix))
}

// SignedQuery returns the query string of a signed URL for req: its
// canonical modifiers, then exp= when set, then sig=.
func SignedQuery(key []byte, path string, req *Request, exp time.Time) string {
	return SignQuery(key, path, req.CacheKey(), req, exp)
}

// SignQuery returns query, the query string req was parsed from (or any
// spelling of it), with exp= when set and sig= for req appended: the
// signature covers req's canonical modifiers, not the spelling.
func SignQuery(key []byte, path, query string, req *Request, exp time.Time) string {
	add := func(pair string) {
		if query != "" {
			query += "&"
		}
		query += pair
	}
	if !exp.IsZero() {
		add("exp=" + strconv.FormatInt(exp.Unix(), 10))
	}
	add("sig=" + Sign(key, path, req.CacheKey(), exp))
	return query
}

// Verify checks the request's sig= (and exp=) against each of the
// company's live keys, so keys can be rotated: sign with the new key while
// the old one still verifies. A missing, malformed, wrong or expired
// signature is EFORBIDDEN (Scene7 answers 403).
func Verify(keys [][]byte, path string, req *Request, now time.Time) error {
	sig, exp := req.Signature()
	if sig == "" {
		return vitrine.Errorf(vitrine.EFORBIDDEN, "this URL must be signed")
	}
	if exp != 0 && now.Unix() > exp {
		return vitrine.Errorf(vitrine.EFORBIDDEN, "this signed URL has expired")
	}
	got, ok := decodeSig(sig)
	if !ok {
		return vitrine.Errorf(vitrine.EFORBIDDEN, "malformed URL signature")
	}
	key := req.CacheKey()
	for _, k := range keys {
		if len(k) > 0 && hmac.Equal(got, mac(k, path, key, exp)) {
			return nil
		}
	}
	return vitrine.Errorf(vitrine.EFORBIDDEN, "bad URL signature")
}

func mac(key []byte, path, cacheKey string, exp int64) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(path))
	h.Write([]byte{'?'})
	h.Write([]byte(cacheKey))
	if exp != 0 {
		h.Write([]byte("&exp=" + strconv.FormatInt(exp, 10)))
	}
	return h.Sum(nil)
}

// decodeSig reads a signature in hex or base64url, padded or not.
func decodeSig(s string) ([]byte, bool) {
	if len(s) == 2*sha256.Size {
		if b, err := hex.DecodeString(s); err == nil {
			return b, true
		}
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	return b, err == nil && len(b) == sha256.Size
}
