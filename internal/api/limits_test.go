package api_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vitrine/vitrine/internal/api"
)

// longList is a JSON list of n distinct strings.
func longList(n int) string {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf("%q", fmt.Sprintf("n%d", i))
	}
	return "[" + strings.Join(items, ",") + "]"
}

// Every array of every request type is capped with a clear 400 before the
// request reaches the store (issue 15, item 4).
func TestRequestArraysCapped(t *testing.T) {
	t.Parallel()
	e := newEnv(t, api.DefaultConfig())
	const c = "/api/v1/companies/acme"
	long := longList(api.DefaultConfig().MaxArrayItems + 1)
	members := make([]string, api.DefaultConfig().MaxArrayItems+1)
	for i := range members {
		members[i] = fmt.Sprintf(`{"name":"a%d"}`, i)
	}
	for _, tc := range []struct{ method, path, body, where string }{
		{"POST", c + "/publication", `{"action":"publish","assets":` + long + `}`, "assets"},
		{"POST", c + "/publication/plan", `{"action":"publish","folders":` + long + `}`, "folders"},
		{"POST", c + "/sets", `{"name":"s","type":"image_set","members":[` + strings.Join(members, ",") + `]}`, "members"},
		{"POST", c + "/invalidations", `{"urls":` + long + `}`, "urls"},
		{"PATCH", c + "/assets/x", `{"keywords":` + long + `}`, "keywords"},
		{"PATCH", c + "/settings", `{"invalidation_template":` + long + `}`, "invalidation_template"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			status, out := e.do(t, tc.method, tc.path, "application/json", strings.NewReader(tc.body))
			msg := fmt.Sprint(out["error"])
			if len(msg) > 300 {
				msg = msg[:300]
			}
			if status != http.StatusBadRequest || !strings.Contains(msg, tc.where+": at most") {
				t.Errorf("%s %s with %d items = %d %s; want 400 naming %q", tc.method, tc.path, len(members), status, msg, tc.where)
			}
		})
	}
}

// A body trickled slower than the deadline is cut off with an answer, not
// held open (issue 15, item 7): a JSON body, and an upload's.
func TestSlowBodyCutOff(t *testing.T) {
	t.Parallel()
	cfg := api.DefaultConfig()
	cfg.BodyTimeout = 300 * time.Millisecond
	e := newEnv(t, cfg)
	for _, tc := range []struct{ name, method, path, ctype, head string }{
		{"json", "POST", "/api/v1/companies/acme/publication", "application/json", `{"action":"publish","assets":["`},
		{"upload", "POST", "/api/v1/companies/acme/assets", "multipart/form-data; boundary=B",
			"--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\n\xff\xd8"},
		{"raw upload", "PUT", "/api/v1/companies/acme/assets/a.jpg", "image/jpeg", "\xff\xd8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			conn, err := net.Dial("tcp", strings.TrimPrefix(e.srv.URL, "http://"))
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\nContent-Length: 100000\r\n\r\n%s",
				tc.method, tc.path, e.token, tc.ctype, tc.head)
			// The rest never comes. The server must answer (or close)
			// on its own; the client's deadline only bounds a failure.
			conn.SetReadDeadline(time.Now().Add(20 * time.Second))
			start := time.Now()
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				if ne, ok := err.(net.Error); ok && ne.Timeout() {
					t.Fatalf("a stalled body held the connection %v", time.Since(start))
				}
				return // closed: cut off
			}
			defer resp.Body.Close()
			var out map[string]any
			json.NewDecoder(resp.Body).Decode(&out)
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("stalled body = %d %v; want 400", resp.StatusCode, out)
			}
		})
	}
}
