package vitrine

import "testing"

func TestContentDigestSHA256(t *testing.T) {
	t.Parallel()
	// SHA-256 of "hello": 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824.
	const b64 = "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="
	const hexSum = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
	tests := []struct {
		field, want string
		wantErr     bool
	}{
		{"", "", false},
		{"  ", "", false},
		{"sha-256=:" + b64 + ":", hexSum, false},
		{"sha-512=:AAAA:, sha-256=:" + b64 + ":", hexSum, false},
		{" sha-256 = :" + b64 + ": ", hexSum, false},
		{"sha-256=:" + b64 + ":;p=1", hexSum, false},
		{"sha-512=:AAAA:", "", true},                 // no sha-256
		{"sha-256=" + b64, "", true},                 // not a byte sequence
		{"sha-256=:AAAA:", "", true},                 // not 32 bytes
		{"sha-256=:" + hexSum + ":", "", true},       // hex, not base64
		{"md5=:XUFAKrxLKna5cZ2REBfFkg==:", "", true}, // only another algorithm
	}
	for _, tt := range tests {
		got, err := ContentDigestSHA256(tt.field)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ContentDigestSHA256(%q) = %q, %v; want %q, error %v", tt.field, got, err, tt.want, tt.wantErr)
		}
	}
}
