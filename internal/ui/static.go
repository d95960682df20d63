package ui

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var staticFS embed.FS

// statics are the embedded JavaScript and CSS, each served under a name
// carrying its content hash (app.1a2b3c4d.js), so it can be cached for a
// year and a new binary still loads the new file.
type statics struct {
	byName map[string]staticFile // hashed name → file
	url    map[string]string     // plain name → /static/hashed name
}

type staticFile struct {
	data  []byte
	ctype string
}

func loadStatics() (statics, error) {
	s := statics{byName: map[string]staticFile{}, url: map[string]string{}}
	entries, err := staticFS.ReadDir("static")
	if err != nil {
		return s, fmt.Errorf("ui static files: %w", err)
	}
	for _, e := range entries {
		data, err := staticFS.ReadFile("static/" + e.Name())
		if err != nil {
			return s, fmt.Errorf("ui static files: %w", err)
		}
		sum := sha256.Sum256(data)
		ext := path.Ext(e.Name())
		hashed := strings.TrimSuffix(e.Name(), ext) + "." + hex.EncodeToString(sum[:4]) + ext
		ctype := map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}[ext]
		s.byName[hashed] = staticFile{data: data, ctype: ctype}
		s.url[e.Name()] = "/static/" + hashed
	}
	return s, nil
}

func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	f, ok := s.files.byName[r.PathValue("file")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.ctype)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(f.data)
}
