package edge

import (
	"log/slog"
	"net/http"
	"net/http/httputil"
	"net/url"
)

// newPassProxy streams requests the cache must not answer (credentials,
// private or oversized responses) to the origin and back, untouched but
// for X-Cache: PASS.
func newPassProxy(origin *url.URL, transport http.RoundTripper, log *slog.Logger) *httputil.ReverseProxy {
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(origin)
			pr.SetXForwarded()
			pr.Out.Header.Set("Via", "1.1 vitrine-edge")
		},
		Transport: transport,
		ModifyResponse: func(resp *http.Response) error {
			resp.Header.Set("X-Cache", "PASS")
			return nil
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			log.Warn("edge: origin pass-through failed", "url", r.URL.RequestURI(), "err", err)
			badGateway(w)
		},
	}
}

func (n *Node) pass(w http.ResponseWriter, r *http.Request) {
	cw := &countingWriter{ResponseWriter: w}
	n.proxy.ServeHTTP(cw, r)
	n.metrics.request("PASS", cw.n)
}
