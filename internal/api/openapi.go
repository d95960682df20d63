package api

import (
	_ "embed"
	"net/http"
)

// openapiJSON documents every route of routes(); TestOpenAPIMatchesRoutes
// keeps them in step.
//
//go:embed openapi.json
var openapiJSON []byte

func serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(openapiJSON)
}
