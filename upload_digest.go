package vitrine

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// ELENGTHREQUIRED refuses a raw-body upload sent without a Content-Length.
const ELENGTHREQUIRED = "length_required"

// ContentDigestSHA256 reads the sha-256 member of an RFC 9530 digest field
// (Content-Digest or Repr-Digest: `sha-256=:<base64>:`, possibly among
// other algorithms) and returns it as lower-case hex, the form Vitrine
// records. An empty field is no digest (""). A field without sha-256, or
// with a malformed one, is refused: the client asked for a check that
// cannot be made.
func ContentDigestSHA256(field string) (string, error) {
	if strings.TrimSpace(field) == "" {
		return "", nil
	}
	for member := range strings.SplitSeq(field, ",") {
		key, value, ok := strings.Cut(strings.TrimSpace(member), "=")
		if !ok || strings.TrimSpace(key) != "sha-256" {
			continue
		}
		value = strings.TrimSpace(value)
		if i := strings.IndexByte(value, ';'); i >= 0 { // parameters
			value = strings.TrimSpace(value[:i])
		}
		b64, ok := strings.CutPrefix(value, ":")
		if b64, ok2 := strings.CutSuffix(b64, ":"); ok && ok2 {
			sum, err := base64.StdEncoding.DecodeString(b64)
			if err == nil && len(sum) == 32 {
				return hex.EncodeToString(sum), nil
			}
		}
		return "", Errorf(EINVALID, "Content-Digest sha-256 must be 32 bytes in base64 between colons: sha-256=:<base64>:")
	}
	return "", Errorf(EINVALID, "Content-Digest has no sha-256 member: send sha-256=:<base64 of the SHA-256>:")
}
