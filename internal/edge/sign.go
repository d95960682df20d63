package edge

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"time"
)

// Headers that authenticate a purge. The signature is the lower-case hex
// HMAC-SHA256, keyed with the shared purge secret, of the timestamp (Unix
// seconds, as sent), a dot, and the request body.
const (
	HeaderTimestamp = "X-Vitrine-Timestamp"
	HeaderSignature = "X-Vitrine-Signature"
)

var (
	errNoSignature  = errors.New("missing timestamp or signature")
	errBadTimestamp = errors.New("timestamp out of range")
	errBadSignature = errors.New("signature mismatch")
)

// Sign returns the HeaderTimestamp and HeaderSignature values for body
// sent at t.
func Sign(secret []byte, t time.Time, body []byte) (timestamp, signature string) {
	timestamp = strconv.FormatInt(t.Unix(), 10)
	return timestamp, mac(secret, timestamp, body)
}

func mac(secret []byte, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(timestamp))
	m.Write([]byte{'.'})
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// verify checks a purge's signature, and that it was signed within skew of
// now, which bounds how long a captured request can be replayed. A replay
// inside the window only purges again.
func verify(secret []byte, timestamp, signature string, body []byte, now time.Time, skew time.Duration) error {
	if err := checkHeaders(timestamp, signature, now, skew); err != nil {
		return err
	}
	if !hmac.Equal([]byte(mac(secret, timestamp, body)), []byte(signature)) {
		return errBadSignature
	}
	return nil
}

// checkHeaders is what verify can check before the body is read: both
// headers present, the timestamp within skew of now, the signature the
// hex of a SHA-256 HMAC.
func checkHeaders(timestamp, signature string, now time.Time, skew time.Duration) error {
	if timestamp == "" || signature == "" {
		return errNoSignature
	}
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return errBadTimestamp
	}
	if d := now.Sub(time.Unix(sec, 0)); d > skew || d < -skew {
		return errBadTimestamp
	}
	if len(signature) != 2*sha256.Size {
		return errBadSignature
	}
	if _, err := hex.DecodeString(signature); err != nil {
		return errBadSignature
	}
	return nil
}
