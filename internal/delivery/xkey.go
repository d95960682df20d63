package delivery

import (
	"net/http"
	"strings"

	"github.com/vitrine/vitrine"
)

// maxXkeyLine bounds one Xkey header line. Varnish refuses a response
// header longer than http_resp_hdr_len (8 KiB by default); xkey reads
// every Xkey line, and so does the edge, so a long list is split.
const maxXkeyLine = 4000

// setXkeys tags a reply with the surrogate keys of the asset ids it was
// derived from (vitrine.SurrogateKey), so that a purge of any of them
// removes it from every cache. Duplicates are dropped.
func setXkeys(hdr http.Header, rootID string, ids ...string) {
	hdr.Del("Xkey")
	seen := make(map[string]bool, len(ids))
	var line strings.Builder
	for _, id := range ids {
		if id == "" { // an imageSet= answer has no set id
			continue
		}
		k := vitrine.SurrogateKey(rootID, id)
		if seen[k] {
			continue
		}
		seen[k] = true
		if line.Len() > 0 && line.Len()+1+len(k) > maxXkeyLine {
			hdr.Add("Xkey", line.String())
			line.Reset()
		}
		if line.Len() > 0 {
			line.WriteByte(' ')
		}
		line.WriteString(k)
	}
	if line.Len() > 0 {
		hdr.Add("Xkey", line.String())
	}
}

// setIDs lists the asset ids a set answer is derived from: the set, each
// published member, nested sets and their members, swatches and posters.
// Unpublishing any of them changes the answer, so it carries all their
// keys.
func setIDs(t *vitrine.SetTree, out []string) []string {
	out = append(out, t.Name)
	for _, it := range t.Items {
		if it.Set != nil {
			out = setIDs(it.Set, out)
		} else {
			out = append(out, it.Name)
		}
		if it.Swatch != nil && it.Swatch.Name != "" {
			out = append(out, it.Swatch.Name)
		}
		if it.Poster != "" {
			out = append(out, it.Poster)
		}
	}
	return out
}
