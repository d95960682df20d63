package vitrine

import (
	"path"
	"strings"
)

// PathIDName returns the asset name an image id holding a path stands
// for, and whether id is such an id. AEM sites served by Dynamic Media
// send the DAM path of an asset as its id
// (/is/image/acme/content/dam/site/products/shoe-1.psd); Dynamic Media
// publishes the asset under its name, so when no asset has the whole id,
// the last path segment without its extension is the name ("shoe-1").
// Inferred from AEM's documentation and site code, not from the Image
// Serving reference (docs/image-serving.md). An id without a '/' is not a
// path id; a last segment that is empty or only an extension gives none.
func PathIDName(id string) (string, bool) {
	i := strings.LastIndexByte(id, '/')
	if i < 0 {
		return "", false
	}
	last := id[i+1:]
	name := strings.TrimSuffix(last, path.Ext(last))
	if name == "" {
		return "", false
	}
	return name, true
}
