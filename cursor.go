package vitrine

import (
	"encoding/base64"
	"strings"
)

// Listing cursors are opaque to clients: a version prefix and the sort key,
// base64url-encoded. A cursor the server did not make is refused with
// EINVALID instead of silently starting somewhere.
const cursorPrefix = "v1:"

// EncodeCursor makes the cursor that continues a listing after key.
func EncodeCursor(key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + key))
}

// DecodeCursor returns the key of a cursor made by EncodeCursor; "" for "".
func DecodeCursor(c string) (string, error) {
	if c == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !strings.HasPrefix(string(b), cursorPrefix) {
		return "", Errorf(EINVALID, "cursor %q is not one this server made; pass next_cursor from the previous page", truncate(c, 64))
	}
	return strings.TrimPrefix(string(b), cursorPrefix), nil
}
