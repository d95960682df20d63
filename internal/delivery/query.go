package delivery

import (
	"net/http"
	"net/url"
	"strings"
)

// query is a delivery request's query as Scene7 reads it: pairs split at
// '&' only. A ';' is data there (imageSet=a;swatch,b;swatch), where
// url.ParseQuery drops every pair holding one. A key or value that does
// not unescape is kept as sent.
func query(r *http.Request) url.Values {
	v := url.Values{}
	for pair := range strings.SplitSeq(r.URL.RawQuery, "&") {
		if pair == "" {
			continue
		}
		k, val, _ := strings.Cut(pair, "=")
		v[unescape(k)] = append(v[unescape(k)], unescape(val))
	}
	return v
}

func unescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}
