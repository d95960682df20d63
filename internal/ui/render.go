package ui

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/vitrine/vitrine"
)

// The partials' names start with "_", which a plain directory embed
// leaves out: they are named here.
//
//go:embed templates templates/_*.html
var templateFS embed.FS

// pages are the parsed templates: each page's file with the shared layout.
type pages map[string]*template.Template

func loadPages(files statics) (pages, error) {
	funcs := template.FuncMap{
		"static":  func(name string) string { return files.url[name] },
		"isAdmin": func(p *vitrine.Principal) bool { return p != nil && vitrine.CanSeeAdminActions(p) },
		"depth":   func(p string) int { return min(strings.Count(strings.Trim(p, "/"), "/")+boolInt(p != "/"), 6) },
		"base": func(p string) string {
			if p == "/" {
				return "All assets"
			}
			return p[strings.LastIndex(p, "/")+1:]
		},
		"ptr": func(t time.Time) *time.Time { return &t },
		// tabOf is the data of the Jobs page's tabs (_jobtabs.html).
		"tabOf": func(p page, tab string) jobTabs { return jobTabs{P: p.P, Tab: tab} },
		// Browse (browse_rows.go).
		"gridWidth": func() int { return gridWidth },
		"size":      humanSize,
		"types":     func() []vitrine.AssetType { return listedTypes },
		"icon":      newPubIcon,
		"from": func(src string) string {
			if src == "company" {
				return "the company's default"
			}
			return "folder " + src
		},
		"when": func(t *time.Time) string {
			if t == nil {
				return "never"
			}
			return t.UTC().Format("2006-01-02 15:04 UTC")
		},
	}
	entries, err := templateFS.ReadDir("templates")
	if err != nil {
		return nil, err
	}
	// Files whose name starts with "_" are partials shared by several
	// pages (e.g. the Jobs page's tabs): every page is parsed with them.
	shared := []string{"templates/layout.html"}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "_") {
			shared = append(shared, "templates/"+e.Name())
		}
	}
	out := pages{}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".html")
		if name == "layout" || strings.HasPrefix(name, "_") {
			continue
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, append(shared, "templates/"+e.Name())...)
		if err != nil {
			return nil, fmt.Errorf("ui template %s: %w", e.Name(), err)
		}
		out[name] = t
	}
	return out, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// page is the data of a page: the request's view, the page's title, an
// error to show, and the page's own data.
type page struct {
	*view
	Title string
	Error string
	Data  any
}

// jobTabs is what the Jobs page's tabs need: the company and the current tab.
type jobTabs struct {
	P   *vitrine.Principal
	Tab string
}

// render writes a page through the layout.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any, errText string) {
	v := viewOf(r)
	if v == nil {
		v = &view{}
	}
	var b bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&b, "layout", page{view: v, Title: title, Error: errText, Data: data}); err != nil {
		s.log.ErrorContext(r.Context(), "render", "page", name, "err", err)
		http.Error(w, "the page could not be drawn", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// renderError shows a message in the layout.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, v *view, status int, msg string) {
	if v != nil && viewOf(r) == nil {
		r = r.WithContext(withView(r.Context(), v))
	}
	s.render(w, r, status, "error", http.StatusText(status), nil, msg)
}
