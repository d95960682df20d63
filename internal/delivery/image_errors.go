package delivery

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/vitrine/vitrine"
)

// failImage answers a failed /is/image request the way Scene7 does: "for
// most common errors" the status is 403 (r-errors.md; reference notes
// §1.7), so a bad modifier, an unknown or unpublished id, a reply above
// MaxPix, a source too large to render and a file type that cannot be
// rendered all answer 403. A busy server still answers 503 with
// Retry-After, and an internal failure 500. The body is the usual short
// text, except for req=…,json: "error responses for non-image request
// types conform to the format specified with req=" (r-errors.md), so those
// get the JSON error body {"error":{"code","message"}}.
func (h *Handler) failImage(w http.ResponseWriter, r *http.Request, err error) {
	code := vitrine.ErrorCode(err)
	status := http.StatusForbidden
	switch code {
	case vitrine.EUNAVAILABLE:
		w.Header().Set("Retry-After", "1")
		status = http.StatusServiceUnavailable
	case vitrine.EINVALID, vitrine.EFORBIDDEN, vitrine.ENOTFOUND, vitrine.ENOTPUBLISHED,
		vitrine.ETOOLARGE, vitrine.EUNSUPPORTED:
	default:
		h.fail(w, r, err) // logged, 500
		return
	}
	msg := vitrine.ErrorMessage(err)
	if code == vitrine.ENOTPUBLISHED || code == vitrine.ENOTFOUND {
		code, msg = vitrine.ENOTFOUND, "Image or content not found or not published"
	}
	if status == http.StatusServiceUnavailable {
		msg = "Busy; retry shortly"
	}
	if !asksJSON(r.URL.RawQuery) {
		deny(w, status, msg)
		return
	}
	body, _ := json.Marshal(map[string]any{"error": map[string]string{"code": code, "message": msg}})
	hdr := w.Header()
	hdr.Del("ETag")
	hdr.Del("Last-Modified")
	hdr.Del("Xkey")
	hdr.Set("Content-Type", "application/json")
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}

// asksJSON reports whether a query's last req= says …,json, read without
// the modifier parser: the answer to a query that does not parse must
// still come in the asked form. A req= inside a $preset$ is not seen, and
// the error is text.
func asksJSON(rawQuery string) bool {
	isJSON := false
	for _, m := range strings.Split(rawQuery, "&") {
		name, value, ok := strings.Cut(m, "=")
		if !ok || !strings.EqualFold(name, "req") {
			continue
		}
		if v, err := url.QueryUnescape(value); err == nil {
			value = v
		}
		parts := strings.Split(value, ",")
		isJSON = len(parts) >= 2 && strings.EqualFold(strings.TrimSpace(parts[1]), "json")
	}
	return isJSON
}
