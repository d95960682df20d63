package vitrine

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"strings"
)

// ELENGTHREQUIRED refuses a raw-body upload sent without a Content-Length.
const ELENGTHREQUIRED = "length_required"

// ContentDigest is what an upload's RFC 9530 digest field asks the server
// to check: the SHA-256 (lower-case hex, the form Vitrine records) and/or
// the CRC32C (Castagnoli) of the body. The zero value asks for nothing.
type ContentDigest struct {
	SHA256    string
	CRC32C    uint32
	HasCRC32C bool
}

// ParseContentDigest reads a Content-Digest or Repr-Digest field
// (`sha-256=:<base64>:`, `crc32c=:<base64 of the 4 bytes, big-endian>:`,
// possibly among other algorithms, which are ignored). An empty field is
// no digest. A field with neither sha-256 nor crc32c, or with a malformed
// one, is refused: the client asked for a check that cannot be made.
//
// crc32c is what the CLI sends: it catches a body changed on the way for
// a fraction of SHA-256's CPU on the client (the server hashes the bytes
// with SHA-256 anyway, to store them), as object stores' checksums do.
func ParseContentDigest(field string) (ContentDigest, error) {
	var d ContentDigest
	if strings.TrimSpace(field) == "" {
		return d, nil
	}
	found := false
	for member := range strings.SplitSeq(field, ",") {
		key, value, ok := strings.Cut(strings.TrimSpace(member), "=")
		key = strings.TrimSpace(key)
		if !ok || (key != "sha-256" && key != "crc32c") {
			continue
		}
		value = strings.TrimSpace(value)
		if i := strings.IndexByte(value, ';'); i >= 0 { // parameters
			value = strings.TrimSpace(value[:i])
		}
		var sum []byte
		b64, ok := strings.CutPrefix(value, ":")
		if b64, ok2 := strings.CutSuffix(b64, ":"); ok && ok2 {
			sum, _ = base64.StdEncoding.DecodeString(b64)
		}
		switch {
		case key == "sha-256" && len(sum) == 32:
			d.SHA256 = hex.EncodeToString(sum)
		case key == "sha-256":
			return ContentDigest{}, Errorf(EINVALID, "Content-Digest sha-256 must be 32 bytes in base64 between colons: sha-256=:<base64>:")
		case len(sum) == 4:
			d.CRC32C, d.HasCRC32C = binary.BigEndian.Uint32(sum), true
		default:
			return ContentDigest{}, Errorf(EINVALID, "Content-Digest crc32c must be 4 bytes (big-endian) in base64 between colons: crc32c=:<base64>:")
		}
		found = true
	}
	if !found {
		return ContentDigest{}, Errorf(EINVALID, "Content-Digest has no sha-256 or crc32c member: send sha-256=:<base64 of the SHA-256>: or crc32c=:<base64 of the CRC32C>:")
	}
	return d, nil
}
