package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/vitrine/vitrine"
)

type detailData struct {
	Asset     *vitrine.Asset
	Versions  []vitrine.Version
	History   []vitrine.HistoryEntry
	Servers   []serverState
	Relations *vitrine.Relations
	Poster    string // a video's poster asset, when it has one
	Keywords  string
	Saved     string

	// The URL builder.
	Q    url.Values
	Path string // the builder's URL: delivery's path and query
	URL  string // Path, absolute: the Scene7 URL to copy
	// Renders says whether the page can load renditions: from delivery
	// when the asset is live there (RenderFrom ""), else from preview
	// (RenderFrom "/preview", which takes the session) when it is live
	// there; it is live nowhere otherwise.
	Renders    bool
	RenderFrom string
	Presets    []string
	Fits       []string
	Formats    []string
}

// serverState is one line of History & Published Servers: a destination,
// whether the asset is live there, and when it was last published there.
type serverState struct {
	Destination vitrine.Destination
	Live        bool
	Last        *time.Time
}

// detail is an asset's Detail view: the image with a live URL builder,
// metadata, versions, publish history per server, derived images, sets.
func (s *Server) detail(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	v.Section = "browse"
	ctx, cid, name := r.Context(), v.P.Company.ID, r.PathValue("name")
	d := detailData{Q: r.URL.Query(), Fits: builderFits, Formats: builderFormats, Presets: presetNames(v.P.Company.Settings.Presets)}
	var err error
	if d.Asset, err = s.store.Asset(ctx, cid, name); err == nil {
		d.Versions, err = s.store.Versions(ctx, cid, name)
	}
	if err == nil {
		d.History, err = s.store.History(ctx, cid, name, 200)
	}
	if err == nil {
		d.Relations, err = s.store.Relations(ctx, cid, name)
	}
	if err != nil {
		s.renderError(w, r, v, ErrorStatus(err), s.errorText(r, err))
		return
	}
	d.Keywords = strings.Join(d.Asset.Keywords, ", ")
	d.Servers = servers(d.Asset, d.History)
	for _, der := range d.Relations.Derived {
		if der.Name == name+"-poster" {
			d.Poster = der.Name
		}
	}
	d.Path = buildURL(v.P.Company.RootID, name, d.Q, v.P.Company.Settings.Presets)
	d.URL = origin(r) + d.Path
	switch {
	case d.Asset.Published.Delivery != nil:
		d.Renders = true
	case d.Asset.Published.Preview != nil:
		d.Renders, d.RenderFrom = true, "/preview"
	}
	switch r.URL.Query().Get("saved") {
	case "metadata":
		d.Saved = "Title and keywords saved."
	case "restored":
		d.Saved = "Version restored as the newest version."
	}
	s.render(w, r, http.StatusOK, "detail", name, d, "")
}

// origin is the scheme and host the page was asked at, for URLs to copy
// (the same as the page's location.origin).
func origin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// servers folds the publish history into History & Published Servers.
func servers(a *vitrine.Asset, hist []vitrine.HistoryEntry) []serverState {
	out := []serverState{{Destination: vitrine.DestDelivery, Live: a.Published.Delivery != nil}, {Destination: vitrine.DestPreview, Live: a.Published.Preview != nil}}
	for i := range out {
		for _, h := range hist { // newest first
			if h.Destination == out[i].Destination && h.Action != vitrine.HistUnpublished {
				at := h.At
				out[i].Last = &at
				break
			}
		}
	}
	return out
}

// detailMetadata saves the title and keywords (svc.EditAsset).
func (s *Server) detailMetadata(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	name := r.PathValue("name")
	title := strings.TrimSpace(r.PostFormValue("title"))
	keywords := []string{}
	for _, k := range strings.Split(r.PostFormValue("keywords"), ",") {
		if k = strings.TrimSpace(k); k != "" {
			keywords = append(keywords, k)
		}
	}
	if _, err := s.svc.EditAsset(r.Context(), v.P, name, vitrine.MetadataPatch{Title: &title, Keywords: &keywords}, "", ""); err != nil {
		s.renderError(w, r, v, ErrorStatus(err), s.errorText(r, err))
		return
	}
	http.Redirect(w, r, s.detailPath(v, name)+"?saved=metadata#metadata-h", http.StatusSeeOther)
}

// detailRestore makes an old version the newest (svc.RestoreVersion).
func (s *Server) detailRestore(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	name := r.PathValue("name")
	n, err := strconv.Atoi(r.PathValue("version"))
	if err != nil {
		s.renderError(w, r, v, http.StatusNotFound, "There is no such version.")
		return
	}
	if _, err := s.svc.RestoreVersion(r.Context(), v.P, name, n); err != nil {
		s.renderError(w, r, v, ErrorStatus(err), s.errorText(r, err))
		return
	}
	http.Redirect(w, r, s.detailPath(v, name)+"?saved=restored#versions-h", http.StatusSeeOther)
}

func (s *Server) detailPath(v *view, name string) string {
	return "/c/" + url.PathEscape(v.P.Company.RootID) + "/assets/" + url.PathEscape(name)
}
