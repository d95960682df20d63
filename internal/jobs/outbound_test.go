package jobs_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/vitrine/vitrine/internal/jobs"
)

func TestPublicAddr(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]bool{
		"93.184.216.34": true, "2606:4700::1111": true, "8.8.8.8": true,
		"127.0.0.1": false, "::1": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false,
		"169.254.169.254": false, "fe80::1": false, "fd00:ec2::254": false, "100.64.0.1": false, "0.0.0.0": false,
		"::": false, "224.0.0.1": false, "255.255.255.255": false, "::ffff:127.0.0.1": false, "::ffff:10.0.0.1": false,
		"64:ff9b::a00:1": false, "2002:a00:1::": false,
	} {
		if got := jobs.PublicAddr(netip.MustParseAddr(addr)); got != want {
			t.Errorf("PublicAddr(%s) = %v, want %v", addr, got, want)
		}
	}
}

// TestOutbound: schemes, redirects and the byte cap of the one outbound
// client (the dial check itself is covered by TestWebhookLoopbackRefused).
func TestOutbound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	mux := http.NewServeMux()
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(strings.Repeat("x", 100))) })
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/ftp", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "ftp://example.com/x", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	o := jobs.NewOutbound(jobs.OutboundConfig{AllowPrivate: true, MaxRedirects: 5})
	if _, err := o.Get(ctx, "file:///etc/passwd", 10); err == nil {
		t.Error("file: URL fetched")
	}
	if _, err := o.Get(ctx, srv.URL+"/loop", 10); err == nil || !strings.Contains(err.Error(), "redirects") {
		t.Errorf("redirect loop: %v", err)
	}
	if _, err := o.Get(ctx, srv.URL+"/ftp", 10); err == nil {
		t.Error("redirect to ftp followed")
	}
	for limit, wantErr := range map[int64]bool{99: true, 100: false} {
		resp, err := o.Get(ctx, srv.URL+"/big", limit)
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if errors.Is(err, jobs.ErrTooLarge) != wantErr {
			t.Errorf("cap %d: %v", limit, err)
		}
	}
	guarded := jobs.NewOutbound(jobs.DefaultOutboundConfig())
	if _, err := guarded.Get(ctx, srv.URL+"/big", 10); !errors.Is(err, jobs.ErrForbiddenAddress) {
		t.Errorf("loopback: %v, want ErrForbiddenAddress", err)
	}
}
