package imaging

import (
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
)

func TestSignVerify(t *testing.T) {
	t.Parallel()
	oldKey, newKey, otherKey := []byte("old-secret"), []byte("new-secret"), []byte("someone-else")
	path := "/is/image/acme/shoe"
	now := time.Unix(1_700_000_000, 0)
	req, err := Parse("wid=300&fmt=webp", nil)
	if err != nil {
		t.Fatal(err)
	}
	sig := Sign(newKey, path, req.CacheKey(), time.Time{})
	expSig := Sign(newKey, path, req.CacheKey(), now.Add(time.Hour))
	hexSig := func() string {
		b, _ := base64.RawURLEncoding.DecodeString(sig)
		return hex.EncodeToString(b)
	}()
	tests := []struct {
		name  string
		query string
		keys  [][]byte
		path  string
		ok    bool
	}{
		{"signed", "wid=300&fmt=webp&sig=" + sig, [][]byte{newKey}, path, true},
		{"another spelling of the same rendition", "FMT=WEBP&.c=1&wid=300&fmt=webp&sig=" + sig, [][]byte{newKey}, path, true},
		{"old key still live (rotation)", "wid=300&fmt=webp&sig=" + sig, [][]byte{oldKey, newKey}, path, true},
		{"hex form", "wid=300&fmt=webp&sig=" + hexSig, [][]byte{newKey}, path, true},
		{"padded base64url", "wid=300&fmt=webp&sig=" + sig + "%3D", [][]byte{newKey}, path, true},
		{"with expiry", "wid=300&fmt=webp&exp=" + itoa(now.Add(time.Hour).Unix()) + "&sig=" + expSig, [][]byte{newKey}, path, true},
		{"expiry stripped", "wid=300&fmt=webp&sig=" + expSig, [][]byte{newKey}, path, false},
		{"expiry moved", "wid=300&fmt=webp&exp=" + itoa(now.Add(48*time.Hour).Unix()) + "&sig=" + expSig, [][]byte{newKey}, path, false},
		{"expired", "wid=300&fmt=webp&exp=" + itoa(now.Add(-time.Second).Unix()) + "&sig=" + Sign(newKey, path, req.CacheKey(), now.Add(-time.Second)), [][]byte{newKey}, path, false},
		{"key retired", "wid=300&fmt=webp&sig=" + sig, [][]byte{oldKey}, path, false},
		{"other company's key", "wid=300&fmt=webp&sig=" + sig, [][]byte{otherKey}, path, false},
		{"modifier added", "wid=300&fmt=webp&hei=900&sig=" + sig, [][]byte{newKey}, path, false},
		{"other asset", "wid=300&fmt=webp&sig=" + sig, [][]byte{newKey}, "/is/image/acme/boot", false},
		{"unsigned", "wid=300&fmt=webp", [][]byte{newKey}, path, false},
		{"garbage", "wid=300&fmt=webp&sig=***", [][]byte{newKey}, path, false},
		{"no keys", "wid=300&fmt=webp&sig=" + sig, nil, path, false},
		{"empty key never verifies", "wid=300&fmt=webp&sig=" + Sign(nil, path, req.CacheKey(), time.Time{}), [][]byte{{}}, path, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := Parse(tt.query, nil)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.query, err)
			}
			err = Verify(tt.keys, tt.path, r, now)
			if tt.ok && err != nil {
				t.Errorf("Verify(%q) = %v, want nil", tt.query, err)
			}
			if !tt.ok && vitrine.ErrorCode(err) != vitrine.EFORBIDDEN {
				t.Errorf("Verify(%q) = %v, want %s", tt.query, err, vitrine.EFORBIDDEN)
			}
		})
	}
}

func TestSignedQuery(t *testing.T) {
	t.Parallel()
	key, path := []byte("k"), "/is/image/acme/a b"
	now := time.Unix(1_700_000_000, 0)
	for _, q := range []string{"", "$Large$&id=x%26y", "wid=10"} {
		req, err := Parse(q, testPresets)
		if err != nil {
			t.Fatal(err)
		}
		for _, exp := range []time.Time{{}, now.Add(time.Minute)} {
			signed := SignedQuery(key, path, req, exp)
			if _, err := url.ParseQuery(signed); err != nil {
				t.Errorf("SignedQuery(%q) = %q: not a query string: %v", q, signed, err)
			}
			back, err := Parse(signed, nil)
			if err != nil {
				t.Fatalf("Parse(SignedQuery(%q)) = %v", q, err)
			}
			if err := Verify([][]byte{key}, path, back, now); err != nil {
				t.Errorf("Verify(SignedQuery(%q, exp %v)) = %v", q, exp, err)
			}
			// The query as written, signed: it keeps its spelling.
			own := SignQuery(key, path, q, req, exp)
			if !strings.HasPrefix(own, q) {
				t.Errorf("SignQuery(%q) = %q: the query as written is not kept", q, own)
			}
			if back, err := Parse(own, testPresets); err != nil {
				t.Fatalf("Parse(SignQuery(%q)) = %v", q, err)
			} else if err := Verify([][]byte{key}, path, back, now); err != nil {
				t.Errorf("Verify(SignQuery(%q, exp %v)) = %v", q, exp, err)
			}
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
