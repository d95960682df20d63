package vitrine

import (
	"net/url"
	"strconv"
	"time"
)

// ParseAssetFilter reads a listing's filter from query parameters, the one
// spelling of GET /assets and of the workspace's Browse and search:
// folder, recursive (true unless "false"), q (name, title, keywords),
// type, published (delivery), published_preview, trashed,
// modified_after, modified_before (RFC 3339, or a date: 2025-01-31, UTC),
// sort (name, type, size, modified), order (asc, desc), limit (1-1000),
// cursor.
func ParseAssetFilter(q url.Values) (AssetFilter, error) {
	f := AssetFilter{Folder: q.Get("folder"), Recursive: q.Get("recursive") != "false", Query: q.Get("q"),
		Type: AssetType(q.Get("type")), Trashed: q.Get("trashed") == "true", Cursor: q.Get("cursor"),
		Sort: AssetSort(q.Get("sort")), Desc: q.Get("order") == "desc"}
	if f.Type != "" && !f.Type.Valid() {
		return f, Errorf(EINVALID, "type %q is not an asset type (image, video, static, image_set, …)", f.Type)
	}
	for _, b := range []struct {
		name string
		to   **bool
	}{{"published", &f.Published}, {"published_preview", &f.PublishedPreview}} {
		if v := q.Get(b.name); v != "" {
			on, err := strconv.ParseBool(v)
			if err != nil {
				return f, Errorf(EINVALID, "%s must be true or false", b.name)
			}
			*b.to = &on
		}
	}
	for _, t := range []struct {
		name string
		to   *time.Time
	}{{"modified_after", &f.ModifiedAfter}, {"modified_before", &f.ModifiedBefore}} {
		if v := q.Get(t.name); v != "" {
			at, err := parseTimeOrDate(v)
			if err != nil {
				return f, Errorf(EINVALID, "%s must be a date (2025-01-31) or an RFC 3339 time", t.name)
			}
			*t.to = at
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return f, Errorf(EINVALID, "limit must be 1-1000")
		}
		f.Limit = n
	}
	if !f.Sort.Valid() {
		return f, Errorf(EINVALID, "sort must be one of name, type, size, modified")
	}
	if o := q.Get("order"); o != "" && o != "asc" && o != "desc" {
		return f, Errorf(EINVALID, "order must be asc or desc")
	}
	return f, nil
}

func parseTimeOrDate(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.Parse(time.DateOnly, v)
}
