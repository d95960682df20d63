package ui

import (
	"net/url"
	"regexp"
	"sort"
	"strings"
)

// builderFields are the URL builder's modifiers, in the order the URL
// carries them (after a preset).
var builderFields = []string{"wid", "hei", "fit", "crop", "fmt", "qlt"}

var (
	builderFits    = []string{"fit", "constrain", "crop", "wrap", "stretch", "hfit", "vfit"}
	builderFormats = []string{"jpeg", "png", "webp", "avif", "gif", "tif"}
	// builderValue is what a field may hold: digits, commas, dots and
	// words; anything else is left out rather than escaped into the URL.
	builderValue = regexp.MustCompile(`^[A-Za-z0-9.,]{1,40}$`)
)

// buildURL is the Scene7 URL of asset name with the builder's fields from
// q: /is/image/{company}/{name}?$preset$&wid=…; presets must be the
// company's. upload.js's twin in detail.js builds the same URL live.
func buildURL(company, name string, q url.Values, presets map[string]string) string {
	var parts []string
	if p := q.Get("preset"); p != "" {
		if _, ok := presets[p]; ok {
			parts = append(parts, "$"+p+"$")
		}
	}
	for _, f := range builderFields {
		if v := strings.TrimSpace(q.Get(f)); v != "" && builderValue.MatchString(v) {
			parts = append(parts, f+"="+v)
		}
	}
	u := "/is/image/" + url.PathEscape(company) + "/" + url.PathEscape(name)
	if len(parts) > 0 {
		u += "?" + strings.Join(parts, "&")
	}
	return u
}

func presetNames(presets map[string]string) []string {
	out := make([]string, 0, len(presets))
	for p := range presets {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
