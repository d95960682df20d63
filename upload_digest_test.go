package vitrine

import (
	"testing"
)

func TestParseContentDigest(t *testing.T) {
	t.Parallel()
	// SHA-256 of "hello": 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824.
	const b64 = "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="
	const hexSum = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
	// CRC32C of "hello": 0x9a71bb4c.
	const crcB64 = "mnG7TA=="
	sha := ContentDigest{SHA256: hexSum}
	crc := ContentDigest{CRC32C: 0x9a71bb4c, HasCRC32C: true}
	tests := []struct {
		field   string
		want    ContentDigest
		wantErr bool
	}{
		{"", ContentDigest{}, false},
		{"  ", ContentDigest{}, false},
		{"sha-256=:" + b64 + ":", sha, false},
		{"sha-512=:AAAA:, sha-256=:" + b64 + ":", sha, false},
		{" sha-256 = :" + b64 + ": ", sha, false},
		{"sha-256=:" + b64 + ":;p=1", sha, false},
		{"crc32c=:" + crcB64 + ":", crc, false},
		{"crc32c=:" + crcB64 + ":, sha-256=:" + b64 + ":", ContentDigest{SHA256: hexSum, CRC32C: 0x9a71bb4c, HasCRC32C: true}, false},
		{"sha-512=:AAAA:", ContentDigest{}, true},                 // no sha-256 nor crc32c
		{"sha-256=" + b64, ContentDigest{}, true},                 // not a byte sequence
		{"sha-256=:AAAA:", ContentDigest{}, true},                 // not 32 bytes
		{"sha-256=:" + hexSum + ":", ContentDigest{}, true},       // hex, not base64
		{"crc32c=:AAAAAAA=:", ContentDigest{}, true},              // 5 bytes
		{"crc32c=9a71bb4c", ContentDigest{}, true},                // hex, the RFC 3230 form
		{"md5=:XUFAKrxLKna5cZ2REBfFkg==:", ContentDigest{}, true}, // only another algorithm
	}
	for _, tt := range tests {
		got, err := ParseContentDigest(tt.field)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ParseContentDigest(%q) = %+v, %v; want %+v, error %v", tt.field, got, err, tt.want, tt.wantErr)
		}
	}
}
