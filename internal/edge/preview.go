package edge

import "net/http"

// refusePreview answers /preview/… without asking the origin. The secure
// preview host allow-lists client addresses (DEL-4), and behind an edge
// every client would reach the origin with the edge's address; forwarding
// the client's address instead would need the origin to trust headers
// from configured edges only. The simple safe rule: preview is reached
// directly, never through an edge (docs/edge.md).
func (n *Node) refusePreview(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNotFound)
	w.Write([]byte("preview is not served through an edge\n"))
}
