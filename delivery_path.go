package vitrine

import (
	"net/http"
	"net/url"
	"strings"
)

// NormalizeDeliveryRequest returns r with its delivery path in normal form
// (NormalizeDeliveryPath), or r itself when that changes nothing.
func NormalizeDeliveryRequest(r *http.Request) *http.Request {
	p, ok := NormalizeDeliveryPath(r.URL.EscapedPath())
	if !ok {
		return r
	}
	un, err := url.PathUnescape(p)
	if err != nil {
		return r
	}
	r2 := *r
	u := *r.URL
	u.Path, u.RawPath = un, p
	r2.URL = &u
	return &r2
}

// deliveryRoots are the path prefixes NormalizePaths rewrites, each
// followed by company and id.
var deliveryRoots = []string{"is/image", "is/content", "preview/is/image", "preview/is/content"}

// NormalizeDeliveryPath returns the escaped path p of a delivery URL in
// the form Scene7 reads it, and whether it changed: repeated slashes are
// one (/is/image//acme/shoe: a base URL ending in / joined with /acme/shoe),
// a slash after the id is dropped (/is/image/acme/shoe/), and a '+' in the
// company or id is a space, as in a query string (/is/image/acme/summer+sale
// is the id "summer sale"; a literal plus is sent as %2B). Other paths are
// returned unchanged. These are live Scene7 behaviour that the Image
// Serving reference does not state (docs/image-serving.md, "Inferred").
func NormalizeDeliveryPath(p string) (string, bool) {
	if !strings.HasPrefix(p, "/is/") && !strings.HasPrefix(p, "/preview/is/") && !strings.HasPrefix(p, "//") {
		return p, false
	}
	// Most requests are in normal form: tell so without allocating.
	if !strings.Contains(p, "//") && !strings.HasSuffix(p, "/") && !strings.Contains(p, "+") {
		return p, false
	}
	var segs []string
	for s := range strings.SplitSeq(p, "/") {
		if s != "" {
			segs = append(segs, s)
		}
	}
	joined := strings.Join(segs, "/")
	root := ""
	for _, r := range deliveryRoots {
		if strings.HasPrefix(joined+"/", r+"/") && len(r) > len(root) {
			root = r
		}
	}
	if root == "" {
		return p, false
	}
	n := strings.Count(root, "/") + 1 // segments of the root
	for i := n; i < len(segs); i++ {
		segs[i] = strings.ReplaceAll(segs[i], "+", "%20")
	}
	out := "/" + strings.Join(segs, "/")
	return out, out != p
}
