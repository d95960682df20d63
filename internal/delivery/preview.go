package delivery

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/vitrine/vitrine"
)

// The secure-preview host (DEL-4): the same URLs under /preview serve the
// preview destination, rendered exactly as delivery renders them, only to
// a member of the company (an API token, or a signed-in workspace
// session) or to a client address on the company's allow-list, and never
// to shared caches.

// Sessions finds the user of a request's workspace session (the web
// workspace, internal/ui); an error means there is none.
type Sessions interface {
	SessionUser(r *http.Request) (*vitrine.User, error)
}

// UseSessions lets signed-in workspace users open preview URLs in the
// browser. main calls it once, before serving.
func (h *Handler) UseSessions(s Sessions) { h.sessions = s }

func (h *Handler) previewImage(w http.ResponseWriter, r *http.Request) {
	pw := &privateWriter{ResponseWriter: w}
	pw.Header().Set("Vary", "Authorization, Cookie")
	h.serveImage(pw, r, vitrine.DestPreview, func(c *vitrine.Company) bool { return h.previewAllowed(r, c) })
}

func (h *Handler) previewContent(w http.ResponseWriter, r *http.Request) {
	h.preview(&privateWriter{ResponseWriter: w}, r, vitrine.ContextContent, vitrine.ContextVideo, vitrine.ContextImage)
}

func (h *Handler) preview(w http.ResponseWriter, r *http.Request, contexts ...vitrine.Context) {
	w.Header().Set("Vary", "Authorization, Cookie")
	c, err := h.company(r.Context(), r.PathValue("company"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.previewAllowed(r, c) {
		deny(w, http.StatusForbidden, "Preview needs a token of this company, a signed-in workspace session, or an allowed address")
		return
	}
	_, e, err := h.lookup(r.Context(), c.RootID, r.PathValue("name"), vitrine.DestPreview, contexts...)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.serveVersion(w, r, c, e, `"`+e.Version.SHA256[:40]+`"`, "private, no-store")
}

// previewAllowed reports whether the request may see company c's preview.
func (h *Handler) previewAllowed(r *http.Request, c *vitrine.Company) bool {
	if ip, ok := clientAddr(r); ok {
		for _, cidr := range c.Settings.PreviewAllowCIDRs {
			if p, err := netip.ParsePrefix(cidr); err == nil && p.Contains(ip) {
				return true
			}
		}
	}
	if token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		u, err := h.db.Authenticate(r.Context(), strings.TrimSpace(token))
		return err == nil && h.member(r.Context(), u, c)
	}
	if h.sessions != nil {
		u, err := h.sessions.SessionUser(r)
		return err == nil && h.member(r.Context(), u, c)
	}
	return false
}

// member reports whether u belongs to company c with access on.
func (h *Handler) member(ctx context.Context, u *vitrine.User, c *vitrine.Company) bool {
	_, err := h.db.Principal(ctx, u, c.RootID)
	return err == nil
}

// privateWriter keeps every preview answer out of shared caches and out
// of the edges' purge keys, whatever path wrote it.
type privateWriter struct {
	http.ResponseWriter
	wrote bool
}

func (p *privateWriter) WriteHeader(code int) {
	if !p.wrote {
		p.wrote = true
		p.Header().Set("Cache-Control", "private, no-store")
		p.Header().Del("Xkey")
	}
	p.ResponseWriter.WriteHeader(code)
}

func (p *privateWriter) Write(b []byte) (int, error) {
	if !p.wrote {
		p.WriteHeader(http.StatusOK)
	}
	return p.ResponseWriter.Write(b)
}

func (p *privateWriter) Unwrap() http.ResponseWriter { return p.ResponseWriter }

// clientAddr is the connection's peer address. Forwarded headers are not
// trusted: a proxy in front of the preview host must do its own allow-listing.
func clientAddr(r *http.Request) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}, false
	}
	ip, err := netip.ParseAddr(host)
	return ip.Unmap(), err == nil
}
