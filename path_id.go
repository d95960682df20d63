package vitrine

import (
	"path"
	"strings"
)

// PathIDNames returns the asset names an image id holding a path may
// stand for, in the order to try them, or none when id is not such an id.
// AEM sites served by Dynamic Media send the DAM path of an asset as its
// id (/is/image/acme/content/dam/site/products/shoe-1.psd); Dynamic Media
// publishes the asset under its name, so when no asset has the whole id,
// the last path segment is tried as it is (a name may hold a dot:
// "shoe.v2"), then without its extension ("shoe-1"). Inferred from AEM's
// documentation and site code, not from the Image Serving reference
// (docs/image-serving.md). An id without a '/' is not a path id; an empty
// last segment gives none, and one that is only an extension gives itself.
func PathIDNames(id string) []string {
	i := strings.LastIndexByte(id, '/')
	if i < 0 || i == len(id)-1 {
		return nil
	}
	last := id[i+1:]
	names := []string{last}
	if short := strings.TrimSuffix(last, path.Ext(last)); short != "" && short != last {
		names = append(names, short)
	}
	return names
}
