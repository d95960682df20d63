package delivery

import (
	"net/http"

	"github.com/vitrine/vitrine"
)

// NormalizePaths reads delivery URLs the way Scene7 reads them
// (vitrine.NormalizeDeliveryPath) before any router sees them: Go's
// ServeMux would redirect a path with repeated slashes instead.
func NormalizePaths(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, vitrine.NormalizeDeliveryRequest(r))
	})
}
