package delivery

import (
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/vitrine/vitrine"
)

// The secure-preview host (DEL-4): the same URLs under /preview serve the
// preview destination, only to a member of the company (an API token) or to
// a client address on the company's allow-list, and never to shared caches.

func (h *Handler) previewImage(w http.ResponseWriter, r *http.Request) {
	h.preview(w, r, vitrine.ContextImage)
}

func (h *Handler) previewContent(w http.ResponseWriter, r *http.Request) {
	h.preview(w, r, vitrine.ContextContent, vitrine.ContextVideo, vitrine.ContextImage)
}

func (h *Handler) preview(w http.ResponseWriter, r *http.Request, contexts ...vitrine.Context) {
	w.Header().Set("Vary", "Authorization")
	c, err := h.company(r.Context(), r.PathValue("company"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.previewAllowed(r, c) {
		deny(w, http.StatusForbidden, "Preview needs a token of this company or an allowed address")
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
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return false
	}
	u, err := h.db.Authenticate(r.Context(), strings.TrimSpace(token))
	if err != nil {
		return false
	}
	_, err = h.db.Principal(r.Context(), u, c.RootID)
	return err == nil
}

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
