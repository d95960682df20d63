package edge

import (
	"net/http"
	"testing"
	"time"
)

func TestDecide(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	const swr = time.Minute
	tests := []struct {
		name   string
		status int
		header http.Header
		want   policy
	}{
		{"published image", 200, http.Header{"Cache-Control": {"public, max-age=36000"}},
			policy{store: true, share: true, ttl: 10 * time.Hour, swr: swr}},
		{"s-maxage over max-age, no default stale", 200, http.Header{"Cache-Control": {"max-age=10, s-maxage=100"}},
			policy{store: true, share: true, ttl: 100 * time.Second}},
		{"explicit stale-while-revalidate", 200, http.Header{"Cache-Control": {"max-age=10, stale-while-revalidate=5"}},
			policy{store: true, share: true, ttl: 10 * time.Second, swr: 5 * time.Second}},
		{"must-revalidate", 200, http.Header{"Cache-Control": {"max-age=10, must-revalidate, stale-while-revalidate=5"}},
			policy{store: true, share: true, ttl: 10 * time.Second}},
		{"no-cache with validator", 200, http.Header{"Cache-Control": {"no-cache"}, "Etag": {`"1"`}},
			policy{store: true, share: true}},
		{"no-cache without validator", 200, http.Header{"Cache-Control": {"no-cache"}},
			policy{share: true}},
		{"expires", 200, http.Header{"Expires": {"Wed, 04 Mar 2026 06:06:07 GMT"}, "Date": {"Wed, 04 Mar 2026 05:06:07 GMT"}},
			policy{store: true, share: true, ttl: time.Hour, swr: swr}},
		{"expires in the past", 200, http.Header{"Expires": {"0"}},
			policy{share: true}},
		{"bad max-age is stale", 200, http.Header{"Cache-Control": {"max-age=soon"}, "Last-Modified": {"Mon, 02 Mar 2026 10:00:00 GMT"}},
			policy{store: true, share: true, swr: swr}},
		{"quoted and upper case", 200, http.Header{"Cache-Control": {`Max-Age="60"`}},
			policy{store: true, share: true, ttl: time.Minute, swr: swr}},
		{"no freshness", 200, http.Header{"Etag": {`"1"`}}, policy{share: true}},
		{"no-store", 200, http.Header{"Cache-Control": {"no-store, max-age=60"}}, policy{share: true}},
		{"private", 200, http.Header{"Cache-Control": {"private, max-age=60"}}, policy{}},
		{"private field list", 200, http.Header{"Cache-Control": {`private="Set-Cookie", max-age=60`}}, policy{}},
		{"set-cookie", 200, http.Header{"Cache-Control": {"max-age=60"}, "Set-Cookie": {"a=b"}}, policy{}},
		{"vary star", 200, http.Header{"Cache-Control": {"max-age=60"}, "Vary": {"Accept, *"}}, policy{}},
		{"error", 500, http.Header{"Cache-Control": {"max-age=60"}}, policy{share: true}},
		{"denied", 403, http.Header{"Cache-Control": {"no-store"}}, policy{share: true}},
		{"partial content", 206, http.Header{"Cache-Control": {"max-age=60"}}, policy{share: true}},
	}
	for _, tt := range tests {
		if got := decide(tt.status, tt.header, now, swr); got != tt.want {
			t.Errorf("%s: decide(%d, %v) = %+v, want %+v", tt.name, tt.status, tt.header, got, tt.want)
		}
	}
}
