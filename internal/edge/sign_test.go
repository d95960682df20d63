package edge

import (
	"strconv"
	"testing"
	"time"
)

func TestVerify(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	body := []byte(`{"id":"1","keys":["acme/shoe"]}`)
	ts, sig := Sign(testSecret, now, body)
	tests := []struct {
		name          string
		ts, sig, body string
		at            time.Time
		want          error
	}{
		{"valid", ts, sig, string(body), now, nil},
		{"5 minutes later", ts, sig, string(body), now.Add(5 * time.Minute), nil},
		{"too late", ts, sig, string(body), now.Add(5*time.Minute + time.Second), errBadTimestamp},
		{"too early", ts, sig, string(body), now.Add(-5*time.Minute - time.Second), errBadTimestamp},
		{"other body", ts, sig, `{"id":"1","all":true}`, now, errBadSignature},
		{"other timestamp", strconv.FormatInt(now.Unix()+1, 10), sig, string(body), now, errBadSignature},
		{"upper-case hex", ts, "A" + sig[1:], string(body), now, errBadSignature},
		{"not a number", "soon", sig, string(body), now, errBadTimestamp},
		{"missing", "", "", string(body), now, errNoSignature},
	}
	for _, tt := range tests {
		if got := verify(testSecret, tt.ts, tt.sig, []byte(tt.body), tt.at, 5*time.Minute); got != tt.want {
			t.Errorf("%s: verify = %v, want %v", tt.name, got, tt.want)
		}
	}
}
