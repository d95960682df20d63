package edge

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A purge without a valid-looking fresh signature is refused from its
// headers, before any of its body is read: a caller without credentials
// cannot hold the connection with a stalled 4 MB body (issue 15, item 7).
func TestPurgeRefusedBeforeBody(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		headers func(f *fixture) string
		status  int
	}{
		{"unsigned", func(*fixture) string { return "" }, 401},
		{"stale", func(f *fixture) string {
			ts, sig := Sign(testSecret, f.clock.Now().Add(-time.Hour), nil)
			return HeaderTimestamp + ": " + ts + "\r\n" + HeaderSignature + ": " + sig + "\r\n"
		}, 401},
		{"malformed signature", func(f *fixture) string {
			ts, _ := Sign(testSecret, f.clock.Now(), nil)
			return HeaderTimestamp + ": " + ts + "\r\n" + HeaderSignature + ": nothex\r\n"
		}, 401},
		{"signed, too large", func(f *fixture) string {
			ts, sig := Sign(testSecret, f.clock.Now(), nil)
			return HeaderTimestamp + ": " + ts + "\r\n" + HeaderSignature + ": " + sig + "\r\n"
		}, 413},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			conn, err := net.Dial("tcp", strings.TrimPrefix(f.edge.URL, "http://"))
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			fmt.Fprintf(conn, "POST /_edge/purge HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n%sContent-Length: %d\r\n\r\n{",
				tc.headers(f), 4<<20)
			// The body never comes; the answer must not wait for it.
			conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatalf("no answer before the body: %v", err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Errorf("purge = %d, want %d", resp.StatusCode, tc.status)
			}
		})
	}
}
