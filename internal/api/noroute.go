package api

import (
	"net/http"
	"strings"

	"github.com/vitrine/vitrine"
)

// routeMethods are the methods the API's routes use.
var routeMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// noRoute answers a request no route took: 405 with Allow when the path
// exists with other methods, else 404. (The catch-all "/api/" pattern
// takes every method, so the mux's own 405 never happens.)
func (s *Server) noRoute(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range routeMethods {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "/api/" && pattern != "" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		if contains(allow, http.MethodGet) {
			allow = append(allow, http.MethodHead)
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeError(w, r, s.log, vitrine.Errorf(vitrine.EMETHOD, "%s is not allowed on %s; use %s", r.Method, r.URL.Path, strings.Join(allow, ", ")))
		return
	}
	writeError(w, r, s.log, vitrine.Errorf(vitrine.ENOTFOUND, "no such API endpoint: %s %s", r.Method, r.URL.Path))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
