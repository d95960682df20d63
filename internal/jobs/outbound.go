package jobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"

	"github.com/vitrine/vitrine"
)

// OutboundConfig configures the one HTTP client the server uses for its
// own requests: notifications (JOB-6) and URL-list uploads (UP-1).
type OutboundConfig struct {
	// AllowPrivate lets requests reach loopback, private, link-local and
	// other non-public addresses. Off by default: a user-supplied URL must
	// not make the server probe its own network (SSRF).
	AllowPrivate bool
	// Timeout bounds one whole request, body included.
	Timeout time.Duration
	// MinRate is the slowest average, in bytes per second, a response body
	// may arrive at once Grace has passed: a server trickling bytes must not
	// hold a job worker for the whole Timeout.
	MinRate int64
	Grace   time.Duration
	// MaxRedirects bounds redirects followed (each one is checked again).
	MaxRedirects int
}

// DefaultOutboundConfig returns 10 minutes per request, at least 16 KiB/s
// after the first 30 seconds, and 5 redirects.
func DefaultOutboundConfig() OutboundConfig {
	return OutboundConfig{Timeout: 10 * time.Minute, MinRate: 16 << 10, Grace: 30 * time.Second, MaxRedirects: 5}
}

// Outbound is the guarded HTTP client. The address check runs at dial time
// on the resolved IP (net.Dialer.Control), so a name that resolves to a
// private address, or re-resolves to one after a check (DNS rebinding), is
// refused too. Environment proxies are ignored: through a proxy the dial
// would only ever see the proxy's address.
type Outbound struct {
	cfg    OutboundConfig
	client *http.Client
}

// NewOutbound returns an Outbound client.
func NewOutbound(cfg OutboundConfig) *Outbound {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultOutboundConfig().Timeout
	}
	if cfg.MaxRedirects < 0 {
		cfg.MaxRedirects = 0
	}
	if cfg.MinRate <= 0 || cfg.Grace <= 0 {
		cfg.MinRate, cfg.Grace = DefaultOutboundConfig().MinRate, DefaultOutboundConfig().Grace
	}
	o := &Outbound{cfg: cfg}
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second, Control: o.control}
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
		ExpectContinueTimeout: time.Second,
		MaxIdleConns:          16,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	o.client = &http.Client{Transport: tr, Timeout: cfg.Timeout, CheckRedirect: o.checkRedirect}
	return o
}

// ErrForbiddenAddress is returned for a request to an address the client
// refuses.
var ErrForbiddenAddress = errors.New("address not allowed")

func (o *Outbound) control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrForbiddenAddress, address)
	}
	if !o.cfg.AllowPrivate && !PublicAddr(ap.Addr()) {
		return fmt.Errorf("%w: %s is not a public address (the operator can allow it with --allow-private-fetch)", ErrForbiddenAddress, ap.Addr())
	}
	return nil
}

func (o *Outbound) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > o.cfg.MaxRedirects {
		return fmt.Errorf("more than %d redirects", o.cfg.MaxRedirects)
	}
	return checkScheme(req.URL.Scheme)
}

func checkScheme(s string) error {
	if s != "http" && s != "https" {
		return vitrine.Errorf(vitrine.EINVALID, "only http and https URLs are allowed, not %q", s)
	}
	return nil
}

// PublicAddr reports whether ip is a public unicast address: not loopback,
// private (RFC 1918, fc00::/7), link-local (which holds cloud metadata at
// 169.254.169.254), carrier-grade NAT, unspecified, multicast or reserved.
func PublicAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// nonPublic lists the ranges netip's predicates do not cover.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),  // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),   // IETF protocol assignments
	netip.MustParsePrefix("198.18.0.0/15"),  // benchmarking
	netip.MustParsePrefix("240.0.0.0/4"),    // reserved, broadcast
	netip.MustParsePrefix("64:ff9b::/96"),   // NAT64 can reach private IPv4
	netip.MustParsePrefix("64:ff9b:1::/48"), // local-use NAT64 (RFC 8215)
	netip.MustParsePrefix("2001::/32"),      // Teredo can embed any IPv4
	netip.MustParsePrefix("::/96"),          // IPv4-compatible (deprecated)
	netip.MustParsePrefix("2002::/16"),      // 6to4 can embed private IPv4
	netip.MustParsePrefix("2001:db8::/32"),  // documentation
	netip.MustParsePrefix("100::/64"),       // discard
	netip.MustParsePrefix("fec0::/10"),      // site-local (deprecated)
}

// Do sends req (http or https only) and returns the response; its body is
// capped at maxBytes (reading past it fails).
func (o *Outbound) Do(req *http.Request, maxBytes int64) (*http.Response, error) {
	if err := checkScheme(req.URL.Scheme); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancelCause(req.Context())
	w := newRateWatch(o.cfg.Grace, o.cfg.MinRate, cancel)
	resp, err := o.client.Do(req.WithContext(ctx))
	if err != nil {
		if c := context.Cause(ctx); errors.Is(c, ErrTooSlow) {
			err = c
		}
		w.stop()
		return nil, err
	}
	resp.Body = &rateBody{rc: &cappedBody{rc: resp.Body, left: maxBytes, max: maxBytes}, w: w, ctx: ctx}
	return resp, nil
}

// Get fetches u.
func (o *Outbound) Get(ctx context.Context, u string, maxBytes int64) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, vitrine.Errorf(vitrine.EINVALID, "bad URL %q: %v", u, err)
	}
	return o.Do(req, maxBytes)
}

// ErrTooLarge is returned when a response body passes the byte cap.
var ErrTooLarge = errors.New("response body too large")

type cappedBody struct {
	rc        io.ReadCloser
	left, max int64
}

func (c *cappedBody) Read(p []byte) (int, error) {
	if c.left <= 0 {
		// One more byte tells a body of exactly max bytes from a longer one.
		var b [1]byte
		if n, _ := c.rc.Read(b[:]); n > 0 {
			return 0, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, c.max)
		}
		return 0, io.EOF
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.rc.Read(p)
	c.left -= int64(n)
	return n, err
}

func (c *cappedBody) Close() error { return c.rc.Close() }
